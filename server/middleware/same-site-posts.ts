import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { sendError } from './errors.js';

/** `Sec-Fetch-Site` values of a request this site's own pages made (or the person typed). */
const OWN = new Set(['same-origin', 'same-site', 'none']);

/** The host (and port, unless the scheme's default) of a URL; null when it is not an http(s) URL (`null`, say). */
function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host : null;
  } catch {
    return null;
  }
}

/**
 * The hosts this app is reached at: the request's own (`Host`, and the proxy's
 * `X-Forwarded-Host` when TRUST_PROXY is set) and PUBLIC_URL's. Hosts, not whole origins: a
 * proxy that terminates HTTPS without saying so must not turn the site's own posts away, and
 * no other site can answer at this host.
 */
function ownHosts(req: Request, config: Config): string[] {
  const hosts = [req.get('host'), req.host].filter(Boolean).map((h) => hostOf(`${req.protocol}://${h}`));
  if (config.PUBLIC_URL) hosts.push(hostOf(config.PUBLIC_URL));
  return hosts.filter((h): h is string => h !== null);
}

/**
 * Refuses a form post another website's page made its visitor's browser send (403 `crossSite`,
 * a localized page or JSON), so no site can submit answers in its visitors' names. Every current
 * browser says where a request comes from: `Sec-Fetch-Site` when it sends it, else `Origin`
 * (`null` from sandboxed or opaque pages counts as another site). A request with neither comes
 * from a program or a very old browser, not from a page on another site, and goes on; so do the
 * plain form post, the offline queue's resends (same-origin `fetch`) and language switches.
 */
export function sameSitePosts(req: Request, res: Response, next: NextFunction): void {
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  let crossSite = false;
  if (site) crossSite = !OWN.has(site.trim().toLowerCase());
  else if (origin !== undefined) {
    const host = hostOf(origin.trim());
    crossSite = host === null || !ownHosts(req, req.app.locals.config as Config).includes(host);
  }
  if (!crossSite) return next();
  req.log?.info({ code: 'crossSite', secFetchSite: site ?? null, originHost: origin === undefined ? null : (hostOf(origin.trim()) ?? 'none') }, 'cross-site form post refused');
  sendError(req, res, new AppError('crossSite', 403));
}
