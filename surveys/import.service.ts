import { createHash } from 'node:crypto';
import { AppError, ConflictError } from '../server/errors.js';
import { fingerprint } from './answers.js';
import { claimBatch, deleteBatch, loadBatchRows, releaseBatch, saveBatch, sweepExpiredBatches, type StoredBatch } from './import-batch.service.js';
import { guessMapping, mappingProblems, type ImportVocabulary, type MappingProblem } from './import-mapping.js';
import { convertRow, planColumns, stableSubmissionId, type ConvertedRow, type RowProblem } from './import-rows.js';
import { readTable, type ImportKind, type TableRow } from './import-table.js';
import { ImportFileError } from './import.errors.js';
import type { LanguageCode } from './languages.js';
import { responsesStored } from './insights/analytics-changes.js';
import { copyTotals } from './insights/analytics-copy.js';
import { ResponseModel } from './response.model.js';
import type { SurveySnapshot } from './survey.service.js';

export interface ImportUpload {
  buffer: Buffer;
  kind: ImportKind;
  displayName: string;
}

export interface PreparedRow extends ConvertedRow {
  submissionId: string;
  /** The id came from the file (not derived from the content). */
  explicit: boolean;
}

/** What a preview shows and a confirmation needs. */
export interface ImportCheck {
  rowCount: number;
  mappingProblems: MappingProblem[];
  /** Every row problem, in row order. */
  problems: RowProblem[];
  problemRows: number;
  /** Rows whose submission id is already stored with the same answers: skipped, not an error. */
  alreadyImported: number;
  toStore: PreparedRow[];
  ready: boolean;
}

/** A confirmation refused because rows or the mapping have problems; nothing was stored. */
export class ImportRowsError extends AppError {
  readonly check: ImportCheck;
  constructor(check: ImportCheck) {
    super('importHasErrors', 422);
    this.check = check;
  }
}

/**
 * Reads an uploaded CSV or XLSX, guesses the column mapping and keeps the parsed rows on the
 * server for an hour. Refuses (422) a file where no column matches a question.
 */
export async function startImport(input: { survey: SurveySnapshot; vocab: ImportVocabulary; upload: ImportUpload; userId: string; lang: LanguageCode; tag?: string }): Promise<string> {
  await sweepExpiredBatches();
  const table = await readTable(input.upload.buffer, input.upload.kind);
  const mapping = guessMapping(input.vocab, table.headers);
  if (mappingProblems(input.vocab, mapping).some((p) => p.code === 'nothingMapped')) throw new ImportFileError('nothingMapped', 422);
  return saveBatch({ surveySlug: input.survey.slug, userId: input.userId, fileName: input.upload.displayName, fileKind: input.upload.kind, table, mapping, lang: input.lang, ...(input.tag ? { tag: input.tag } : {}) });
}

/**
 * The submission ids this survey already has, with their answers' fingerprints: one read, no
 * per-id lookups. A survey whose analytical copy holds no response is not read at all (the usual
 * first import; on FerretDB the read scans every response). Should the copy be behind, the
 * unique index still refuses a second copy at insert time.
 */
async function surveySubmissions(slug: string): Promise<Map<string, string>> {
  if (((await copyTotals([slug])).get(slug) ?? 0) <= 0) return new Map();
  const docs = await ResponseModel.find({ surveySlug: slug }, { submissionId: 1, fingerprint: 1 }).lean();
  return new Map(docs.map((d) => [d.submissionId, d.fingerprint]));
}

/** An id from another survey's export, made this survey's own (the same every time, so re-imports still match). */
export function adoptedId(slug: string, id: string): string {
  return `imp-${createHash('sha256').update(`${slug}\u0000id\u0000${id}`).digest('hex').slice(0, 40)}`;
}

/**
 * Checks every row with the mapping, gives each a submission id (its own, or a stable one
 * derived from its content) and compares with what the survey already holds: rows stored
 * before with the same answers are skipped; an id stored with different answers is a problem.
 * (An id from another survey's export that another survey already uses is given an adopted id
 * when it is stored; see insertResponses.)
 */
export async function checkRows(survey: SurveySnapshot, vocab: ImportVocabulary, batch: StoredBatch, rows: TableRow[], now: Date): Promise<ImportCheck> {
  const mapping = mappingProblems(vocab, batch.mapping);
  const plan = planColumns(vocab, batch.mapping);
  const defaults = { lang: batch.lang, channel: 'paper' as const, ...(batch.tag ? { tag: batch.tag } : {}), now };
  const converted = rows.map((r) => convertRow(vocab, plan, r.row, r.cells, defaults));
  const occurrences = new Map<string, number>();
  const explicit = new Map<string, number>();
  const prepared = converted.map((c): PreparedRow => {
    if (c.submissionId) {
      const first = explicit.get(c.submissionId);
      if (first !== undefined) c.problems.push({ row: c.row, field: 'meta:submission_id', code: 'duplicateId', params: { first } });
      else explicit.set(c.submissionId, c.row);
      return { ...c, submissionId: c.submissionId, explicit: true };
    }
    const n = (occurrences.get(c.contentKey) ?? 0) + 1;
    occurrences.set(c.contentKey, n);
    return { ...c, submissionId: stableSubmissionId(survey.slug, c.contentKey, n), explicit: false };
  });
  const existing = await surveySubmissions(survey.slug);
  let alreadyImported = 0;
  const toStore: PreparedRow[] = [];
  for (const c of prepared) {
    if (c.problems.length) continue;
    const adopted = c.explicit ? adoptedId(survey.slug, c.submissionId) : '';
    const stored = existing.get(c.submissionId) ?? existing.get(adopted);
    if (stored === undefined) toStore.push(c);
    else if (stored === fingerprint(c.answers, c.other)) alreadyImported++;
    else c.problems.push({ row: c.row, field: 'meta:submission_id', code: 'idInUse' });
  }
  const problems = prepared.flatMap((c) => c.problems);
  const problemRows = prepared.filter((c) => c.problems.length).length;
  return { rowCount: rows.length, mappingProblems: mapping, problems, problemRows, alreadyImported, toStore, ready: mapping.length === 0 && problemRows === 0 };
}

