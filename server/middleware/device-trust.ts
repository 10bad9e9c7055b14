import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { TrustedDevice } from '../../surveys/sign-in.service.js';
import type { Config } from '../config.js';
import { sessionSecret } from './session.js';

/** How long a browser stays trusted after its last successful sign-in. */
export const DEVICE_TRUST_DAYS = 30;
const MAX_AGE_MS = DEVICE_TRUST_DAYS * 24 * 3600 * 1000;

const keys = new WeakMap<Config, string>();

/** Derived from the session secret, so it survives restarts and is shared by every instance. */
function key(config: Config): string {
  let k = keys.get(config);
  if (!k) {
    k = createHmac('sha256', sessionSecret(config)).update('community-needs device trust').digest('hex');
    keys.set(config, k);
  }
  return k;
}

export const deviceCookieName = (config: Config): string => (config.TRUST_PROXY ? '__Host-cn.device' : 'cn.device');

const sign = (config: Config, payload: string): string => createHmac('sha256', key(config)).update(payload).digest('base64url');

/**
 * Marks this browser as one the account's owner signs in with (a signed, HttpOnly cookie, renewed
 * at each sign-in): the sign-in lock that strangers' failures put on the account does not apply
 * to it. It names the account and its session version, so a password change ends the trust.
 */
export function trustDevice(res: Response, config: Config, user: { id: string; sessionVersion: number }, now = Date.now()): void {
  const payload = `${user.id}.${user.sessionVersion}.${now}`;
  res.cookie(deviceCookieName(config), `${payload}.${sign(config, payload)}`, { httpOnly: true, sameSite: 'lax', secure: config.TRUST_PROXY, path: '/', maxAge: MAX_AGE_MS });
}

/** The account this browser is trusted for, when its cookie is genuine and recent enough. */
export function trustedDevice(req: Request, config: Config, now = Date.now()): TrustedDevice | null {
  const raw: unknown = (req.cookies as Record<string, unknown> | undefined)?.[deviceCookieName(config)];
  if (typeof raw !== 'string' || raw.length > 200) return null;
  const match = /^([0-9a-f]{24})\.(\d{1,9})\.(\d{1,15})\.([\w-]{43})$/.exec(raw);
  if (!match) return null;
  const [, userId, version, issued, mac] = match as unknown as [string, string, string, string, string];
  const expected = Buffer.from(sign(config, `${userId}.${version}.${issued}`));
  if (!timingSafeEqual(expected, Buffer.from(mac)) || now - Number(issued) > MAX_AGE_MS || Number(issued) > now + 60_000) return null;
  return { userId, sessionVersion: Number(version) };
}
