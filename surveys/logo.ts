import { createHash } from 'node:crypto';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { ValidationError } from '../server/errors.js';
import type { LogoType } from './settings.model.js';
import { sanitizeSvg } from './svg-sanitize.js';

/** The largest logo accepted, in bytes (checked by the upload before it reaches here). */
export const LOGO_MAX_BYTES = 512 * 1024;
/** Larger pictures are refused before decoding (a small file can claim a huge picture). */
export const LOGO_MAX_SIDE = 6000;
/** Raster logos are scaled down to fit this many pixels: plenty for a header or a printed poster. */
export const LOGO_FIT_SIDE = 1200;

export interface PreparedLogo {
  data: Buffer;
  contentType: LogoType;
  hash: string;
}

export type LogoRefusal = 'logoSvgInvalid' | 'logoSvgUnsafe' | 'logoUnreadable' | 'logoDimensions';

function refuse(code: LogoRefusal, params?: Record<string, number>): never {
  throw new ValidationError([{ field: 'logo', code, ...(params ? { params } : {}) }], code);
}

/** Width and height from a PNG's IHDR chunk or a JPEG's frame header, without decoding. */
export function rasterSize(buf: Buffer, kind: 'png' | 'jpeg'): { width: number; height: number } | null {
  if (kind === 'png') {
    if (buf.length < 24 || buf.toString('latin1', 12, 16) !== 'IHDR') return null;
    return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  }
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) return null;
    const marker = buf[i + 1]!;
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    // Start-of-frame markers (baseline, progressive...), not DHT, JPG or DAC.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + buf.readUInt16BE(i + 2);
  }
  return null;
}

/**
 * Decodes a PNG or JPEG and encodes it again (scaled to fit LOGO_FIT_SIDE): what is kept is
 * only pixels, with no metadata (camera, place) and nothing appended after the picture.
 */
async function reencode(buf: Buffer, kind: 'png' | 'jpeg'): Promise<Buffer> {
  const size = rasterSize(buf, kind);
  if (!size || size.width < 1 || size.height < 1) refuse('logoUnreadable');
  if (size.width > LOGO_MAX_SIDE || size.height > LOGO_MAX_SIDE) refuse('logoDimensions', { max: LOGO_MAX_SIDE });
  const image = await loadImage(buf).catch(() => refuse('logoUnreadable'));
  if (image.width !== size.width || image.height !== size.height) refuse('logoUnreadable');
  const scale = Math.min(1, LOGO_FIT_SIDE / Math.max(image.width, image.height));
  const canvas = createCanvas(Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale)));
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  return kind === 'png' ? canvas.encode('png') : canvas.encode('jpeg', 90);
}

/**
 * Checks and cleans an uploaded logo whose type was decided from its content (never its
 * name): an SVG is sanitized, a PNG or JPEG re-encoded. Throws a ValidationError on field
 * `logo` with the refusal's code.
 */
export async function prepareLogo(buf: Buffer, kind: 'png' | 'jpeg' | 'svg'): Promise<PreparedLogo> {
  let data: Buffer;
  let contentType: LogoType;
  if (kind === 'svg') {
    const result = sanitizeSvg(buf.toString('utf8').replace(/^\uFEFF/, ''));
    if (!result.ok) refuse(result.code);
    data = Buffer.from(result.svg, 'utf8');
    contentType = 'image/svg+xml';
  } else {
    data = await reencode(buf, kind);
    contentType = kind === 'png' ? 'image/png' : 'image/jpeg';
  }
  return { data, contentType, hash: createHash('sha256').update(data).digest('base64url').slice(0, 22) };
}
