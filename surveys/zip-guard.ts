import yauzl from 'yauzl';
import { ImportFileError } from './import.errors.js';

/** How much a spreadsheet (a ZIP file) may unpack to before anything parses it. */
export interface ZipLimits {
  /** Total uncompressed bytes of all entries. */
  maxTotalBytes: number;
  maxEntries: number;
  /** Largest compression ratio accepted for entries bigger than `ratioFromBytes`. */
  maxRatio: number;
  ratioFromBytes: number;
}

export const XLSX_ZIP_LIMITS: ZipLimits = { maxTotalBytes: 100 * 1024 * 1024, maxEntries: 200, maxRatio: 200, ratioFromBytes: 1024 * 1024 };

const EOCD_SIGNATURE = 0x06054b50;

/** Where the central directory starts, from the end-of-central-directory record (null when there is none). */
function centralDirectoryOffset(buf: Buffer): number | null {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIGNATURE) return buf.readUInt32LE(i + 16);
  }
  return null;
}

async function drain(stream: NodeJS.ReadableStream, budget: { left: number }): Promise<void> {
  for await (const chunk of stream) {
    budget.left -= (chunk as Buffer).length;
    if (budget.left < 0) throw new ImportFileError('zipTooLarge', 413);
  }
}

/**
 * Refuses ZIP bombs before a spreadsheet library sees the file. From the central directory:
 * too many entries, a declared total above the limit, or an absurd compression ratio. The
 * entries must also lie end to end from the start of the file to the central directory (no
 * overlapping entries, the trick behind non-recursive bombs, and no hidden entries that a
 * streaming reader would find but the directory does not list). Finally every entry is inflated
 * once, counting bytes, so a directory that lies about sizes is caught too (yauzl also checks
 * each entry against its declared size).
 */
export async function checkZip(buf: Buffer, limits: ZipLimits = XLSX_ZIP_LIMITS): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch {
    throw new ImportFileError('unreadableFile', 422);
  }
  try {
    if (zip.entryCount > limits.maxEntries) throw new ImportFileError('zipTooManyEntries', 413, { max: limits.maxEntries });
    const entries: { entry: yauzl.Entry; start: number; end: number }[] = [];
    let declared = 0;
    for await (const entry of zip.eachEntry()) {
      declared += entry.uncompressedSize;
      if (declared > limits.maxTotalBytes) throw new ImportFileError('zipTooLarge', 413);
      if (entry.uncompressedSize > limits.ratioFromBytes && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio) throw new ImportFileError('zipRatio', 413);
      if (entry.isEncrypted()) throw new ImportFileError('unreadableFile', 422);
      const header = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
      entries.push({ entry, start: entry.relativeOffsetOfLocalHeader, end: header.fileDataStart + entry.compressedSize });
    }
    entries.sort((a, b) => a.start - b.start);
    const directory = centralDirectoryOffset(buf);
    let cursor = 0;
    // A gap shorter than a local header (30 bytes) can hold a data descriptor but no entry.
    for (const { start, end } of [...entries, { start: directory ?? -1, end: 0 }]) {
      const gap = start - cursor;
      if (gap < 0 || gap > 24) throw new ImportFileError('zipLayout', 422);
      cursor = end;
    }
    const budget = { left: limits.maxTotalBytes };
    for (const { entry } of entries) {
      if (entry.fileName.endsWith('/')) continue;
      try {
        await drain(await zip.openReadStreamPromise(entry), budget);
      } catch (err) {
        // yauzl stops an entry that inflates to more than its directory says: the sizes lie.
        if (err instanceof ImportFileError) throw err;
        throw new ImportFileError('zipLayout', 422, {}, { cause: err });
      }
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError('unreadableFile', 422, {}, { cause: err });
  } finally {
    zip.close();
  }
}
