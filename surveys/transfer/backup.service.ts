import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, documentLine, headerLine, PROGRESS_EVERY, trailerLine, type ArchiveHeader, type ArchiveProgress, type ArchiveSummary } from './archive-format.js';
import { archivedNames, rawCollection, unknownCollections } from './collections.js';

export interface BackupOptions extends ArchiveProgress {
  /** Where the archive goes; written next to it as `<file>.partial` and renamed once complete. */
  file: string;
  /** Follow-up contacts are left out unless asked for. */
  withContacts?: boolean;
  appVersion: string;
  now?: Date;
}

export interface BackupResult extends ArchiveSummary {
  file: string;
  documents: number;
  bytes: number;
  sha256: string;
  /** Collections in the database this app does not know, so not archived. */
  unknown: string[];
}

/** Lines are handed to gzip in chunks of about this size rather than one by one. */
const CHUNK_CHARS = 256 * 1024;
const CURSOR_BATCH = 1000;

/**
 * Writes one archive of the database (see archive-format.ts for the format and collections.ts
 * for what is in it). Each collection is read with a cursor, so memory stays flat however many
 * responses there are, and the app can keep running: there are no transactions, so answers that
 * arrive during the backup may or may not be in it, and the trailer counts what was written.
 * The file is readable by its owner only; a failed backup leaves no file behind.
 */
export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const names = archivedNames(options.withContacts ?? false);
  const estimated = await Promise.all(names.map((n) => rawCollection(n).estimatedDocumentCount()));
  const header: ArchiveHeader = {
    format: ARCHIVE_FORMAT,
    formatVersion: ARCHIVE_VERSION,
    appVersion: options.appVersion,
    createdAt: (options.now ?? new Date()).toISOString(),
    withContacts: options.withContacts ?? false,
    collections: Object.fromEntries(names.map((n, i) => [n, estimated[i]!])),
  };
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  const progressEvery = options.progressEvery ?? PROGRESS_EVERY;
  let documents = 0;
  options.onProgress?.(0, '');

  async function* chunks(): AsyncGenerator<string> {
    let chunk = headerLine(header);
    hash.update(chunk);
    for (const name of names) {
      counts[name] = 0;
      // promoteValues: false keeps Int32, Double and Long apart (plain JS numbers would not).
      for await (const doc of rawCollection(name).find({}, { batchSize: CURSOR_BATCH, promoteValues: false })) {
        const line = documentLine(name, doc);
        hash.update(line);
        chunk += line;
        counts[name]++;
        if (++documents % progressEvery === 0) options.onProgress?.(documents, name);
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
    }
    yield chunk + trailerLine({ end: true, counts, sha256: hash.copy().digest('hex') });
  }

  const file = path.resolve(options.file);
  const partial = `${file}.partial`;
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await fs.rm(partial, { force: true });
  try {
    await pipeline(Readable.from(chunks()), createGzip(), createWriteStream(partial, { mode: 0o600 }));
    await fs.rename(partial, file);
  } catch (err) {
    await fs.rm(partial, { force: true });
    throw err;
  }
  options.onProgress?.(documents, '');
  const { size } = await fs.stat(file);
  return { file, header, counts, documents, bytes: size, sha256: hash.digest('hex'), unknown: await unknownCollections() };
}

/** `backups/community-needs-20261203-101500.jsonl.gz`: sorts by time, no characters a shell or Windows minds. */
export function defaultBackupFile(dir: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return path.join(dir, `community-needs-${stamp}.jsonl.gz`);
}
