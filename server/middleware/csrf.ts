import type { NextFunction, Request, Response } from 'express';
import { csrfSync } from 'csrf-sync';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (typeof body?._csrf === 'string') return body._csrf;
    const header = req.headers['x-csrf-token'];
    return typeof header === 'string' ? header : undefined;
  },
});

/**
 * Synchronizer-token CSRF protection (token kept in the session): every state-changing
 * request needs the page's token; GET pages get `csrfToken` for their forms.
 */
export function csrfProtection() {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.locals.csrfToken = generateToken(req);
    csrfSynchronisedProtection(req, res, next);
  };
}
