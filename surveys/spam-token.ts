import { createHmac, timingSafeEqual } from 'node:crypto';

/** The hidden form field that carries the signed time the form was shown. */
export const FORM_TOKEN_FIELD = 'ft';
/** The honeypot field: hidden from people, filled in by form-filling bots. */
export const HONEYPOT_FIELD = 'website';

/** Why a submission is kept apart as likely spam. */
export type SpamReason = 'honeypot' | 'tooFast' | 'noToken' | 'badToken';

// Clocks of several app instances may differ a little; a token "from the future" beyond this is forged.
const CLOCK_SKEW_MS = 60_000;

function sign(secret: string, slug: string, issuedAt: number): string {
  return createHmac('sha256', secret).update(`form-time\u0000${slug}\u0000${issuedAt}`).digest('base64url');
}

/** A token stating when the form for `slug` was shown, signed so it cannot be made to look older. */
export function formToken(secret: string, slug: string, now: number): string {
  return `${now}.${sign(secret, slug, now)}`;
}

export interface SpamCheckInput {
  secret: string;
  slug: string;
  body: Record<string, unknown>;
  now: number;
  /** The most a person must take (seconds); 0 turns the fill-time check (and the token it needs) off. */
  minFillSeconds: number;
  /** How many questions the submission answers (the time a person needs grows with it). */
  answered: number;
  /** How many pages the person went through (each page is a step a person takes). */
  pages: number;
}

/** A person's least time per question answered and per page turned, in ms: a quick tap and a glance. */
export const MS_PER_ANSWER = 300;
export const MS_PER_PAGE = 200;

/**
 * The least time a person takes to fill in the form, from what they actually did: a quick tap per
 * answered question and a glance per page turned, never more than `minFillSeconds`. A form
 * answered in one tap is not "too fast" at two seconds, where a bot posting every answer at once
 * still is (it fills in far more than a fraction of a second allows).
 */
export function minimumFillMs(minFillSeconds: number, answered: number, pages: number): number {
  const needed = Math.max(1, answered) * MS_PER_ANSWER + Math.max(0, pages - 1) * MS_PER_PAGE;
  return Math.min(minFillSeconds * 1000, needed);
}

/** Whether a form token is present, well formed and signed for this survey (not when it was issued). */
export function checkFormToken(secret: string, slug: string, raw: unknown, now: number): { status: 'ok'; issuedAt: number } | { status: 'noToken' | 'badToken' } {
  if (raw === undefined || raw === '') return { status: 'noToken' };
  const m = typeof raw === 'string' ? /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(raw) : null;
  if (!m) return { status: 'badToken' };
  const issuedAt = Number(m[1]);
  const expected = Buffer.from(sign(secret, slug, issuedAt));
  const given = Buffer.from(m[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given) || issuedAt > now + CLOCK_SKEW_MS) return { status: 'badToken' };
  return { status: 'ok', issuedAt };
}

/**
 * Reasons to keep a submission apart as likely spam (empty: a normal submission). The form
 * time only grows, so a response that waited in the offline queue is never "too fast".
 */
export function spamReasons({ secret, slug, body, now, minFillSeconds, answered, pages }: SpamCheckInput): SpamReason[] {
  const reasons: SpamReason[] = [];
  const honeypot = body[HONEYPOT_FIELD];
  if (honeypot !== undefined && honeypot !== '' && !(Array.isArray(honeypot) && honeypot.every((v) => v === ''))) reasons.push('honeypot');
  if (minFillSeconds <= 0) return reasons;
  const token = checkFormToken(secret, slug, body[FORM_TOKEN_FIELD], now);
  if (token.status !== 'ok') reasons.push(token.status);
  else if (now - token.issuedAt < minimumFillMs(minFillSeconds, answered, pages)) reasons.push('tooFast');
  return reasons;
}
