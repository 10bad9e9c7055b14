import type { NextFunction, Request, Response } from 'express';
import { AppError, NotFoundError, UnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { isDatabaseDown } from '../../surveys/survey-cache.js';

/** Maps body-parser and database errors to typed errors, so every answer has a stable code. */
export function classify(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; name?: string; message?: string };
  switch (e?.type) {
    case 'entity.parse.failed':
      return new AppError('malformedBody', 400);
    case 'entity.too.large':
    case 'parameters.too.many':
      return new AppError('payloadTooLarge', 413);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new AppError('unsupportedMediaType', 415);
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError('badRequest', 400);
  }
  if ((e as { code?: string })?.code === 'EBADCSRFTOKEN') return new AppError('csrf', 403);
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new AppError('badRequest', e.status);
  const name = e?.name ?? '';
  if (isDatabaseDown(err)) return new UnavailableError('unavailable', undefined, { cause: err });
  if (name === 'URIError') return new AppError('badRequest', 400);
  return null;
}

export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path === '/healthz' || req.accepts(['html', 'json']) === 'json';
}

export function sendError(req: Request, res: Response, error: AppError): void {
  const t = (res.locals.t ?? req.app.locals.i18n.getFixedT('en')) as (key: string) => string;
  const title = t(`errors.${error.code}.title`);
  const message = t(`errors.${error.code}.message`);
  res.status(error.status);
  if (error.status === 503) res.set('Retry-After', '30');
  if (wantsJson(req)) {
    res.json({ error: { code: error.code, message } });
    return;
  }
  res.render('errors/error', { title, message, code: error.code, status: error.status });
}

export function notFound(req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError('notFound'));
}

/** The one error handler: typed errors get their status and a localized page or JSON; anything else is a logged 500. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const known = classify(err);
    if (known && known.status < 500) return sendError(req, res, known);
    logger.error({ err, path: req.path }, known ? 'service unavailable' : 'unhandled error');
    sendError(req, res, known ?? new AppError('server', 500));
  };
}
