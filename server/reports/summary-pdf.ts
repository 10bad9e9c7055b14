import PDFDocument from 'pdfkit';
import type { BoardSummaryModel } from './summary.model.js';
import { PageOverflow, type Flow } from './pdf/page-flow.js';
import { renderReachChart, type ChartImage } from './pdf/reach-chart.js';
import {
  ACCENT,
  drawFooter,
  drawHeader,
  drawHeadline,
  drawKeyFindings,
  drawMethod,
  drawTopics,
  type Density,
  type Formatters,
} from './pdf/summary-sections.js';
import { createTypesetter } from './pdf/typesetter.js';
import { drawActHeading, drawGroups, drawPartners, drawUnderHeard } from './pdf/page2-sections.js';

export interface SummaryPdfOptions {
  pageSize?: 'LETTER' | 'A4';
}

const MAX_PAGES = 2;
const MARGIN = { top: 40, bottom: 44, left: 44, right: 44 };

const ALL = Infinity;
/** From roomy to dense; the first that fits on two pages wins, the last clips what is left. */
const DENSITIES: Density[] = [
  { base: 10, chartWidth: 1, maxSuggestions: ALL, maxOrganizations: ALL, reasonLines: ALL, sentenceLines: ALL, methodLines: ALL, maxGroupRows: ALL },
  { base: 9, chartWidth: 0.9, maxSuggestions: ALL, maxOrganizations: ALL, reasonLines: 4, sentenceLines: 3, methodLines: 6, maxGroupRows: 12 },
  { base: 8.5, chartWidth: 0.8, maxSuggestions: 3, maxOrganizations: 4, reasonLines: 2, sentenceLines: 2, methodLines: 4, maxGroupRows: 10 },
  { base: 8, chartWidth: 0.7, maxSuggestions: 2, maxOrganizations: 3, reasonLines: 2, sentenceLines: 1, methodLines: 3, maxGroupRows: 8 },
  { base: 7.5, chartWidth: 0.6, maxSuggestions: 1, maxOrganizations: 2, reasonLines: 1, sentenceLines: 1, methodLines: 2, maxGroupRows: 6 },
];

function formatters(model: BoardSummaryModel): Formatters {
  const percent = new Intl.NumberFormat(model.lang, { style: 'percent', maximumFractionDigits: 0 });
  const number = new Intl.NumberFormat(model.lang);
  // ICU has no list patterns for Kreyòl: a plain comma list beats an English "and".
  const lists = Intl.ListFormat.supportedLocalesOf([model.lang]).length > 0 ? new Intl.ListFormat(model.lang, { type: 'conjunction' }) : undefined;
  // A mark of the summary's direction after each name keeps a name in another script from
  // pulling the punctuation and numbers around it to its own side.
  const mark = model.dir === 'rtl' ? '\u200F' : '\u200E';
  const list = (items: string[]): string => {
    const marked = items.map((item) => `${item}${mark}`);
    return lists ? lists.format(marked) : marked.join(', ');
  };
  return { percent: (v) => percent.format(v), number: (n) => number.format(n), list, isolate: (text) => `${text}${mark}` };
}

/** "Page {{n}} of {{total}}" with the numbers filled in (spaces inside the braces allowed). */
function pageLabel(template: string, n: string, total: string): string {
  return template.replace(/\{\{\s*n\s*\}\}/gu, n).replace(/\{\{\s*total\s*\}\}/gu, total);
}

interface Layout {
  model: BoardSummaryModel;
  size: 'LETTER' | 'A4';
  f: Formatters;
  chart: ChartImage | undefined;
  /** Text widths, shared by every pass over this summary. */
  widths: Map<string, number>;
  /** Whether "What the board can act on" starts a new page. */
  pageTwoApart?: boolean;
}

function newDocument(layout: Layout): PDFKit.PDFDocument {
  const { model } = layout;
  return new PDFDocument({
    size: layout.size,
    margins: MARGIN,
    bufferPages: true,
    lang: model.lang,
    displayTitle: true,
    info: { Title: model.title, Author: model.libraryName, Subject: model.strings.heading, Creator: 'Community Needs' },
  });
}

/** Runs every section down the pages; throws PageOverflow past two pages unless `clip`. */
function flowSections(doc: PDFKit.PDFDocument, layout: Layout, density: Density, options: { dry: boolean; clip: boolean }): Flow {
  const { model, f } = layout;
  const { width, height } = doc.page;
  const flow: Flow = {
    ts: createTypesetter(doc, model.lang, model.dir, { dry: options.dry, widths: layout.widths }),
    left: MARGIN.left,
    right: width - MARGIN.right,
    top: MARGIN.top,
    bottom: height - MARGIN.bottom,
    y: MARGIN.top,
    page: 1,
    maxPages: MAX_PAGES,
    clip: options.clip,
    clipped: false,
  };
  drawHeader(flow, model, density);
  drawKeyFindings(flow, model, density);
  drawHeadline(flow, model, density, f);
  drawTopics(flow, model, density, f, layout.chart);
  drawActHeading(flow, model, density, layout.pageTwoApart ?? false);
  drawGroups(flow, model, density, f);
  drawUnderHeard(flow, model, density);
  drawPartners(flow, model, density);
  drawMethod(flow, model, density);
  return flow;
}

/** Densities tried with page 2 on its own page; past them, page 2 follows straight on from page 1. */
const OWN_PAGE_DENSITIES = 2;

/** The roomiest density whose dry run fits (page 2 on its own page first), or the last one (which then clips). */
function chooseDensity(layout: Layout): { density: Density; clip: boolean; pageTwoApart: boolean } {
  // One document only for measuring: it is never ended, so it writes nothing.
  const measuring = newDocument(layout);
  const attempts = [
    ...DENSITIES.slice(0, OWN_PAGE_DENSITIES).map((density) => ({ density, pageTwoApart: true })),
    ...DENSITIES.slice(0, -1).map((density) => ({ density, pageTwoApart: false })),
  ];
  for (const attempt of attempts) {
    try {
      flowSections(measuring, { ...layout, pageTwoApart: attempt.pageTwoApart }, attempt.density, { dry: true, clip: false });
      return { ...attempt, clip: false };
    } catch (error) {
      if (!(error instanceof PageOverflow)) throw error;
    }
  }
  return { density: DENSITIES[DENSITIES.length - 1]!, clip: true, pageTwoApart: false };
}

function render(layout: Layout, density: Density, clip: boolean): Promise<Buffer> {
  const doc = newDocument(layout);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const flow = flowSections(doc, layout, density, { dry: false, clip });
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    drawFooter(flow, pageLabel(layout.model.strings.page, layout.f.number(i - start + 1), layout.f.number(count)), doc.page.height, density);
  }
  doc.end();
  return done;
}

/**
 * The board summary as a print-friendly PDF of at most two pages, drawn on the server with
 * pdfkit (no browser) and a Chart.js chart rendered on @napi-rs/canvas. Long content is set
 * denser, then shortened, until it fits.
 */
export async function renderSummaryPdf(model: BoardSummaryModel, options: SummaryPdfOptions = {}): Promise<Buffer> {
  const f = formatters(model);
  const chart =
    model.enoughData && model.topics.length > 0
      ? renderReachChart({ lang: model.lang, dir: model.dir, topics: model.topics, accent: ACCENT, percent: f.percent })
      : undefined;
  const layout: Layout = { model, size: options.pageSize ?? 'LETTER', f, chart, widths: new Map() };
  const { density, clip, pageTwoApart } = chooseDensity(layout);
  return render({ ...layout, pageTwoApart }, density, clip);
}
