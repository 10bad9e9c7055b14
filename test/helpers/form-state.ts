import type { Express } from 'express';
import request from 'supertest';
import type { Response } from 'supertest';

/** The `Set-Cookie` lines of a response (none: an empty list). */
export function setCookies(res: Response): string[] {
  const raw = res.headers['set-cookie'] as unknown;
  return Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
}

/** Whether a `Set-Cookie` line removes its cookie (an expiry in the past, or an empty value). */
export function clears(line: string): boolean {
  return /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0(;|$)/i.test(line) || /^[^=]+=;/.test(line);
}

/** The `Cookie` header a browser sends back after this response: the cookies it sets (not the ones it clears). */
export function cookieHeader(res: Response): string {
  return setCookies(res)
    .filter((line) => !clears(line))
    .map((line) => line.split(';')[0]!)
    .join('; ');
}

/**
 * What the browser shows after a kiosk or shared-computer post: a step's 303 to the form's own
 * page is followed with the cookies it set (the answers so far); anything else is that answer.
 */
export async function follow(app: Express, res: Response): Promise<Response> {
  const to = res.headers.location as string | undefined;
  if (res.status !== 303 || !to || /\/thanks(\?|$)/.test(to)) return res;
  return request(app).get(to).set('Cookie', cookieHeader(res));
}
