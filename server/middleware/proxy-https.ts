import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config.js';
import { renderLogin } from '../http/login-page.js';

/** The header a proxy must send for `req.secure` (and so the Secure session cookie) to work. */
export const PROTO_HEADER = 'X-Forwarded-Proto';

/**
 * With TRUST_PROXY the session cookie is `Secure`, and express-session quietly leaves it out of
 * any answer to a request the proxy did not report as HTTPS: nobody could sign in, and nothing
 * would say why. Such requests are logged with the missing header named, and the sign-in and
 * setup pages say what is wrong (400) instead of showing a form that cannot work. Other staff
 * paths go on and send people to that sign-in page.
 */
export function sessionsNeedHttps(config: Config) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!config.TRUST_PROXY || req.secure) return next();
    const received = req.get(PROTO_HEADER);
    req.log?.warn(
      { header: PROTO_HEADER, received: received ?? null },
      `TRUST_PROXY=1 but the proxy sent ${received ? `${PROTO_HEADER}: ${received.slice(0, 20)}` : `no ${PROTO_HEADER} header`}: the Secure session cookie cannot be set, so sign-in cannot work. Make the proxy send ${PROTO_HEADER}: https.`,
    );
    // Mounted on the staff paths, so req.path is relative to the mount point.
    const path = req.originalUrl.split('?')[0];
    if (path !== '/login' && path !== '/setup') return next();
    renderLogin(res, 400, { error: 'notHttps', blocked: true, proxy: { setting: 'TRUST_PROXY=1', header: `${PROTO_HEADER}: https` } });
  };
}
