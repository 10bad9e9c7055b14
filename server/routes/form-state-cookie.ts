import type { CookieOptions, Request, Response } from 'express';
import type { Config } from '../config.js';
import { formStateKey } from '../form-secret.js';
import { joinSealed, openState, sealState, splitSealed, type FormState } from '../form-state.js';
import type { FormMode } from './survey-form.js';

/** Cookie names: `cn_form0`, `cn_form1`, … (one sealed state split in pieces). */
const NAME = 'cn_form';
/** A cookie's value stays well under the 4,096 bytes browsers keep of one cookie. */
const PIECE_CHARS = 3800;
/**
 * At most two pieces: the whole Cookie header then stays under the 8 KB a header line may have
 * behind common reverse proxies (nginx, Apache). A longer state is not kept (the step is answered
 * directly, as before).
 */
export const MOST_PIECES = 2;
/** How long a shared computer keeps the answers so far between two steps of one person. */
const SHARED_SECONDS = 15 * 60;

/**
 * Whether a form's steps without JavaScript go through a sealed cookie and a redirect: on a kiosk
 * and on a link for shared computers, where no page in the history may answer a post (Back from
 * the thank-you page would offer to resend the previous person's answers).
 */
export function keepsStateInCookie(mode: FormMode, shared: boolean): boolean {
  return mode.channel === 'kiosk' || shared;
}

function pieceName(index: number): string {
  return `${NAME}${index}`;
}

/** Bound into the seal: a state from another survey or channel never opens here. */
function boundTo(mode: FormMode, slug: string): string {
  return `${mode.channel}|${slug}`;
}

function options(req: Request, mode: FormMode, slug: string): CookieOptions {
  // Sent only to this form's own address (its posts and pages), never to the rest of the site.
  return { httpOnly: true, sameSite: 'lax', secure: req.secure, path: mode.formAction(slug) };
}

/** Kiosk: the library's idle time (Settings); shared computer: a quarter of an hour. */
function lifetimeSeconds(req: Request, res: Response, mode: FormMode): number {
  if (mode.channel !== 'kiosk') return SHARED_SECONDS;
  const idle = Number(res.locals.kioskIdleSeconds ?? (req.app.locals.config as Config).KIOSK_IDLE_SECONDS);
  return Number.isFinite(idle) && idle > 0 ? idle : SHARED_SECONDS;
}

function cookies(req: Request): Record<string, unknown> {
  return (req.cookies as Record<string, unknown> | undefined) ?? {};
}

/** Whether the request carries a state for this form (readable or not). */
export function hasFormState(req: Request): boolean {
  return cookies(req)[pieceName(0)] !== undefined;
}

/**
 * Seals the state into the response's cookies, replacing any before. False (nothing set) when
 * it would take more than {@link MOST_PIECES} cookies.
 */
export function saveFormState(req: Request, res: Response, mode: FormMode, state: Omit<FormState, 'expires' | 'channel'>): boolean {
  const seconds = lifetimeSeconds(req, res, mode);
  const sealed = sealState(formStateKey(req.app.locals.config as Config), boundTo(mode, state.slug), { ...state, channel: mode.channel, expires: Date.now() + seconds * 1000 });
  const pieces = splitSealed(sealed, PIECE_CHARS);
  if (pieces.length > MOST_PIECES) return false;
  const opts = options(req, mode, state.slug);
  pieces.forEach((piece, i) => res.cookie(pieceName(i), piece, { ...opts, maxAge: seconds * 1000 }));
  for (let i = pieces.length; i < MOST_PIECES; i++) if (cookies(req)[pieceName(i)] !== undefined) res.clearCookie(pieceName(i), opts);
  return true;
}

/** The state the request's cookies hold for this form; null when absent, altered, foreign or expired. */
export function readFormState(req: Request, mode: FormMode, slug: string): FormState | null {
  const jar = cookies(req);
  const sealed = joinSealed((i) => {
    const v = jar[pieceName(i)];
    return typeof v === 'string' ? v : undefined;
  }, MOST_PIECES);
  if (sealed === null) return null;
  const state = openState(formStateKey(req.app.locals.config as Config), boundTo(mode, slug), sealed, Date.now());
  return state && state.slug === slug && state.channel === mode.channel ? state : null;
}

/**
 * Clears every piece. Pages outside the form's address (the kiosk start and thank-you screens)
 * do not receive the cookies but may still clear them, so they clear all of them.
 */
export function clearFormState(req: Request, res: Response, mode: FormMode, slug: string): void {
  const opts = options(req, mode, slug);
  for (let i = 0; i < MOST_PIECES; i++) res.clearCookie(pieceName(i), opts);
}

/** Clears the pieces the request carries (a form's own pages: nothing to clear, no header). */
export function clearFormStateIfAny(req: Request, res: Response, mode: FormMode, slug: string): void {
  if (Object.keys(cookies(req)).some((name) => name.startsWith(NAME))) clearFormState(req, res, mode, slug);
}

/** The page a step redirects to: the form's address with its language, place and page (1-based `p`). */
export function stepUrl(mode: FormMode, slug: string, lang: string, place: { location: string; tag: string; shared: boolean }, page: number): string {
  const query = [`lang=${encodeURIComponent(lang)}`];
  if (mode.channel === 'kiosk' && place.location) query.push(`location=${encodeURIComponent(place.location)}`);
  if (place.tag) query.push(`ch=${encodeURIComponent(place.tag)}`);
  if (place.shared) query.push('shared=1');
  query.push(`p=${page + 1}`);
  return `${mode.formAction(slug)}?${query.join('&')}`;
}

/** The page asked for in the address (`p`, 1-based) as a 0-based index; null when absent or malformed. */
export function readStepPage(raw: unknown): number | null {
  return typeof raw === 'string' && /^[1-9]\d{0,2}$/.test(raw) ? Number(raw) - 1 : null;
}
