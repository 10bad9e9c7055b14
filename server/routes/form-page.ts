import type { Request, Response } from 'express';
import type { LanguageCode } from '../../surveys/languages.js';
import { newSubmissionId } from '../../surveys/response.service.js';
import type { SurveySnapshot } from '../../surveys/survey.service.js';
import { getOpenSurveyCached as getOpenSurvey } from '../../surveys/survey-cache.js';
import { countFunnelStep } from '../../surveys/funnel/funnel.service.js';
import { surveyContentKey, type FormPageCache, type PerRequestParts } from '../form-page-cache.js';
import { surveyLanguage } from '../form-view.js';
import { useLanguage } from '../middleware/language.js';
import { formLocals, formPlace, noStore, tokenFor, type FormMode } from './survey-form.js';

/**
 * Every input of an empty form page other than its per-request parts: the channel's view, the
 * survey's content, the language, the kiosk location, link tag and shared-computer mark from the address, and the
 * branding the layout shows (from res.locals, so a saved name or logo changes the key at once).
 * The rest of the page is the same for every request of this app.
 */
function pageKey(req: Request, res: Response, mode: FormMode, survey: SurveySnapshot, lang: LanguageCode): string {
  const { location, tag, shared } = formPlace(req);
  const { libraryName, logoUrl, kioskIdleSeconds } = res.locals as Record<string, unknown>;
  return JSON.stringify([mode.view, surveyContentKey(survey), lang, location, tag, shared, libraryName, logoUrl, kioskIdleSeconds]);
}

/** A person's browser asking for the page (not a HEAD request, nor a browser fetching it ahead in case it is followed). */
function isOpening(req: Request): boolean {
  const purpose = `${req.get('sec-purpose') ?? ''} ${req.get('purpose') ?? ''} ${req.get('x-moz') ?? ''}`;
  return req.method === 'GET' && !/prefetch|prerender/i.test(purpose);
}

function renderToString(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => res.render(view, locals, (err: Error | null, html: string) => (err ? reject(err) : resolve(html))));
}

/**
 * GET: the empty form, in the best language the survey has, from the page cache. Browsers get it
 * gzip-compressed from the cache's compressed parts, which costs a small share of compressing the
 * page anew (the compression middleware leaves an answer that is already encoded alone).
 */
export function showForm(mode: FormMode, cache: FormPageCache) {
  return async (req: Request, res: Response): Promise<void> => {
    const survey = await getOpenSurvey(String(req.params.slug));
    const lang = surveyLanguage(survey.definition, res.locals.lang as LanguageCode);
    useLanguage(req, res, lang);
    // Counted per request, before the cache: every page shown is one open, however it was rendered.
    if (isOpening(req)) countFunnelStep({ survey: survey.slug, channel: mode.channel, kind: 'reached', page: 1 });
    const parts: PerRequestParts = { submissionId: newSubmissionId(), formToken: tokenFor(req, survey.slug) };
    const page = await cache.page(pageKey(req, res, mode, survey, lang), parts, (values) => renderToString(res, mode.view, formLocals(req, res, mode, survey, lang, {}, values)));
    noStore(res);
    const gzip = req.acceptsEncodings('gzip') === 'gzip' ? page.gzip() : null;
    if (!gzip) return void res.send(page.text());
    res.vary('Accept-Encoding').type('html').set('Content-Encoding', 'gzip').send(gzip);
  };
}
