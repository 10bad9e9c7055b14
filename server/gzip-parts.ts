import zlib from 'node:zlib';

/**
 * A page made of fixed texts with short values between them, gzip-compressed without compressing
 * the fixed texts again on every request: gzip at level 6 of a 30 KB form took ~0.6 ms, more
 * than everything else the cached form page does (`npm run bench`, "Form … under load").
 *
 * A deflate stream is a series of blocks, and blocks compressed apart can follow one another
 * when each but the last ends on a byte boundary without the final-block bit: what a sync flush
 * ends with (RFC 1951). So each text is compressed once, ending in a sync flush (the last one
 * ending the stream), each value goes between them as a stored (uncompressed) block, and the
 * gzip wrapper (RFC 1952) around them needs the CRC-32 and length of the whole page.
 */
export interface GzipParts {
  /** Each text as raw deflate blocks: all but the last end with a sync flush, the last ends the stream. */
  deflated: Buffer[];
  /** Each text's UTF-8 bytes, for the CRC-32 of the whole page. */
  raw: Buffer[];
}

/** Magic, deflate, no flags, no time, no extra flags, OS "unknown" (RFC 1952, 2.3). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);

/** Compresses the fixed texts once (level 6, as the compression middleware). */
export function prepareGzip(texts: string[]): GzipParts {
  const raw = texts.map((t) => Buffer.from(t, 'utf8'));
  const deflated = raw.map((buf, i) => zlib.deflateRawSync(buf, i < raw.length - 1 ? { finishFlush: zlib.constants.Z_SYNC_FLUSH } : {}));
  return { deflated, raw };
}

/** A stored block that is not the last: header byte, LEN and its one's complement, the bytes (RFC 1951, 3.2.4). */
function storedBlock(bytes: Buffer): Buffer {
  if (bytes.length > 0xffff) throw new RangeError('a stored block holds at most 65,535 bytes');
  const head = Buffer.alloc(5);
  head.writeUInt16LE(bytes.length, 1);
  head.writeUInt16LE(~bytes.length & 0xffff, 3);
  return Buffer.concat([head, bytes]);
}

/**
 * CRC-32 continued over `bytes`. An empty buffer leaves it as it is: zlib.crc32 of an empty
 * buffer without memory behind it starts over at 0 (zlib's crc32 given no data answers its
 * initial value), which would spoil the page's checksum.
 */
const crc32 = (bytes: Buffer, crc: number): number => (bytes.length ? zlib.crc32(bytes, crc) : crc);

/** The gzip file of texts[0] values[0] texts[1] … texts[n]: `values` has one fewer entry than the texts. */
export function gzipJoin(parts: GzipParts, values: string[]): Buffer {
  const chunks: Buffer[] = [GZIP_HEADER, parts.deflated[0]!];
  let crc = crc32(parts.raw[0]!, 0);
  let size = parts.raw[0]!.length;
  values.forEach((value, i) => {
    const bytes = Buffer.from(value, 'utf8');
    chunks.push(storedBlock(bytes), parts.deflated[i + 1]!);
    crc = crc32(parts.raw[i + 1]!, crc32(bytes, crc));
    size += bytes.length + parts.raw[i + 1]!.length;
  });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size >>> 0, 4);
  chunks.push(trailer);
  return Buffer.concat(chunks);
}
