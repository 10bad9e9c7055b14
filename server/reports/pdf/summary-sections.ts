import type { BoardSummaryModel } from '../summary.model.js';
import { box, contentWidth, gap, image, keyValues, paragraph, room, rule, type Flow } from './page-flow.js';
import type { ChartImage } from './reach-chart.js';
import { table } from './table.js';
import { drawLine, lineHeight, type TextStyle } from './typesetter.js';

/** How tightly a summary is set; the renderer tries them in order until it fits. */
export interface Density {
  /** Body text size in points; everything else scales from it. */
  base: number;
  /** Chart width as a share of the content width. */
  chartWidth: number;
  maxSuggestions: number;
  maxOrganizations: number;
  reasonLines: number;
  sentenceLines: number;
  methodLines: number;
  maxGroupRows: number;
}

export const ACCENT = '#1f5fa8';

export interface Formatters {
  percent: (share: number) => string;
  number: (n: number) => string;
  list: (items: string[]) => string;
  /** Ends `text` with a mark of the summary's direction (for bidi). */
  isolate: (text: string) => string;
}

export const body = (d: Density): TextStyle => ({ size: d.base });
export const small = (d: Density): TextStyle => ({ size: d.base * 0.88 });

export function heading(flow: Flow, text: string, d: Density): void {
  const style = { size: d.base * 1.3, bold: true };
  gap(flow, d.base * 0.9);
  // Keep the heading with a subheading and the start of a table.
  paragraph(flow, text, style, { keepWith: lineHeight(flow.ts, body(d)) * 6 });
  if (room(flow, 0)) rule(flow, ACCENT, 1);
  gap(flow, d.base * 0.4);
}

export function subheading(flow: Flow, text: string, d: Density): void {
  gap(flow, d.base * 0.4);
  // Keep the subheading with a table's header and first row.
  paragraph(flow, text, { size: d.base * 1.05, bold: true }, { keepWith: lineHeight(flow.ts, body(d)) * 3 + d.base });
}

export function drawHeader(flow: Flow, model: BoardSummaryModel, d: Density): void {
  paragraph(flow, model.libraryName, { size: d.base * 1.1, bold: true, color: ACCENT });
  paragraph(flow, model.title, { size: d.base * 1.8, bold: true }, { maxLines: 3 });
  const subtitle = [model.strings.heading, model.generatedOn].filter(Boolean).join(' · ');
  paragraph(flow, subtitle, body(d));
  gap(flow, d.base * 0.3);
  rule(flow, ACCENT, 2);
  gap(flow, d.base * 0.6);
}

/** "Key findings": one bulleted sentence each, at the top of page 1. */
export function drawKeyFindings(flow: Flow, model: BoardSummaryModel, d: Density): void {
  const findings = model.keyFindings;
  if (!findings || findings.sentences.length === 0) return;
  heading(flow, findings.title, d);
  const style = body(d);
  for (const sentence of findings.sentences) {
    // The bullet on the reading side; wrapped lines hang under the text, not under the bullet.
    if (room(flow, lineHeight(flow.ts, style))) {
      const { x, width } = box(flow);
      drawLine(flow.ts, '•', x, flow.y, width, style, 'start');
    }
    paragraph(flow, sentence, style, { indent: d.base * 1.1, maxLines: d.sentenceLines + 1 });
    gap(flow, d.base * 0.25);
  }
  gap(flow, d.base * 0.5);
}

export function drawHeadline(flow: Flow, model: BoardSummaryModel, d: Density, f: Formatters): void {
  const { headline, strings } = model;
  const dates = [...new Set([headline.firstDate, headline.lastDate].filter(Boolean))].join(' – ') || '—';
  const counted = (items: { label: string; count: number }[]): string =>
    items.length ? f.list(items.map((i) => `${f.isolate(i.label)} (${f.number(i.count)})`)) : '—';
  const pairs: [string, string][] = [
    [strings.responses, f.number(headline.responses)],
    [strings.dates, dates],
    [strings.channels, counted(headline.channels)],
    [strings.languages, counted(headline.languages)],
  ];
  if (model.filters) pairs.push([strings.filters, model.filters]);
  keyValues(flow, pairs, body(d));
}

export function drawTopics(flow: Flow, model: BoardSummaryModel, d: Density, f: Formatters, chart?: ChartImage): void {
  const { strings } = model;
  heading(flow, strings.topTopics, d);
  if (!model.enoughData || model.topics.length === 0 || !chart) {
    paragraph(flow, model.tooFewMessage, body(d));
    return;
  }
  const width = contentWidth(flow) * d.chartWidth;
  image(flow, chart.png, width, (width * chart.height) / chart.width);
  gap(flow, d.base * 0.5);
  table(
    flow,
    model.topics.map((t) => ({
      cells: [f.number(t.rank), { text: t.name, bold: true }, f.percent(t.reach), `${f.percent(t.low)}–${f.percent(t.high)}`, t.tie ? strings.aboutEqual : ''],
      note: t.sentence,
    })),
    {
      columns: [{ share: 0.06 }, { share: 0.42 }, { share: 0.14, align: 'end' }, { share: 0.18, align: 'end' }, { share: 0.2 }],
      header: ['#', strings.topic, strings.reach, strings.interval, ''],
      style: body(d),
      noteStyle: small(d),
      noteFrom: 1,
      noteMaxLines: d.sentenceLines,
    },
  );
}

export function drawMethod(flow: Flow, model: BoardSummaryModel, d: Density): void {
  if (model.method.length === 0) return;
  heading(flow, model.strings.method, d);
  for (const text of model.method) {
    paragraph(flow, text, small(d), { maxLines: d.methodLines });
    gap(flow, d.base * 0.3);
  }
}

/** The page footer ("Page 1 of 2"), centred in the bottom margin. */
export function drawFooter(flow: Flow, text: string, pageHeight: number, d: Density): void {
  const { x, width } = box(flow);
  const style = { size: d.base * 0.8 };
  const top = flow.bottom + (pageHeight - flow.bottom - lineHeight(flow.ts, style)) / 2;
  drawLine(flow.ts, text, x, top, width, style, 'center');
}
