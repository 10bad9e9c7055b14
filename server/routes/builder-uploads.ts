import type { RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../errors.js';
import { verifyCsrf } from '../middleware/csrf.js';
import { isFormShaped } from '../middleware/form-shape.js';
import { multipartError } from '../middleware/uploads.js';

/** Errors of the upload middleware that the builder shows next to the file field instead of on an error page. */
export const UPLOAD_ERROR_CODES: readonly string[] = ['fileTooLarge', 'fileType', 'fileEncoding', 'fileMissing', 'tooManyFiles'];

/**
 * A large form without files, sent as multipart/form-data: the translation screen has a field
 * per text (well past the app's limits for URL-encoded forms, and UTF-8 text is not
 * percent-encoded this way). The CSRF token is checked once the body is read.
 */
export function formFields(): RequestHandler[] {
  const parse = multer({ limits: { files: 0, fields: 1200, parts: 1200, fieldSize: 16 * 1024, fieldNameSize: 300 } }).none();
  const receive: RequestHandler = (req, res, next) => {
    if (!req.is('multipart/form-data')) return next(new AppError('unsupportedMediaType', 415));
    parse(req, res, (err: unknown) => {
      if (!err) return next(isFormShaped(req.body) ? undefined : new AppError('badRequest', 400));
      // A body the parser cannot read (a malformed part header, no boundary, cut short) is a 400.
      if (!(err instanceof multer.MulterError)) return next(multipartError(err));
      // A file sent to a form that takes none is a malformed request; anything else is too much.
      const fileSent = err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE';
      next(fileSent ? new AppError('badRequest', 400) : new AppError('payloadTooLarge', 413));
    });
  };
  return [receive, verifyCsrf];
}
