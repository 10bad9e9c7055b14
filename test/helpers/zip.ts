import { once } from 'node:events';
import zlib from 'node:zlib';

export interface ZipEntrySpec {
  name: string;
  /** Stored (method 0) content. */
  data?: Buffer;
  /** Deflated content made of this many zero bytes, streamed so the test never holds them. */
  zeros?: number;
  /** A lie in the headers: the uncompressed size they claim. */
  declaredSize?: number;
}

const deflated = new Map<number, { compressed: Buffer; crc: number }>();

/** Deflates `n` zero bytes one megabyte at a time: a few hundred kilobytes for hundreds of megabytes (remembered per size). */
async function deflateZeros(n: number): Promise<{ compressed: Buffer; crc: number }> {
  const known = deflated.get(n);
  if (known) return known;
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const chunk = Buffer.alloc(1024 * 1024);
  let crc = 0;
  for (let left = n; left > 0; left -= chunk.length) {
    const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
    crc = zlib.crc32(part, crc);
    if (!deflate.write(part)) await once(deflate, 'drain');
  }
  deflate.end();
  await once(deflate, 'end');
  const result = { compressed: Buffer.concat(out), crc };
  deflated.set(n, result);
  return result;
}

/** Writes a minimal ZIP by hand (local headers, central directory, end record), as a bomb would be built. */
export async function buildZip(entries: ZipEntrySpec[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const { compressed, crc, size, method } = e.zeros !== undefined
      ? { ...(await deflateZeros(e.zeros)), size: e.zeros, method: 8 }
      : { compressed: e.data!, crc: zlib.crc32(e.data!), size: e.data!.length, method: 0 };
    const declared = e.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** `[Content_Types].xml` of a workbook, so content sniffing calls the file an XLSX. */
export const XLSX_CONTENT_TYPES = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
);

/** An XLSX-looking ZIP whose worksheet is `zeros` bytes of zeros (200 MB by default) deflated to a few hundred KB. */
export async function xlsxBomb(zeros = 200 * 1024 * 1024, declaredSize?: number): Promise<Buffer> {
  return buildZip([{ name: '[Content_Types].xml', data: XLSX_CONTENT_TYPES }, { name: 'xl/worksheets/sheet1.xml', zeros, ...(declaredSize !== undefined ? { declaredSize } : {}) }]);
}
