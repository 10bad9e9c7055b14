import QRCode from 'qrcode';
import { BadRequestError, type FieldProblem } from '../server/errors.js';
import { isLanguageCode, type LanguageCode } from './languages.js';

/**
 * Where a link leads: the survey on people's own devices (with an optional channel tag; `shared`
 * for computers many people use, such as library PCs, where nothing of one person is kept for
 * the next), or a kiosk.
 */
export type LinkTarget = { kind: 'web'; tag: string; shared?: boolean } | { kind: 'kiosk'; location: string };

/** Channel tags: lower-case letters, digits and dashes, at most 40 (what the survey form records). */
const TAG = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const POSTER_SIZES = ['letter', 'a4'] as const;
export type PosterSize = (typeof POSTER_SIZES)[number];
export const POSTER_MAX_LANGUAGES = 3;

/** One query value; a repeated or structured parameter becomes a value no check accepts. */
const one = (raw: unknown): string | undefined => (raw === undefined ? undefined : typeof raw === 'string' ? raw : '\u0000');

/** A tag as typed (trimmed, lower-cased), or null when it is not a valid tag. */
export function normalizeTag(raw: string): string | null {
  const tag = raw.trim().toLowerCase();
  return TAG.test(tag) ? tag : null;
}

/**
 * Reads a link target from query parameters (`kind`, `ch`, `location`). Only the survey's own
 * links can be made: a kiosk location must be one of the library's saved locations, a tag
 * must be a valid tag, and there is no parameter for an arbitrary address.
 */
export function parseLinkTarget(query: Record<string, unknown>, locations: readonly string[]): LinkTarget {
  const kind = one(query.kind) ?? 'web';
  const ch = one(query.ch);
  const location = one(query.location);
  const shared = one(query.shared);
  if (shared !== undefined && shared !== '1') throw new BadRequestError('invalidLinkKind');
  if (kind === 'web') {
    if (location) throw new BadRequestError('locationKioskOnly');
    const mark = shared ? { shared: true } : {};
    if (ch === undefined || ch === '') return { kind: 'web', tag: '', ...mark };
    const tag = normalizeTag(ch);
    if (!tag) throw new BadRequestError('invalidTag');
    return { kind: 'web', tag, ...mark };
  }
  if (kind === 'kiosk') {
    if (ch || shared) throw new BadRequestError('tagWebOnly');
    if (location === undefined || location === '') return { kind: 'kiosk', location: '' };
    if (!locations.includes(location)) throw new BadRequestError('unknownLocation');
    return { kind: 'kiosk', location };
  }
  throw new BadRequestError('invalidLinkKind');
}

/** The target's path and query, e.g. `/s/community-needs?ch=flyer-school`. */
export function targetPath(slug: string, target: LinkTarget): string {
  const base = target.kind === 'web' ? `/s/${encodeURIComponent(slug)}` : `/kiosk/${encodeURIComponent(slug)}`;
  const params = new URLSearchParams();
  if (target.kind === 'web' && target.tag) params.set('ch', target.tag);
  if (target.kind === 'web' && target.shared) params.set('shared', '1');
  if (target.kind === 'kiosk' && target.location) params.set('location', target.location);
  const query = params.toString().replace(/\+/g, '%20');
  return query ? `${base}?${query}` : base;
}

/** The query string that selects the same target on the QR endpoints. */
export function targetQuery(target: LinkTarget): string {
  const params = new URLSearchParams({ kind: target.kind });
  if (target.kind === 'web' && target.tag) params.set('ch', target.tag);
  if (target.kind === 'web' && target.shared) params.set('shared', '1');
  if (target.kind === 'kiosk' && target.location) params.set('location', target.location);
  return params.toString().replace(/\+/g, '%20');
}

/** A file name for a downloaded QR code: ASCII only, never taken from a path. */
export function qrFileName(slug: string, target: LinkTarget, index: number, ext: 'png' | 'svg'): string {
  const detail = target.kind === 'web' ? [target.tag, target.shared ? 'shared' : ''].filter(Boolean).join('-') : target.location ? `location-${index + 1}` : '';
  return `qr-${slug}-${target.kind}${detail ? `-${detail}` : ''}.${ext}`;
}

// Error correction M (about 15% damage) and the standard four-module quiet zone.
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

export async function qrPng(url: string, width = 1024): Promise<Buffer> {
  return QRCode.toBuffer(url, { ...QR_OPTIONS, type: 'png', width });
}

export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { ...QR_OPTIONS, type: 'svg' });
}

export interface PosterChoice {
  size: PosterSize;
  langs: LanguageCode[];
  tag: string;
}

/** The poster form as typed, for showing it again. */
export interface PosterValues {
  size: string;
  langs: string[];
  ch: string;
}

export function posterValues(query: Record<string, unknown>): PosterValues {
  const langs = query.langs;
  const list = (Array.isArray(langs) ? langs : typeof langs === 'string' ? [langs] : []).filter((v): v is string => typeof v === 'string');
  return {
    size: one(query.size) ?? '',
    langs: list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean),
    ch: one(query.ch) ?? '',
  };
}

/**
 * Checks a poster choice against the survey's languages: a size, one to three of the
 * survey's languages, and an optional tag. Returns the problems per field (empty when valid).
 */
export function checkPoster(values: PosterValues, surveyLanguages: readonly LanguageCode[]): { choice: PosterChoice; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const size = (POSTER_SIZES as readonly string[]).includes(values.size) ? (values.size as PosterSize) : 'letter';
  if (!(POSTER_SIZES as readonly string[]).includes(values.size)) problems.push({ field: 'size', code: 'invalidPosterSize' });
  const langs = [...new Set(values.langs)];
  if (langs.length === 0) problems.push({ field: 'langs', code: 'noLanguages' });
  else if (langs.some((l) => !isLanguageCode(l) || !surveyLanguages.includes(l))) problems.push({ field: 'langs', code: 'invalidLanguages' });
  else if (langs.length > POSTER_MAX_LANGUAGES) problems.push({ field: 'langs', code: 'tooManyLanguages', params: { max: POSTER_MAX_LANGUAGES } });
  const tag = values.ch.trim() === '' ? '' : normalizeTag(values.ch);
  if (tag === null) problems.push({ field: 'ch', code: 'invalidTag' });
  return { choice: { size, langs: langs.filter(isLanguageCode), tag: tag ?? '' }, problems };
}

/** The poster's own address for a valid choice. */
export function posterPath(slug: string, choice: PosterChoice): string {
  const params = new URLSearchParams({ size: choice.size, langs: choice.langs.join(',') });
  if (choice.tag) params.set('ch', choice.tag);
  return `/staff/surveys/${encodeURIComponent(slug)}/poster?${params.toString()}`;
}