export async function checkBatch(survey: SurveySnapshot, vocab: ImportVocabulary, batch: StoredBatch, now = new Date()): Promise<ImportCheck> {
  return checkRows(survey, vocab, batch, await loadBatchRows(batch.id), now);
}

/** A response to store; `adoptable` when its id came from a file and may be taken by another survey. */
export interface NewResponse {
  doc: Record<string, unknown> & { submissionId: string };
  adoptable: boolean;
}

/** Inserts one chunk (unordered); returns the adoptable rows whose id another response already has. */
async function insertChunk(rows: NewResponse[], marker: string): Promise<NewResponse[]> {
  try {
    await ResponseModel.collection.insertMany(rows.map((r): Record<string, unknown> => ({ ...r.doc, _id: r.doc.submissionId, importBatch: marker })), { ordered: false });
    return [];
  } catch (err) {
    const raw = (err as { writeErrors?: unknown }).writeErrors;
    const writeErrors = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { index: number; code: number }[];
    if (!writeErrors.length || writeErrors.some((e) => e.code !== 11000)) throw err;
    const collided = writeErrors.map((e) => rows[e.index]!);
    if (collided.some((r) => !r.adoptable)) throw new ConflictError('importConflict');
    return collided;
  }
}

/** Each chunk carries its own mark (`<batch>#<chunk>`): FerretDB deletes at most ~32,000 documents per statement. */
const chunkMark = (marker: string, chunk: number): string => `${marker}#${chunk}`;
export const INSERT_CHUNK = 1000;

/** Deletes every response an import stored (all its chunk marks); used to undo a failed or crashed import. */
export async function removeImported(slug: string, marker: string, rowCount: number, chunkSize = INSERT_CHUNK): Promise<void> {
  for (let chunk = 0; chunk * chunkSize < Math.max(rowCount, 1); chunk++) await ResponseModel.deleteMany({ surveySlug: slug, importBatch: chunkMark(marker, chunk) });
}

/**
 * Inserts in chunks, marking each response with the import's batch id. A file's own id that
 * another survey already uses (this survey's ids were checked before) is replaced by an adopted
 * id. There are no transactions, so when an insert fails part-way everything this batch stored
 * is deleted again (by the mark, never by submission id: a response someone else stored with
 * the same id stays).
 */
export async function insertResponses(slug: string, rows: NewResponse[], marker: string, chunkSize = INSERT_CHUNK): Promise<void> {
  const stored: Record<string, unknown>[] = [];
  try {
    for (let i = 0; i < rows.length; i += chunkSize) {
      const mark = chunkMark(marker, i / chunkSize);
      const chunk = rows.slice(i, i + chunkSize);
      const collided = await insertChunk(chunk, mark);
      const adopted = collided.map((r) => ({ doc: { ...r.doc, submissionId: adoptedId(slug, r.doc.submissionId) }, adoptable: false }));
      if (adopted.length) await insertChunk(adopted, mark);
      const moved = new Set(collided);
      for (const r of [...chunk.filter((r) => !moved.has(r)), ...adopted]) stored.push({ ...r.doc, _id: r.doc.submissionId });
    }
  } catch (err) {
    await removeImported(slug, marker, rows.length, chunkSize);
    throw err;
  }
  // Into the analytical copies once all of it is stored (an import is all or nothing), in log
  // entries of a few hundred responses each.
  for (let i = 0; i < stored.length; i += 500) await responsesStored(stored.slice(i, i + 500));
}

/**
 * Imports a checked batch, all or nothing: any problem and nothing is stored (422 with the
 * check); otherwise every new row is stored (and goes into the analytical copies), rows already
 * imported are skipped and the batch is deleted.
 */
export async function confirmImport(survey: SurveySnapshot, vocab: ImportVocabulary, batch: StoredBatch, now = new Date()): Promise<{ imported: number; skipped: number }> {
  const claim = await claimBatch(batch.id, now);
  if (!claim) throw new ConflictError('importBusy');
  try {
    // Left over by a run that crashed part-way (its claim went stale): remove before checking again.
    if (claim === 'takenOver') await removeImported(survey.slug, batch.id, batch.rowCount);
    const check = await checkBatch(survey, vocab, batch, now);
    if (!check.ready) throw new ImportRowsError(check);
    const docs = check.toStore.map((r) => ({
      surveySlug: survey.slug,
      surveyVersion: survey.version,
      submissionId: r.submissionId,
      fingerprint: fingerprint(r.answers, r.other),
      answers: r.answers,
      other: r.other,
      lang: r.lang,
      channel: r.channel,
      ...(r.location ? { location: r.location } : {}),
      ...(r.tag ? { tag: r.tag } : {}),
      submittedAt: r.submittedAt ?? now,
    }));
    await insertResponses(survey.slug, docs.map((doc, i) => ({ doc, adoptable: check.toStore[i]!.explicit })), batch.id);
    await deleteBatch(batch.id);
    return { imported: docs.length, skipped: check.alreadyImported };
  } catch (err) {
    await releaseBatch(batch.id).catch(() => undefined);
    throw err;
  }
}
