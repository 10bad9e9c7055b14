import type { Collection, Document } from 'mongodb';
import { clearSettingsCache } from '../settings.service.js';
import { surveysChanged } from '../survey-changes.js';
import { ArchiveError, PROGRESS_EVERY, RestoreRefusedError, type ArchiveHeader } from './archive-format.js';
import { readArchive } from './archive-reader.js';
import { archivedNames, rawCollection, type ArchivedName } from './collections.js';
import { resyncAllSurveys } from './derived.service.js';

export interface RestoreOptions {
  /** Into a database that already holds data: add what is missing, skip what is there. */
  merge?: boolean;
  /** Called every `progressEvery` documents: checking the archive first, then writing it. */
  onProgress?: (phase: 'check' | 'restore', documents: number, total: number, collection: string) => void;
  progressEvery?: number;
  batchSize?: number;
}

export interface CollectionOutcome {
  /** Documents written. */
  inserted: number;
  /** Documents not written because they are already there: the same `_id`, or (see `conflicts`) the same unique value. */
  skipped: number;
  /**
   * Of those, documents with a new `_id` whose unique value (a survey slug, an email, a submission
   * id) another document already holds. Only MongoDB says which index refused a document;
   * FerretDB does not, so there they count as skipped only.
   */
  conflicts: number;
}

export interface RestoreResult {
  header: ArchiveHeader;
  collections: Record<string, CollectionOutcome>;
  documents: number;
  /** Surveys whose analytical copies are filled again from the restored responses (in every instance). */
  rebuilt: string[];
  rebuildMs: number;
}

/** Collections holding data, among those a restore writes (contacts too, even when the archive has none). */
export async function nonEmptyCollections(): Promise<string[]> {
  const names = archivedNames(true);
  const counts = await Promise.all(names.map((n) => rawCollection(n).estimatedDocumentCount()));
  return names.filter((_, i) => counts[i]! > 0);
}

function writeErrorsOf(err: unknown): { index: number; code: number; errmsg?: string }[] | undefined {
  const raw = (err as { writeErrors?: unknown }).writeErrors;
  if (!raw) return undefined;
  return (Array.isArray(raw) ? raw : [raw]) as { index: number; code: number; errmsg?: string }[];
}

/** MongoDB: `E11000 duplicate key error collection: db.users index: email_1 dup key: ...`. */
const OTHER_INDEX = /\bindex: (?!_id_\b)\S+/;

/**
 * One unordered insert. Duplicate keys are not failures: the document (or one holding the same
 * unique value) is already stored, so nothing is ever doubled. Nothing is looked up per
 * document: on FerretDB a look-up costs a few milliseconds, which a merge of an archive into the
 * database it came from would pay for every document.
 */
async function insertBatch(collection: Collection<Document>, docs: Document[], outcome: CollectionOutcome): Promise<void> {
  try {
    await collection.insertMany(docs, { ordered: false });
    outcome.inserted += docs.length;
  } catch (err) {
    const writeErrors = writeErrorsOf(err);
    if (!writeErrors?.length || writeErrors.some((e) => e.code !== 11000)) throw err;
    outcome.inserted += docs.length - writeErrors.length;
    outcome.skipped += writeErrors.length;
    outcome.conflicts += writeErrors.filter((e) => OTHER_INDEX.test(e.errmsg ?? '')).length;
  }
}

/**
 * Restores an archive written by `createBackup`. First reads the whole archive and checks it
 * (header, every line, counts, checksum): a damaged, cut-short or foreign file is refused before
 * anything is written. Then refuses a database that holds data unless `merge` is set, writes the
 * documents in batches (the next batch is read while one is written), and rebuilds the derived
 * counters. Throws `ArchiveError` or `RestoreRefusedError`.
 */
export async function restoreBackup(file: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const progressEvery = options.progressEvery ?? PROGRESS_EVERY;
  const checked = await readArchive(file, { progressEvery, onProgress: (n, c) => options.onProgress?.('check', n, n, c) });
  const total = Object.values(checked.counts).reduce((a, b) => a + b, 0);

  if (!options.merge) {
    const filled = await nonEmptyCollections();
    if (filled.length) throw new RestoreRefusedError(filled);
  }

  const collections: Record<string, CollectionOutcome> = {};
  for (const name of Object.keys(checked.counts)) collections[name] = { inserted: 0, skipped: 0, conflicts: 0 };
  let writing: Promise<void> = Promise.resolve();
  let failure: { err: unknown } | undefined;
  const onBatch = async (name: ArchivedName, docs: Document[]): Promise<void> => {
    await writing;
    if (failure) throw failure.err;
    writing = insertBatch(rawCollection(name), docs, collections[name]!).catch((err: unknown) => {
      failure = { err };
    });
  };
  try {
    await readArchive(file, { onBatch, progressEvery, batchSize: options.batchSize, onProgress: (n, c) => options.onProgress?.('restore', n, total, c) });
    await writing;
    if (failure) throw failure.err;
  } catch (err) {
    await writing;
    // Checked a moment ago: a problem now means the file changed in between.
    if (err instanceof ArchiveError) throw new ArchiveError(err.code, `${err.message} The file changed while it was being restored; part of it was written.`, { cause: err });
    throw err;
  } finally {
    // Other code in this process may hold surveys or settings in memory.
    surveysChanged();
    clearSettingsCache();
  }
  const rebuildStarted = Date.now();
  const rebuilt = await resyncAllSurveys();
  return { header: checked.header, collections, documents: total, rebuilt, rebuildMs: Date.now() - rebuildStarted };
}
