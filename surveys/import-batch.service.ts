import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { ImportBatchModel } from './import-batch.model.js';
import { ImportBatchGoneError } from './import.errors.js';
import type { Table, TableRow } from './import-table.js';
import type { LanguageCode } from './languages.js';

export const BATCH_TTL_MS = 60 * 60 * 1000;
/** A confirmation that has not finished after this long crashed; its batch may be claimed again. */
const STALE_CLAIM_MS = 10 * 60 * 1000;
const CHUNK_CHARS = 3_000_000;

export interface StoredBatch {
  id: string;
  surveySlug: string;
  userId: string;
  fileName: string;
  headers: string[];
  mapping: string[];
  lang: LanguageCode;
  tag?: string;
  rowCount: number;
}

export interface BatchInput {
  surveySlug: string;
  userId: string;
  fileName: string;
  fileKind: string;
  table: Table;
  mapping: string[];
  lang: LanguageCode;
  tag?: string;
}

/** Removes batches past their hour (FerretDB has no TTL indexes). */
export async function sweepExpiredBatches(now = new Date()): Promise<void> {
  await ImportBatchModel.deleteMany({ expiresAt: mongoose.trusted({ $lt: now }) });
}

/** Stores a parsed file: the head, then its rows in chunks of a few megabytes of JSON. */
export async function saveBatch(input: BatchInput, now = new Date()): Promise<string> {
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + BATCH_TTL_MS);
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const row of input.table.rows) {
    const json = JSON.stringify(row);
    if (size + json.length > CHUNK_CHARS && current.length) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      size = 0;
    }
    current.push(json);
    size += json.length + 1;
  }
  if (current.length) chunks.push(`[${current.join(',')}]`);
  await ImportBatchModel.insertMany(chunks.map((rows, index) => ({ _id: `${id}.${index}`, batch: id, surveySlug: input.surveySlug, index, rows, expiresAt })));
  await ImportBatchModel.create({
    _id: id,
    surveySlug: input.surveySlug,
    userId: input.userId,
    fileName: input.fileName,
    fileKind: input.fileKind,
    headers: input.table.headers,
    mapping: input.mapping,
    lang: input.lang,
    ...(input.tag ? { tag: input.tag } : {}),
    rowCount: input.table.rows.length,
    state: 'ready',
    expiresAt,
  });
  return id;
}

/** The batch a person uploaded for this survey, or 410 when it expired, was imported, or is not theirs. */
export async function loadBatch(id: string, slug: string, userId: string, now = new Date()): Promise<StoredBatch> {
  const doc = typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) ? await ImportBatchModel.findById(id).lean() : null;
  if (!doc || doc.batch || doc.surveySlug !== slug || doc.userId !== userId || doc.expiresAt.getTime() <= now.getTime()) throw new ImportBatchGoneError();
  return {
    id: doc._id,
    surveySlug: doc.surveySlug,
    userId: doc.userId ?? '',
    fileName: doc.fileName ?? '',
    headers: doc.headers ?? [],
    mapping: doc.mapping ?? [],
    lang: doc.lang as LanguageCode,
    ...(doc.tag ? { tag: doc.tag } : {}),
    rowCount: doc.rowCount ?? 0,
  };
}

export async function loadBatchRows(id: string): Promise<TableRow[]> {
  const chunks = await ImportBatchModel.find({ batch: id }, { rows: 1, index: 1 }).lean();
  return chunks.sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).flatMap((c) => JSON.parse(c.rows ?? '[]') as TableRow[]);
}

export async function saveMapping(id: string, mapping: string[]): Promise<void> {
  await ImportBatchModel.updateOne({ _id: id }, { $set: { mapping } });
}

/**
 * Claims a batch for one confirmation at a time (a double click or two tabs cannot import it
 * twice). A claim older than a few minutes belongs to a run that crashed, and is taken over.
 */
export async function claimBatch(id: string, now = new Date()): Promise<'claimed' | 'takenOver' | null> {
  const stale = mongoose.trusted({ $lt: new Date(now.getTime() - STALE_CLAIM_MS) });
  const before = await ImportBatchModel.findOneAndUpdate({ _id: id, $or: [{ state: 'ready' }, { state: 'importing', claimedAt: stale }] }, { $set: { state: 'importing', claimedAt: now } }).lean();
  if (!before) return null;
  return before.state === 'importing' ? 'takenOver' : 'claimed';
}

export async function releaseBatch(id: string): Promise<void> {
  await ImportBatchModel.updateOne({ _id: id }, { $set: { state: 'ready' } });
}

export async function deleteBatch(id: string): Promise<void> {
  await ImportBatchModel.deleteMany({ batch: id });
  await ImportBatchModel.deleteOne({ _id: id });
}
