import { BSON, type Document } from 'mongodb';
import { AppError } from '../../server/errors.js';

/**
 * The backup archive: gzip'd newline-delimited JSON. Line 1 is the header, then one line per
 * document (`{"c": collection, "d": document}` in canonical Extended JSON, so ObjectIds, dates,
 * 32/64-bit integers versus doubles and the logo's bytes come back exactly), then the trailer:
 * the exact count per collection and a SHA-256 of every line before it (bytes, newlines
 * included). Plain text inside the gzip so `zcat | head` or `jq` can read it.
 */
export const ARCHIVE_FORMAT = 'community-needs-backup';
export const ARCHIVE_VERSION = 1;

export interface ArchiveHeader {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  appVersion: string;
  createdAt: string;
  withContacts: boolean;
  /** Documents per collection when the backup started; the app may add more while it runs (the trailer has the exact counts). */
  collections: Record<string, number>;
}

/** Progress reports while an archive is written or read. */
export interface ArchiveProgress {
  /** Called with 0 at the start, then every `progressEvery` documents and at the end with the number so far. */
  onProgress?: (documents: number, collection: string) => void;
  /** Defaults to PROGRESS_EVERY. */
  progressEvery?: number;
}

export const PROGRESS_EVERY = 10_000;

/** What an archive holds: its header and the exact documents per collection (as in the trailer). */
export interface ArchiveSummary {
  header: ArchiveHeader;
  counts: Record<string, number>;
}

export interface ArchiveTrailer {
  end: true;
  counts: Record<string, number>;
  sha256: string;
}

export type ArchiveProblem = 'notGzip' | 'notAnArchive' | 'newerFormat' | 'truncated' | 'damaged' | 'checksum' | 'counts' | 'unknownCollection';

/** A file that is not a complete, intact backup of this app. Found before anything is written. */
export class ArchiveError extends AppError {
  declare readonly code: ArchiveProblem;
  constructor(code: ArchiveProblem, message: string, options?: { cause?: unknown }) {
    super(code, 422, message, options);
  }
}

/** The database already holds data and the restore was not told to merge. */
export class RestoreRefusedError extends AppError {
  readonly collections: string[];
  constructor(collections: string[]) {
    super('notEmpty', 409, `The database is not empty (${collections.join(', ')} hold documents). Restore into an empty database, or pass --merge to add only what is missing.`);
    this.collections = collections;
  }
}

export function headerLine(header: ArchiveHeader): string {
  return `${JSON.stringify(header)}\n`;
}

export function documentLine(collection: string, doc: Document): string {
  return `{"c":${JSON.stringify(collection)},"d":${BSON.EJSON.stringify(doc, { relaxed: false })}}\n`;
}

export function trailerLine(trailer: ArchiveTrailer): string {
  return `${JSON.stringify(trailer)}\n`;
}

const TRAILER_START = '{"end":';

export function isTrailerLine(text: string): boolean {
  return text.startsWith(TRAILER_START);
}

/** The header, or an error saying why this is not one of our archives. */
export function parseHeader(text: string): ArchiveHeader {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ArchiveError('notAnArchive', 'This file is not a community-needs backup (its first line is not a backup header).');
  }
  const h = value as Partial<ArchiveHeader> | null;
  if (!h || typeof h !== 'object' || h.format !== ARCHIVE_FORMAT || typeof h.formatVersion !== 'number') {
    throw new ArchiveError('notAnArchive', 'This file is not a community-needs backup (its first line is not a backup header).');
  }
  if (h.formatVersion > ARCHIVE_VERSION) {
    throw new ArchiveError('newerFormat', `This backup uses archive format ${h.formatVersion}, made by a newer version of the app (${String(h.appVersion)}); this one reads format ${ARCHIVE_VERSION}. Update the app first.`);
  }
  return h as ArchiveHeader;
}

export function parseTrailer(text: string): ArchiveTrailer {
  try {
    const t = JSON.parse(text) as Partial<ArchiveTrailer>;
    if (t.end === true && typeof t.sha256 === 'string' && t.counts && typeof t.counts === 'object') return t as ArchiveTrailer;
  } catch {
    // reported below
  }
  throw new ArchiveError('damaged', 'The backup is damaged: its last line is not a valid trailer.');
}

/** One document line: its collection and the document, with BSON types restored. */
export function parseDocumentLine(text: string, lineNumber: number): { collection: string; doc: Document } {
  let value: { c?: unknown; d?: unknown };
  try {
    value = BSON.EJSON.parse(text, { relaxed: false }) as { c?: unknown; d?: unknown };
  } catch (err) {
    throw new ArchiveError('damaged', `The backup is damaged: line ${lineNumber} is not valid Extended JSON.`, { cause: err });
  }
  const { c, d } = value;
  if (typeof c !== 'string' || !d || typeof d !== 'object' || !('_id' in d)) {
    throw new ArchiveError('damaged', `The backup is damaged: line ${lineNumber} is not a document line.`);
  }
  return { collection: c, doc: d as Document };
}
