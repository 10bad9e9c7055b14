import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (typeof body?._csrf === 'string') return body._csrf;
    const header = req.headers['x-csrf-token'];
    return typeof header === 'string' ? header : undefined;
  },
});

/** Checks the token now (used after multer has read a multipart body). */
export const verifyCsrf: RequestHandler = (req, res, next) => csrfSynchronisedProtection(req, res, next);

/**
 * Synchronizer-token CSRF protection (token kept in the session): every state-changing
 * request needs the page's token; GET pages get `csrfToken` for their forms. Multipart
 * bodies are not read yet at this point, so for them the upload middleware checks the token.
 */
export function csrfProtection() {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.locals.csrfToken = generateToken(req);
    if (req.is('multipart/form-data') && req.method === 'POST') return next();
    csrfSynchronisedProtection(req, res, next);
  };
}
