import type { NextFunction, Request, Response } from 'express';
import { findActiveUser, type SessionUser } from '../../surveys/user.service.js';
import type { Role } from '../../surveys/user.model.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

const LEVEL: Record<Role, number> = { board: 1, staff: 2, admin: 3 };

export function hasRole(user: SessionUser | undefined, min: Role): boolean {
  return user !== undefined && LEVEL[user.role] >= LEVEL[min];
}

/**
 * Loads the signed-in user (if any) into `res.locals.user`. Ends the session when it is past
 * the absolute limit, the account is disabled or gone, or the password changed since this
 * session signed in (another session's change bumped the user's `sessionVersion`).
 */
export function loadUser(config: Config) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const { userId, signedInAt, sessionVersion } = req.session ?? {};
    if (userId) {
      const expired = !signedInAt || Date.now() - signedInAt > config.SESSION_MAX_HOURS * 3600 * 1000;
      const found = expired ? null : await findActiveUser(userId);
      const user = found && found.sessionVersion === (sessionVersion ?? 0) ? found : null;
      if (user) res.locals.user = user;
      // Signed out: a fresh, empty session (the request goes on as anonymous).
      else await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
    }
    next();
  };
}

/** A safe place to go back to after sign-in: a local path only. */
export function safeNext(raw: unknown): string {
  return typeof raw === 'string' && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') && raw.length < 500 ? raw : '/staff';
}

/**
 * Requires a role: anonymous HTML requests go to sign-in (and come back after), anonymous
 * JSON requests get 401, a signed-in user without the role gets 403.
 */
export function requireRole(min: Role) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const user = res.locals.user as SessionUser | undefined;
    if (!user) {
      if (req.path.startsWith('/api/') || req.originalUrl.startsWith('/api/') || req.accepts(['html', 'json']) === 'json') return next(new AppError('unauthenticated', 401));
      return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    }
    if (!hasRole(user, min)) return next(new AppError('forbidden', 403));
    next();
  };
}
