import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { fileTypeFromBuffer } from 'file-type';
import multer from 'multer';
import { AppError, BadRequestError } from '../errors.js';
import { verifyCsrf } from './csrf.js';
import { isFormShaped } from './form-shape.js';

/** What an upload is allowed to be, judged by its content, never by its name or declared type. */
export type FileKind = 'json' | 'csv' | 'xlsx' | 'png' | 'jpeg' | 'svg';

export interface UploadedFile {
  buffer: Buffer;
  kind: FileKind;
  size: number;
  /** The name the person's computer gave it, cleaned for display only; never used as a path. */
  displayName: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    upload?: UploadedFile;
  }
}

export interface UploadRule {
  field: string;
  maxBytes: number;
  kinds: FileKind[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8Text(buf: Buffer): boolean {
  if (buf.includes(0)) return false;
  try {
    utf8.decode(buf);
    return true;
  } catch {
    return false;
  }
}

/**
 * Text saved as UTF-16 with a byte order mark (Excel's "Unicode text", common for Chinese or
 * Vietnamese spreadsheets) as UTF-8, so everything after the upload reads UTF-8 only; null
 * for anything else, or for bytes that are not valid UTF-16.
 */
export function fromUtf16(buf: Buffer): Buffer | null {
  const encoding = buf[0] === 0xff && buf[1] === 0xfe ? 'utf-16le' : buf[0] === 0xfe && buf[1] === 0xff ? 'utf-16be' : null;
  if (!encoding || buf.length % 2 !== 0) return null;
  try {
    return Buffer.from(new TextDecoder(encoding, { fatal: true }).decode(buf), 'utf8');
  } catch {
    return null;
  }
}

/** Decides what a file really is from its bytes. */
export async function detectKind(buf: Buffer): Promise<FileKind | 'unknown' | 'text-not-utf8'> {
  const sniffed = await fileTypeFromBuffer(buf);
  if (sniffed?.mime === 'image/png') return 'png';
  if (sniffed?.mime === 'image/jpeg') return 'jpeg';
  if (sniffed?.ext === 'xlsx') return 'xlsx';
  if (sniffed && sniffed.mime !== 'application/xml' && sniffed.ext !== 'svg') return 'unknown';
  if (!isUtf8Text(buf)) return buf.includes(0) ? 'unknown' : 'text-not-utf8';
  const text = buf.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text)) return 'svg';
  if (text.startsWith('{') || text.startsWith('[')) return 'json';
  return 'csv';
}

export function displayName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').slice(0, 120) || 'upload';
}

/**
 * The error of reading a multipart body, as a typed error: multer's limits by their code, and
 * anything else the parser (busboy) reports, such as a malformed part header (a NUL in a file
 * name), a missing boundary or a body cut short, as a 400: the request, not the app, is broken.
 */
export function multipartError(err: unknown): AppError {
  if (!(err instanceof multer.MulterError)) return new AppError('malformedBody', 400, undefined, { cause: err });
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return new AppError('fileTooLarge', 413);
    case 'LIMIT_FILE_COUNT':
    case 'LIMIT_UNEXPECTED_FILE':
    case 'LIMIT_PART_COUNT':
      return new AppError('tooManyFiles', 400);
    default:
      return new AppError('badRequest', 400);
  }
}

/**
 * One file upload (multer, kept in memory, never written to disk under its own name), with
 * the form's CSRF token checked once the body is read,
 * size and count limits, and its type checked by content. Sets `req.upload`; a request without
 * a file goes on with `req.upload` undefined, so the route can say the file is missing.
 */
export function singleUpload(rule: UploadRule): RequestHandler[] {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: rule.maxBytes, files: 1, fields: 100, fieldSize: 200 * 1024, parts: 110, headerPairs: 200 },
  }).single(rule.field);
  const receive: RequestHandler = (req, res, next) => {
    parse(req, res, (err: unknown) => {
      if (err) return next(multipartError(err));
      // Multer reads `a[b]` names as nested objects: not form fields.
      next(isFormShaped(req.body) ? undefined : new BadRequestError('badRequest', 'the form fields are not plain text'));
    });
  };
  const check = async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const file = req.file;
    if (!file || file.size === 0) return next();
    const text = rule.kinds.includes('csv') || rule.kinds.includes('json') ? fromUtf16(file.buffer) : null;
    const buffer = text ?? file.buffer;
    const kind = await detectKind(buffer);
    if (kind === 'text-not-utf8') return next(new AppError('fileEncoding', 415));
    if (kind === 'unknown' || !rule.kinds.includes(kind)) return next(new AppError('fileType', 415));
    req.upload = { buffer, kind, size: buffer.length, displayName: displayName(file.originalname) };
    next();
  };
  // The CSRF token of a multipart form is in its body, readable only after multer.
  return [receive, verifyCsrf, check];
}

/** For routes: the uploaded file, or a 422 saying it is missing. */
export function requireUpload(req: Request): UploadedFile {
  if (!req.upload) throw new AppError('fileMissing', 422);
  return req.upload;
}
