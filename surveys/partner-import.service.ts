import mongoose from 'mongoose';
import { NotFoundError, type FieldProblem } from '../server/errors.js';
import { checkRecords, parsePartnerCsv, type CheckedRow } from './partner-csv.js';
import { PartnerImportModel, PartnerModel } from './partner.model.js';
import { nameKey, PARTNER_FIELDS, type PartnerField, type PartnerInput } from './partner.schema.js';

/** How long a previewed import waits for confirmation. */
const IMPORT_TTL_MS = 24 * 3600 * 1000;

export interface PreviewRow extends CheckedRow {
  /** For a valid row: a new organization, or an update of one with the same name and type. */
  action?: 'create' | 'update';
}

export interface ImportPreview {
  columns: PartnerField[];
  ignored: string[];
  /** Problems with the file as a whole (unreadable, missing columns...). */
  problems: FieldProblem[];
  rows: PreviewRow[];
  valid: number;
  invalid: number;
  creates: number;
  updates: number;
  /** Set when every row is valid: confirming this id writes them all. */
  importId?: string;
}

const rowKey = (value: PartnerInput): string => `${nameKey(value.name)}|${value.type}`;

/**
 * Reads a CSV file and checks every row, without writing any organization. The import is
 * all or nothing: only when every row is valid is it kept (for a day) to be confirmed.
 */
export async function previewImport(buffer: Buffer, userId: string, now = new Date()): Promise<ImportPreview> {
  const parsed = parsePartnerCsv(buffer.toString('utf8'));
  const rows: PreviewRow[] = parsed.problems.length ? [] : checkRecords(parsed.records);
  const valid = rows.filter((r) => r.value);
  const keys = [...new Set(valid.map((r) => nameKey(r.value!.name)))];
  const existing = keys.length ? await PartnerModel.find({ nameKey: mongoose.trusted({ $in: keys }) }, { nameKey: 1, type: 1 }).lean() : [];
  const known = new Set(existing.map((d) => `${d.nameKey}|${d.type}`));
  for (const r of valid) r.action = known.has(rowKey(r.value!)) ? 'update' : 'create';
  const preview: ImportPreview = {
    columns: parsed.columns,
    ignored: parsed.ignored,
    problems: parsed.problems,
    rows,
    valid: valid.length,
    invalid: rows.length - valid.length,
    creates: valid.filter((r) => r.action === 'create').length,
    updates: valid.filter((r) => r.action === 'update').length,
  };
  if (!preview.problems.length && preview.invalid === 0 && preview.valid > 0) {
    await PartnerImportModel.deleteMany({ createdAt: mongoose.trusted({ $lt: new Date(now.getTime() - IMPORT_TTL_MS) }) });
    const saved = await PartnerImportModel.create({ userId, createdAt: now, columns: parsed.columns, rows: valid.map((r) => r.value) });
    preview.importId = String(saved._id);
  }
  return preview;
}

/**
 * Writes a previewed import: each row updates the organization with the same name and type
 * (ignoring case), or adds it. On update only the file's columns are written, and the program
 * history is never touched. The preview is used once.
 */
export async function confirmImport(importId: string, userId: string, now = new Date()): Promise<{ created: number; updated: number }> {
  const pending = /^[0-9a-f]{24}$/i.test(importId) ? await PartnerImportModel.findOne({ _id: importId, userId }).lean() : null;
  if (!pending || now.getTime() - pending.createdAt.getTime() > IMPORT_TTL_MS) throw new NotFoundError('notFound');
  await PartnerImportModel.deleteOne({ _id: pending._id });
  const columns = new Set<string>(pending.columns);
  const rows = pending.rows as PartnerInput[];
  if (!rows.length) return { created: 0, updated: 0 };
  const ops = rows.map((value) => {
    const set: Record<string, unknown> = { name: value.name };
    const onInsert: Record<string, unknown> = {};
    for (const field of PARTNER_FIELDS) {
      if (field === 'name' || field === 'type') continue;
      (columns.has(field) ? set : onInsert)[field] = value[field];
    }
    return { updateOne: { filter: { nameKey: nameKey(value.name), type: value.type }, update: Object.keys(onInsert).length ? { $set: set, $setOnInsert: onInsert } : { $set: set }, upsert: true } };
  });
  const result = await PartnerModel.bulkWrite(ops, { ordered: false });
  return { created: result.upsertedCount, updated: result.matchedCount };
}
