import type { NextFunction, Request, Response } from 'express';
import type { i18n as I18n, TFunction } from 'i18next';
import { isLanguageCode, languageDir, LANGUAGES, type LanguageCode } from '../../surveys/languages.js';

export const LANG_COOKIE = 'lang';

const STAFF_PREFIXES = ['/staff', '/reports', '/api', '/login', '/logout', '/setup'];

/**
 * The query parameter that picks the page language. On staff, report and API pages `lang`
 * is a filter (responses in a language), so the page language is `hl` there.
 */
export function languageParam(path: string): 'lang' | 'hl' {
  return STAFF_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`)) ? 'hl' : 'lang';
}

/**
 * Sign-in, sign-out and first-run setup filter nothing, so `?lang=` picks the page language there
 * too, as on respondent pages: a link such as `/setup?lang=ar` works (`hl` does as well).
 */
const SIGN_IN_PATHS = ['/login', '/logout', '/setup'];

/** The requested page language from the query string (not yet checked), see `languageParam`. */
function queryLanguage(req: Request): unknown {
  const param = languageParam(req.path);
  if (param === 'hl' && req.query.hl === undefined && SIGN_IN_PATHS.includes(req.path)) return req.query.lang;
  return req.query[param];
}

/** Maps a BCP 47 tag from Accept-Language to a shipped language, e.g. `es-MX` → `es`, `zh-CN` → `zh-Hans`. */
export function matchLanguageTag(tag: string): LanguageCode | null {
  const lower = tag.trim().toLowerCase();
  const exact = LANGUAGES.find((l) => l.code.toLowerCase() === lower);
  if (exact) return exact.code;
  const primary = lower.split('-')[0];
  if (primary === 'zh') return 'zh-Hans';
  return LANGUAGES.find((l) => l.code === primary)?.code ?? null;
}

/** The best shipped language for an Accept-Language header (quality values respected). */
export function fromAcceptLanguage(header: string | undefined): LanguageCode | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag, quality: Number.isFinite(quality) ? quality : 0, i };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.i - b.i);
  for (const { tag } of ranked) {
    const match = matchLanguageTag(tag);
    if (match) return match;
  }
  return null;
}

/** The same page in another language: the current URL with `lang` replaced. */
export function hrefWithLang(originalUrl: string, code: LanguageCode): string {
  const url = new URL(originalUrl, 'http://local');
  url.searchParams.set(languageParam(url.pathname), code);
  return `${url.pathname}${url.search}`;
}

/**
 * Whether `?hl=` / `?lang=` on this path is the person's own pick, remembered in the cookie.
 * On staff, report and API pages it is not: `?hl=` there shows one page (a board summary, a PDF,
 * a paper form) in a language without changing the staff member's interface, which changes only
 * through the language switcher (`GET /language/:code`). Sign-in pages and respondent pages
 * keep it: their `?lang=` links are the switcher.
 */
export function queryIsAPick(path: string): boolean {
  return languageParam(path) === 'lang' || SIGN_IN_PATHS.includes(path);
}

/** A local path to return to after picking a language (anything else: the staff home). */
export function safeReturnPath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || raw.length > 2000) return '/staff';
  const url = new URL(raw, 'http://local');
  if (url.host !== 'local') return '/staff';
  url.searchParams.delete('hl');
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The switcher's link: `/language/<code>` remembers the pick, then returns to this page (without `hl`). */
export function pickHref(originalUrl: string, code: LanguageCode): string {
  return `/language/${encodeURIComponent(code)}?next=${encodeURIComponent(safeReturnPath(originalUrl))}`;
}

export function rememberLanguage(res: Response, lang: LanguageCode, secure: boolean): void {
  res.cookie(LANG_COOKIE, lang, { maxAge: 365 * 24 * 3600 * 1000, httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

export interface LanguageOptions {
  i18n: I18n;
  defaultLanguage: LanguageCode;
  secureCookies: boolean;
}

/** One `t` per language and i18next instance: getFixedT makes a new function each call, and every request asked for one or two. */
const fixedTs = new WeakMap<I18n, Map<LanguageCode, TFunction>>();

function fixedT(i18n: I18n, lang: LanguageCode): TFunction {
  let byLang = fixedTs.get(i18n);
  if (!byLang) fixedTs.set(i18n, (byLang = new Map()));
  let t = byLang.get(lang);
  if (!t) byLang.set(lang, (t = i18n.getFixedT(lang)));
  return t;
}

/** Sets `res.locals.lang`, `dir` and `t` for a language. Routes call it again to narrow to a survey's languages. */
export function useLanguage(req: Request, res: Response, lang: LanguageCode): void {
  res.locals.lang = lang;
  res.locals.dir = languageDir(lang);
  res.locals.t = fixedT(req.app.locals.i18n as I18n, lang);
}

/**
 * Picks the language: `?lang=` (`?hl=` on staff pages), then the `lang` cookie, then
 * Accept-Language, then the default. The query is remembered only where it is a pick (see
 * `queryIsAPick`). Kiosks never read or set the cookie: each passer-by starts from the start screen.
 */
export function languageMiddleware(options: LanguageOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const kiosk = req.path.startsWith('/kiosk/');
    const query = queryLanguage(req);
    const cookie = kiosk ? undefined : (req.cookies as Record<string, unknown> | undefined)?.[LANG_COOKIE];
    const pick = queryIsAPick(req.path);
    // The person's own language: the page's, unless `?hl=` previews this page in another.
    const own: LanguageCode = isLanguageCode(cookie) ? cookie : (fromAcceptLanguage(req.get('accept-language')) ?? options.defaultLanguage);
    let lang: LanguageCode = own;
    if (isLanguageCode(query)) {
      lang = query;
      if (!kiosk && pick && cookie !== query) rememberLanguage(res, query, options.secureCookies);
    }
    useLanguage(req, res, lang);
    // While `?hl=` previews a staff page, the switcher marks the person's own language as current.
    if (isLanguageCode(query) && !pick) res.locals.interfaceLang = own;
    // The switcher: on staff pages a pick goes through /language/:code; `previewLangHref` shows
    // this one page in another language (a paper form, a summary) without changing the interface.
    res.locals.langHref = (code: LanguageCode): string => (pick ? hrefWithLang(req.originalUrl, code) : pickHref(req.originalUrl, code));
    res.locals.previewLangHref = (code: LanguageCode): string => hrefWithLang(req.originalUrl, code);
    res.vary('Accept-Language');
    next();
  };
}
