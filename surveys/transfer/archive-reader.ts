import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Document } from 'mongodb';
import { ArchiveError, isTrailerLine, parseDocumentLine, parseHeader, parseTrailer, PROGRESS_EVERY, type ArchiveHeader, type ArchiveProgress, type ArchiveSummary, type ArchiveTrailer } from './archive-format.js';
import { isArchivedName, type ArchivedName } from './collections.js';

/** A header longer than this means the file is something else (a big log, say), not ours. */
const MAX_HEADER_BYTES = 64 * 1024;
/** A document is at most 16 MB of BSON; its Extended JSON can be a few times larger. */
const MAX_LINE_BYTES = 256 * 1024 * 1024;

export interface ReadOptions extends ArchiveProgress {
  /** Receives the documents in order, a batch at a time (one collection per batch). Omitted: only check. */
  onBatch?: (collection: ArchivedName, docs: Document[]) => Promise<void>;
  batchSize?: number;
}

export interface ArchiveContents extends ArchiveSummary {
  trailer: ArchiveTrailer;
}

/** The decompressed lines (without their newline). A last line without one means the file was cut short. */
async function* splitLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const parts: Buffer[] = [];
  let partBytes = 0;
  let first = true;
  for await (const chunk of chunks) {
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf(10, start)) !== -1) {
      const piece = chunk.subarray(start, nl);
      yield parts.length ? Buffer.concat([...parts, piece]) : piece;
      parts.length = 0;
      partBytes = 0;
      first = false;
      start = nl + 1;
    }
    if (start < chunk.length) {
      parts.push(chunk.subarray(start));
      partBytes += chunk.length - start;
      if (first && partBytes > MAX_HEADER_BYTES) throw new ArchiveError('notAnArchive', 'This file is not a community-needs backup (no backup header at its start).');
      if (partBytes > MAX_LINE_BYTES) throw new ArchiveError('damaged', 'The backup is damaged: a line is longer than any document can be.');
    }
  }
  if (partBytes) throw new ArchiveError('truncated', 'The backup is incomplete: it ends in the middle of a line (the file was cut short).');
}

async function assertGzip(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    if (bytesRead < 2 || buffer[0] !== 0x1f || buffer[1] !== 0x8b) throw new ArchiveError('notGzip', 'This file is not a community-needs backup (it is not gzip-compressed).');
  } finally {
    await handle.close();
  }
}

function zlibProblem(err: unknown): ArchiveError | undefined {
  if (err instanceof ArchiveError) return err;
  const { code, message } = err as { code?: string; message?: string };
  if (code === 'Z_BUF_ERROR' || message === 'unexpected end of file') return new ArchiveError('truncated', 'The backup is incomplete: the compressed file ends early (cut short while copying or writing?).', { cause: err });
  if (code?.startsWith('Z_')) return new ArchiveError('damaged', `The backup is damaged: it does not decompress (${message ?? code}).`, { cause: err });
  return undefined;
}

/**
 * Reads an archive from start to end, checking everything: the header, each line, the counts
 * and the checksum in the trailer. With `onBatch`, hands over the documents on the way; without
 * it, it is the check a restore runs before writing anything. Throws `ArchiveError`.
 */
export async function readArchive(file: string, options: ReadOptions = {}): Promise<ArchiveContents> {
  await assertGzip(file);
  const batchSize = options.batchSize ?? 1000;
  const progressEvery = options.progressEvery ?? PROGRESS_EVERY;
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.on('error', (err) => gunzip.destroy(err));
  input.pipe(gunzip);

  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  let header: ArchiveHeader | undefined;
  let trailer: ArchiveTrailer | undefined;
  let batch: Document[] = [];
  let batchCollection: ArchivedName | undefined;
  let lineNumber = 0;
  let documents = 0;
  const flush = async (): Promise<void> => {
    if (batch.length && batchCollection && options.onBatch) await options.onBatch(batchCollection, batch);
    batch = [];
  };
  options.onProgress?.(0, '');
  try {
    for await (const bytes of splitLines(gunzip)) {
      lineNumber++;
      if (trailer) throw new ArchiveError('damaged', 'The backup is damaged: there is content after its last line.');
      const text = bytes.toString('utf8');
      if (!header) {
        header = parseHeader(text);
      } else if (isTrailerLine(text)) {
        trailer = parseTrailer(text);
        continue;
      } else {
        const { collection, doc } = parseDocumentLine(text, lineNumber);
        if (!isArchivedName(collection)) throw new ArchiveError('unknownCollection', `The backup holds a collection this app does not restore: ${collection}.`);
        counts[collection] = (counts[collection] ?? 0) + 1;
        documents++;
        if (options.onBatch) {
          if (collection !== batchCollection || batch.length >= batchSize) await flush();
          batchCollection = collection;
          batch.push(doc);
        }
        if (documents % progressEvery === 0) options.onProgress?.(documents, collection);
      }
      hash.update(bytes);
      hash.update('\n');
    }
  } catch (err) {
    throw zlibProblem(err) ?? err;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  if (!header) throw new ArchiveError('notAnArchive', 'This file is not a community-needs backup (it is empty).');
  if (!trailer) throw new ArchiveError('truncated', 'The backup is incomplete: its last line (the trailer with the checksum) is missing.');
  if (hash.digest('hex') !== trailer.sha256) throw new ArchiveError('checksum', 'The backup is damaged: its content does not match the checksum it was written with.');
  const names = new Set([...Object.keys(counts), ...Object.keys(trailer.counts)]);
  for (const name of names) {
    if ((counts[name] ?? 0) !== (trailer.counts[name] ?? 0)) throw new ArchiveError('counts', `The backup is damaged: ${name} has ${counts[name] ?? 0} documents, the trailer says ${trailer.counts[name] ?? 0}.`);
  }
  await flush();
  options.onProgress?.(documents, '');
  return { header, trailer, counts };
}
