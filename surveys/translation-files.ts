import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { AppError, ValidationError } from '../server/errors.js';
import type { SurveyDefinition } from './definition.schema.js';
import { MAX_TEXT } from './draft.js';
import { readTable } from './import-table.js';
import type { LanguageCode } from './languages.js';
import { neutraliseCell, restoreCell } from './spreadsheet-cells.js';
import { extractStrings, sourceKeys, type FlatStrings } from './translation.js';

export type TranslationFormat = 'json' | 'csv' | 'xlsx';
export const TRANSLATION_FORMATS: readonly TranslationFormat[] = ['json', 'csv', 'xlsx'];

export interface TranslationFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

/** Column headers of the CSV and XLSX files (kept in English: they are read back by name). */
export const COLUMNS = ['key', 'source', 'translation'] as const;

/** Every source key with its source text and the translation so far ('' where missing). */
export function translationRows(def: SurveyDefinition, lang: LanguageCode): { key: string; source: string; translation: string }[] {
  const source = extractStrings(def, def.defaultLanguage as LanguageCode);
  const target = extractStrings(def, lang);
  return sourceKeys(def).map((key) => ({ key, source: source[key] ?? '', translation: target[key] ?? '' }));
}

/**
 * A translation file for translators. JSON is the flat key → text format of the built-in
 * template's `<lang>.json` (missing texts as ""); CSV and XLSX have the columns key, source
 * and translation. CSV cells that a spreadsheet would run as a formula get a leading `'`,
 * which the import removes again.
 */
export async function exportTranslations(def: SurveyDefinition, lang: LanguageCode, format: TranslationFormat): Promise<TranslationFile> {
  const rows = translationRows(def, lang);
  const filename = `${def.slug}-${lang}.${format}`;
  if (format === 'json') {
    const flat = Object.fromEntries(rows.map((r) => [r.key, r.translation]));
    return { body: Buffer.from(`${JSON.stringify(flat, null, 2)}\n`, 'utf8'), contentType: 'application/json; charset=utf-8', filename };
  }
  if (format === 'csv') {
    const csv = stringify([[...COLUMNS], ...rows.map((r) => [r.key, neutraliseCell(r.source), neutraliseCell(r.translation)])]);
    return { body: Buffer.from(`\uFEFF${csv}`, 'utf8'), contentType: 'text/csv; charset=utf-8', filename };
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(lang);
  sheet.columns = [
    { header: COLUMNS[0], key: 'key', width: 40 },
    { header: COLUMNS[1], key: 'source', width: 60 },
    { header: COLUMNS[2], key: 'translation', width: 60 },
  ];
  for (const r of rows) sheet.addRow(r);
  sheet.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  sheet.getColumn(3).alignment = { wrapText: true, vertical: 'top' };
  const body = Buffer.from(await workbook.xlsx.writeBuffer());
  return { body, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename };
}

const fileProblem = (code: string, params?: Record<string, string | number>): ValidationError => new ValidationError([{ field: 'file', code, ...(params ? { params } : {}) }], 'invalidTranslationFile');

/** Reads a flat JSON translation file: an object of key → text. */
function readJson(buf: Buffer): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw fileProblem('malformedJson', { detail: (err as Error).message });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw fileProblem('jsonNotObject');
  return data as Record<string, unknown>;
}

/** Reads the key and translation columns of a CSV or XLSX (found by header, in any order). */
async function readSheet(buf: Buffer, kind: 'csv' | 'xlsx'): Promise<Record<string, unknown>> {
  let table;
  try {
    table = await readTable(buf, kind);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw err.status === 413 ? new AppError('fileTooLarge', 413) : fileProblem('unreadableSheet');
  }
  const headers = table.headers.map((h) => h.trim().toLowerCase());
  const keyAt = headers.indexOf('key');
  const textAt = headers.indexOf('translation');
  if (keyAt < 0 || textAt < 0) throw fileProblem('sheetColumns');
  const out: Record<string, unknown> = {};
  for (const row of table.rows) {
    const key = row.cells[keyAt]?.trim() ?? '';
    if (key) out[key] = kind === 'csv' ? restoreCell(row.cells[textAt] ?? '') : (row.cells[textAt] ?? '');
  }
  return out;
}

/** The entries of an uploaded translation file, by its kind (checked from its content by the upload middleware). */
export async function readTranslationFile(buf: Buffer, kind: string): Promise<Record<string, unknown>> {
  if (kind === 'json') return readJson(buf);
  if (kind === 'csv' || kind === 'xlsx') return readSheet(buf, kind);
  throw new AppError('fileType', 415);
}

export interface ImportCheck {
  /** Texts to apply: known keys with non-empty text. */
  strings: FlatStrings;
  /** Keys the survey does not have. */
  unknown: string[];
  /** Known keys whose value is not text or is too long. */
  invalid: string[];
  /** Known keys left empty in the file (the existing translation stays). */
  empty: number;
}

/** Sorts a file's entries into texts to apply, unknown keys, bad values and empty ones. */
export function checkImport(def: SurveyDefinition, entries: Record<string, unknown>): ImportCheck {
  const known = new Set(sourceKeys(def));
  const result: ImportCheck = { strings: {}, unknown: [], invalid: [], empty: 0 };
  for (const [key, value] of Object.entries(entries)) {
    if (!known.has(key)) result.unknown.push(key);
    else if (typeof value !== 'string' || value.length > MAX_TEXT) result.invalid.push(key);
    else if (!value.trim()) result.empty++;
    else result.strings[key] = value.replace(/\r\n/g, '\n').trim();
  }
  return result;
}
