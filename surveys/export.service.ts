import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { ContactModel } from './contact.model.js';
import { filterQuery, type ResponseFilter } from './filters.js';
import { languageDir, type LanguageCode } from './languages.js';
import { cellValue, responseColumns, type CellValue, type ColumnLabels, type ExportableResponse, type ResponseColumn } from './response-columns.js';
import { ResponseModel } from './response.model.js';
import { neutraliseCell } from './spreadsheet-cells.js';
import type { SurveySnapshot } from './survey.service.js';

export type ExportFormat = 'csv' | 'xlsx' | 'json';

export interface ExportOptions {
  survey: SurveySnapshot;
  filter: ResponseFilter;
  lang: LanguageCode;
  labels: ColumnLabels;
  /** `labels`: readable headers and option labels in `lang`; `ids`: question and option ids (re-imports exactly). */
  mode: 'ids' | 'labels';
}

/** The filtered responses, oldest first, read with a cursor so a large survey never sits in memory. */
async function* responses(opts: ExportOptions): AsyncGenerator<ExportableResponse> {
  const projection = { submissionId: 1, surveyVersion: 1, lang: 1, channel: 1, location: 1, tag: 1, submittedAt: 1, answers: 1, other: 1 };
  const cursor = ResponseModel.find(filterQuery(opts.survey.slug, opts.filter), projection).sort({ submittedAt: 1 }).lean().cursor({ batchSize: 1000 });
  try {
    for await (const doc of cursor) yield doc as unknown as ExportableResponse;
  } finally {
    await cursor.close();
  }
}

function columnsFor(opts: ExportOptions): ResponseColumn[] {
  return responseColumns(opts.survey.definition, opts.lang, opts.labels);
}

function header(opts: ExportOptions, c: ResponseColumn): string {
  return neutraliseCell(opts.mode === 'ids' ? c.idHeader : c.label);
}

/** A text cell that starts like a formula gets a leading `'`; numbers and dates stay as they are. */
function safe(value: CellValue): string | number | Date {
  if (value === null) return '';
  return typeof value === 'string' ? neutraliseCell(value) : value;
}

/** CSV, UTF-8 with a byte order mark (so Excel reads the accents and scripts right). */
export async function writeCsv(out: Writable, opts: ExportOptions): Promise<void> {
  const columns = columnsFor(opts);
  const { definition } = opts.survey;
  async function* rows(): AsyncGenerator<(string | number)[]> {
    yield columns.map((c) => header(opts, c));
    for await (const r of responses(opts)) {
      yield columns.map((c) => {
        const v = safe(cellValue(c, r, opts.mode, opts.lang, definition, opts.labels));
        return v instanceof Date ? v.toISOString() : v;
      });
    }
  }
  await pipeline(Readable.from(rows()), stringify({ bom: true }), out);
}

/** XLSX through exceljs's streaming writer: rows are written out as they are read. */
export async function writeXlsx(out: Writable, opts: ExportOptions, sheetName: string): Promise<void> {
  const columns = columnsFor(opts);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  const sheet = workbook.addWorksheet(sheetName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'responses', { views: [{ state: 'frozen', ySplit: 1, rightToLeft: languageDir(opts.lang) === 'rtl' }] });
  sheet.columns = columns.map((c) => ({ key: c.target, width: Math.min(40, Math.max(12, header(opts, c).length + 2)) }));
  const head = sheet.addRow(columns.map((c) => header(opts, c)));
  head.font = { bold: true };
  head.commit();
  for await (const r of responses(opts)) {
    const row = sheet.addRow(columns.map((c) => safe(cellValue(c, r, opts.mode, opts.lang, opts.survey.definition, opts.labels))));
    columns.forEach((c, i) => {
      if (c.meta === 'submitted_at') row.getCell(i + 1).numFmt = 'yyyy-mm-dd hh:mm:ss';
    });
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** JSON with ids: `{ survey, responses: [...] }`, written one response at a time. */
export async function writeJson(out: Writable, opts: ExportOptions): Promise<void> {
  await write(out, `{"survey":${JSON.stringify(opts.survey.slug)},"version":${opts.survey.version},"responses":[`);
  let first = true;
  for await (const r of responses(opts)) {
    const item = { submissionId: r.submissionId, surveyVersion: r.surveyVersion, lang: r.lang, channel: r.channel, location: r.location ?? null, tag: r.tag ?? null, submittedAt: r.submittedAt, answers: r.answers ?? {}, other: r.other ?? {} };
    await write(out, `${first ? '' : ','}\n${JSON.stringify(item)}`);
    first = false;
  }
  await write(out, '\n]}\n');
  out.end();
}

/** Follow-up contacts (kept apart from responses), as CSV with the same protections. */
export async function writeContactsCsv(out: Writable, slug: string, headers: string[]): Promise<void> {
  async function* rows(): AsyncGenerator<string[]> {
    yield headers.map(neutraliseCell);
    const cursor = ContactModel.find({ surveySlug: slug }, { email: 1, phone: 1, lang: 1, consentVersion: 1, day: 1 }).sort({ day: 1 }).lean().cursor({ batchSize: 1000 });
    for await (const c of cursor) yield [c.email ?? '', c.phone ?? '', c.lang, c.consentVersion, c.day].map(neutraliseCell);
  }
  await pipeline(Readable.from(rows()), stringify({ bom: true }), out);
}
