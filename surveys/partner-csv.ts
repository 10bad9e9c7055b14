import { parse } from 'csv-parse/sync';
import type { FieldProblem } from '../server/errors.js';
import { getCatalog, topicName, type Catalog } from './catalog.service.js';
import { LANGUAGE_CODES, type LanguageCode } from './languages.js';
import { checkPartner, nameKey, PARTNER_FIELDS, type PartnerField, type PartnerInput } from './partner.schema.js';
import type { PartnerView } from './partner.service.js';

/** The export's columns (also the import's headers; `programs` is written but never read back). */
export const CSV_COLUMNS = [...PARTNER_FIELDS, 'programs'] as const;
export const MAX_IMPORT_ROWS = 5000;
/** Separates topics inside the `topics` cell (and program lines inside `programs`). */
const LIST_SEPARATOR = ';';

const norm = (s: string): string => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/** One CSV data row, with its spreadsheet row number (the header is row 1). */
export interface CsvRecord {
  row: number;
  cells: Partial<Record<PartnerField, string>>;
}

export interface ParsedCsv {
  /** Known columns present in the header, in file order. */
  columns: PartnerField[];
  /** Header cells that are not ours (ignored), e.g. `programs` or a column staff added. */
  ignored: string[];
  records: CsvRecord[];
  problems: FieldProblem[];
}

export interface CheckedRow {
  row: number;
  cells: Partial<Record<PartnerField, string>>;
  value?: PartnerInput;
  problems: FieldProblem[];
}

function typeName(catalog: Catalog, type: string, lang: LanguageCode): string {
  return catalog.texts[lang]?.partners[type] ?? catalog.texts.en.partners[type] ?? type;
}

/** Rows for the CSV export: types and topics by name in `lang` (the import reads names in any language, or ids). */
export function exportRows(partners: PartnerView[], lang: LanguageCode): string[][] {
  const catalog = getCatalog();
  return partners.map((p) => [
    p.name,
    typeName(catalog, p.type, lang),
    p.topics.map((t) => topicName(catalog, t, lang)).join(`${LIST_SEPARATOR} `),
    p.contact,
    p.email,
    p.phone,
    p.website,
    p.address,
    p.status,
    p.notes,
    p.programs.map((x) => `${x.date}: ${x.title}${x.notes ? ` (${x.notes})` : ''}`).join('\n'),
  ]);
}

/** Lookup from an id or a name in any shipped language to the id; names two ids share map to null. */
function lookup(entries: [string, string[]][]): Map<string, string | null> {
  const map = new Map<string, string | null>();
  for (const [id, names] of entries) {
    for (const name of [id, ...names]) {
      const key = norm(name);
      const prev = map.get(key);
      map.set(key, prev === undefined || prev === id ? id : null);
    }
  }
  return map;
}

let lookups: { types: Map<string, string | null>; topics: Map<string, string | null> } | undefined;
function catalogLookups(): NonNullable<typeof lookups> {
  const catalog = getCatalog();
  lookups ??= {
    types: lookup(catalog.partnerTypes.map((id) => [id, LANGUAGE_CODES.map((l) => catalog.texts[l].partners[id] ?? '')])),
    topics: lookup([...catalog.topicIds].map((id) => [id, LANGUAGE_CODES.map((l) => catalog.texts[l].topics[id]?.name ?? '')])),
  };
  return lookups;
}

/** Undoes the export's formula guard: `'=x` → `=x` (only before the characters the export guards). */
const unguard = (cell: string): string => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/** The delimiter a spreadsheet used (comma, or semicolon or tab in some locales), read from the header line. */
function detectDelimiter(text: string): string {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length - 1] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

/** Parses the CSV text into records by header; file-level problems (unreadable, no name column, too many rows) are returned, not thrown. */
export function parsePartnerCsv(text: string): ParsedCsv {
  let table: string[][];
  try {
    table = parse(text, { bom: true, delimiter: detectDelimiter(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 0;
    return { columns: [], ignored: [], records: [], problems: [{ field: 'file', code: 'csvMalformed', params: { line } }] };
  }
  const [header = [], ...body] = table;
  const known = new Set<string>(PARTNER_FIELDS);
  const positions = header.map((h) => norm(h));
  const columns = positions.filter((h): h is PartnerField => known.has(h));
  const ignored = header.filter((_h, i) => !known.has(positions[i]!) && positions[i] !== '');
  const problems: FieldProblem[] = [];
  for (const required of ['name', 'type'] as const) if (!columns.includes(required)) problems.push({ field: 'file', code: 'missingColumn', params: { column: required } });
  if (new Set(columns).size !== columns.length) problems.push({ field: 'file', code: 'repeatedColumn' });
  if (!body.some((r) => r.some((c) => c !== ''))) problems.push({ field: 'file', code: 'noRows' });
  if (body.length > MAX_IMPORT_ROWS) problems.push({ field: 'file', code: 'tooManyRows', params: { max: MAX_IMPORT_ROWS } });
  const records = body
    .map((cells, i) => ({ row: i + 2, cells: Object.fromEntries(positions.flatMap((h, j) => (known.has(h) ? [[h, unguard(cells[j] ?? '')]] : []))) as CsvRecord['cells'] }))
    .filter((r) => Object.values(r.cells).some((c) => c !== ''));
  return { columns, ignored, records, problems };
}

/**
 * Checks one record: the partner type and topics may be ids or names in any shipped language
 * (topics separated by ";"); every other field is checked as on the form.
 */
export function checkRecord(record: CsvRecord): CheckedRow {
  const { types, topics } = catalogLookups();
  const problems: FieldProblem[] = [];
  const rawType = record.cells.type ?? '';
  const type = rawType ? types.get(norm(rawType)) : '';
  if (rawType && !type) problems.push({ field: 'type', code: 'typeNotFound', params: { value: rawType } });
  const topicIds: string[] = [];
  for (const raw of (record.cells.topics ?? '').split(LIST_SEPARATOR).map((s) => s.trim()).filter(Boolean)) {
    const id = topics.get(norm(raw));
    if (id) topicIds.push(id);
    else if (!problems.some((p) => p.field === 'topics')) problems.push({ field: 'topics', code: 'topicNotFound', params: { value: raw } });
  }
  const result = checkPartner({ ...record.cells, type: type ?? rawType, topics: topicIds });
  if (!result.ok) for (const p of result.problems) if (!problems.some((x) => x.field === p.field)) problems.push(p);
  const ordered = PARTNER_FIELDS.flatMap((f) => problems.filter((p) => p.field === f));
  return { row: record.row, cells: record.cells, problems: ordered, ...(result.ok && !problems.length ? { value: result.value } : {}) };
}

/** Checks every record and flags a name and type that appear twice in the file. */
export function checkRecords(records: CsvRecord[]): CheckedRow[] {
  const seen = new Map<string, number>();
  return records.map((r) => {
    const checked = checkRecord(r);
    if (checked.value) {
      const key = `${nameKey(checked.value.name)}|${checked.value.type}`;
      const first = seen.get(key);
      if (first !== undefined) {
        checked.problems.push({ field: 'name', code: 'duplicateInFile', params: { row: first } });
        delete checked.value;
      } else seen.set(key, r.row);
    }
    return checked;
  });
}
