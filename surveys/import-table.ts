import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { ImportFileError } from './import.errors.js';
import { checkZip } from './zip-guard.js';

export const IMPORT_LIMITS = { maxRows: 50_000, maxColumns: 300, maxCellChars: 20_000 };

/** The files an import reads: CSV (UTF-8), Excel workbooks, and this app's JSON export. */
export type ImportKind = 'csv' | 'xlsx' | 'json';

/** One data row: its number as a spreadsheet program shows it (the header is row 1) and its cells as text. */
export interface TableRow {
  row: number;
  cells: string[];
}

export interface Table {
  headers: string[];
  rows: TableRow[];
}

type Limits = typeof IMPORT_LIMITS;

/** The most frequent of `,`, `;` and tab in the first line outside quotes (spreadsheets in many locales save with `;`). */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text.slice(0, 64 * 1024)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch]!++;
  }
  const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
  return n > 0 ? best : ',';
}

function isEmpty(cells: string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/** Header row, data rows and the limits, shared by both formats. */
function toTable(records: { row: number; cells: string[] }[], limits: Limits): Table {
  const nonEmpty = records.filter((r) => !isEmpty(r.cells));
  const [header, ...rows] = nonEmpty;
  if (!header) throw new ImportFileError('emptyFile', 422);
  if (rows.length > limits.maxRows) throw new ImportFileError('tooManyRows', 413, { max: limits.maxRows });
  if (rows.length === 0) throw new ImportFileError('noRows', 422);
  let width = header.cells.length;
  while (width > 0 && header.cells[width - 1]!.trim() === '') width--;
  if (width > limits.maxColumns) throw new ImportFileError('tooManyColumns', 422, { max: limits.maxColumns });
  if (rows.some((r) => r.cells.some((c) => c.length > limits.maxCellChars))) throw new ImportFileError('cellTooLong', 422, { max: limits.maxCellChars });
  const fit = (cells: string[]): string[] => Array.from({ length: width }, (_, i) => cells[i] ?? '');
  return { headers: fit(header.cells).map((h) => h.trim()), rows: rows.map((r) => ({ row: r.row, cells: fit(r.cells) })) };
}

/**
 * Parses a UTF-8 CSV (the upload middleware has checked the encoding). Parsing stops a little
 * past the row limit, so a far too long file is refused quickly instead of being read whole.
 */
export function readCsv(buf: Buffer, limits: Limits = IMPORT_LIMITS): Table {
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  let records: string[][];
  try {
    records = parse(text, { delimiter: detectDelimiter(text), relax_column_count: true, skip_empty_lines: false, to: limits.maxRows + 1000, max_record_size: limits.maxCellChars * 4 }) as string[][];
  } catch (err) {
    throw new ImportFileError('unreadableCsv', 422, { line: (err as { lines?: number }).lines ?? 0 }, { cause: err });
  }
  return toTable(records.map((cells, i) => ({ row: i + 1, cells })), limits);
}

/** Text of an exceljs cell value: rich text joined, formulas as their result, dates as ISO 8601 (UTC). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
  }
  return '';
}

/**
 * Reads the first non-empty worksheet of an XLSX after the ZIP guard, with exceljs's streaming
 * reader (a fraction of the memory of loading the whole workbook), stopping past the row limit.
 */
export async function readXlsx(buf: Buffer, limits: Limits = IMPORT_LIMITS): Promise<Table> {
  await checkZip(buf);
  const records: { row: number; cells: string[] }[] = [];
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row.values ?? []) as unknown[];
        if (values.length - 1 > limits.maxColumns * 2) throw new ImportFileError('tooManyColumns', 422, { max: limits.maxColumns });
        records.push({ row: row.number, cells: values.slice(1).map(cellText) });
        if (records.length > limits.maxRows + 1000) break;
      }
      if (records.length) break;
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError('unreadableXlsx', 422, {}, { cause: err });
  }
  return toTable(records, limits);
}

/** One response of this app's JSON export; anything else in it is ignored. */
const JsonResponse = z.object({
  submissionId: z.string().optional(),
  lang: z.string().optional(),
  channel: z.string().optional(),
  location: z.string().nullish(),
  tag: z.string().nullish(),
  submittedAt: z.string().optional(),
  answers: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])).default({}),
  other: z.record(z.string(), z.string()).default({}),
});
const JsonExport = z.union([z.object({ responses: z.array(z.unknown()) }), z.array(z.unknown())]);

/** The export's own fields, under the headers the id export uses (so the mapping is the same). */
const JSON_META: [keyof z.infer<typeof JsonResponse>, string][] = [
  ['submissionId', 'submission_id'],
  ['lang', 'language'],
  ['channel', 'channel'],
  ['location', 'location'],
  ['tag', 'tag'],
  ['submittedAt', 'submitted_at'],
];

/**
 * Reads this app's JSON export of responses (`{ responses: [...] }`, or the list alone) as a
 * table with the id export's headers: a column per answered question (several answers and
 * rankings joined with ";", as in the CSV), and one for each "other" text. A response's row
 * number is its place in the list.
 */
export function readJson(buf: Buffer, limits: Limits = IMPORT_LIMITS): Table {
  let raw: unknown;
  try {
    raw = JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ImportFileError('malformedJson', 422, {}, { cause: err });
  }
  const top = JsonExport.safeParse(raw);
  if (!top.success) throw new ImportFileError('jsonShape', 422, { path: 'responses' });
  const list = Array.isArray(top.data) ? top.data : top.data.responses;
  if (list.length > limits.maxRows) throw new ImportFileError('tooManyRows', 413, { max: limits.maxRows });
  const responses = list.map((item, i) => {
    const parsed = JsonResponse.safeParse(item);
    if (!parsed.success) throw new ImportFileError('jsonShape', 422, { path: `responses[${i}]${parsed.error.issues[0]?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') ?? ''}` });
    return parsed.data;
  });
  const columns = new Map<string, (r: z.infer<typeof JsonResponse>) => string>();
  for (const [field, header] of JSON_META) columns.set(header, (r) => String(r[field] ?? ''));
  for (const r of responses) {
    for (const id of Object.keys(r.answers)) if (!columns.has(id)) columns.set(id, (x) => [x.answers[id] ?? ''].flat().join('; '));
    for (const id of Object.keys(r.other)) if (!columns.has(`${id}_other`)) columns.set(`${id}_other`, (x) => x.other[id] ?? '');
  }
  const cells = [...columns.values()];
  const records = [{ row: 0, cells: [...columns.keys()] }, ...responses.map((r, i) => ({ row: i + 1, cells: cells.map((cell) => cell(r)) }))];
  return toTable(records, limits);
}

export async function readTable(buf: Buffer, kind: ImportKind, limits: Limits = IMPORT_LIMITS): Promise<Table> {
  if (kind === 'json') return readJson(buf, limits);
  return kind === 'xlsx' ? readXlsx(buf, limits) : readCsv(buf, limits);
}
