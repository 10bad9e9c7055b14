import { createHmac } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { getSettings } from '../../surveys/settings.service.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { formSecret } from '../form-secret.js';
import { sendError } from './errors.js';
import { MongoRateLimitStore } from './rate-limit-store.js';

/** Answers a request over its limit; the default is the localized 429 page (or JSON). */
export type LimitedHandler = (req: Request, res: Response) => void | Promise<void>;

export const tooManyRequests = (req: Request, res: Response): void => sendError(req, res, new AppError('tooManyRequests', 429));

/**
 * The client address as a salted hash: addresses are only transient rate-limit keys and are
 * never stored as such, nor next to responses. IPv6 addresses are grouped by /56 first.
 */
export function addressKey(secret: string, req: Request): string {
  return createHmac('sha256', secret).update(ipKeyGenerator(req.ip ?? '')).digest('base64url').slice(0, 32);
}

function limiter(config: Config, name: string, limit: number, key: (req: Request) => string | Promise<string>, onLimited: LimitedHandler): RequestHandler {
  return rateLimit({
    windowMs: config.RATE_LIMIT_WINDOW_MINUTES * 60 * 1000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new MongoRateLimitStore(name),
    keyGenerator: key,
    // A database hiccup must not stop people answering: the form itself then reports it (503).
    passOnStoreError: true,
    handler: (req: Request, res: Response, next: NextFunction) => {
      Promise.resolve(onLimited(req, res)).catch(next);
    },
  });
}

/** Page loads of the respondent form, thank-you and home pages, per address. */
export function pageLimiter(config: Config, onLimited: LimitedHandler = tooManyRequests): RequestHandler {
  const secret = formSecret(config);
  return limiter(config, 'pages', config.RATE_LIMIT_PAGES, (req) => addressKey(secret, req), onLimited);
}

/** Form posts (submissions and language switches), per address. */
export function submitLimiter(config: Config, onLimited: LimitedHandler = tooManyRequests): RequestHandler {
  const secret = formSecret(config);
  return limiter(config, 'submits', config.RATE_LIMIT_SUBMITS, (req) => addressKey(secret, req), onLimited);
}

/**
 * Every kiosk request (pages and posts), per address and kiosk location, with a much higher
 * allowance: a busy library tablet sends an answer every minute all day. Only a saved location
 * (or KIOSK_LOCATION) gets its own allowance, so inventing locations gives no fresh ones.
 */
export function kioskLimiter(config: Config, onLimited: LimitedHandler = tooManyRequests): RequestHandler {
  const secret = formSecret(config);
  return limiter(
    config,
    'kiosk',
    config.RATE_LIMIT_KIOSK,
    async (req) => {
      const raw = (req.method === 'POST' ? req.body?.location : undefined) ?? req.query.location;
      const known = new Set([...(await getSettings({ kioskLocation: config.KIOSK_LOCATION }).catch(() => ({ kioskLocations: [] as string[] }))).kioskLocations, config.KIOSK_LOCATION].filter(Boolean));
      const location = typeof raw === 'string' && known.has(raw.trim()) ? raw.trim() : '*';
      return `${addressKey(secret, req)}|${createHmac('sha256', secret).update(location).digest('base64url').slice(0, 16)}`;
    },
    onLimited,
  );
}
