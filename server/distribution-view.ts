import type { Request } from 'express';
import { targetPath, targetQuery, type LinkTarget } from '../surveys/distribution.service.js';
import type { Config } from './config.js';
import { BadRequestError } from './errors.js';

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Where respondents reach the app: PUBLIC_URL, or else this request's protocol and host
 * (checked, so a forged Host header cannot put markup or another path into a link).
 */
export function publicOrigin(req: Request): string {
  const config = req.app.locals.config as Config;
  if (config.PUBLIC_URL) return config.PUBLIC_URL;
  const host = req.host;
  if (!host || !HOST.test(host)) throw new BadRequestError('badRequest');
  return `${req.protocol}://${host}`;
}

/** One shareable link as the share page shows it: the address, a QR preview and downloads. */
export interface LinkCard {
  url: string;
  /** The kiosk location, for kiosk links. */
  location: string;
  qrSvg: string;
  downloadPng: string;
  downloadSvg: string;
}

export function linkCard(origin: string, slug: string, target: LinkTarget): LinkCard {
  const base = `/staff/surveys/${encodeURIComponent(slug)}`;
  const query = targetQuery(target);
  return {
    url: `${origin}${targetPath(slug, target)}`,
    location: target.kind === 'kiosk' ? target.location : '',
    qrSvg: `${base}/qr.svg?${query}`,
    downloadPng: `${base}/qr.png?${query}&download=1`,
    downloadSvg: `${base}/qr.svg?${query}&download=1`,
  };
}
