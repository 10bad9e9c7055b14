import type { NextFunction, Request, Response } from 'express';
import type { TFunction } from 'i18next';
import { AppError } from '../errors.js';
import { wantsJson } from '../middleware/errors.js';

/**
 * An area's own error codes, answered like the central handler does (status, localized page
 * or JSON with the code) but with the messages from the area's namespace
 * (`<ns>:errors.<code>.title` and `.message`). Other errors go on to the central handler.
 */
export function areaErrors(ns: string, codes: readonly string[]) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (!(err instanceof AppError) || !codes.includes(err.code) || res.headersSent) return next(err);
    const t = res.locals.t as TFunction;
    const title = t(`${ns}:errors.${err.code}.title`);
    const message = t(`${ns}:errors.${err.code}.message`);
    res.status(err.status);
    if (wantsJson(req)) {
      res.json({ error: { code: err.code, message } });
      return;
    }
    res.render('errors/error', { title, message, code: err.code, status: err.status });
  };
}
