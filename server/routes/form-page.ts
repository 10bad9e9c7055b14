import type { Request, Response } from 'express';
import type { LanguageCode } from '../../surveys/languages.js';
import { newSubmissionId } from '../../surveys/response.service.js';
import type { SurveySnapshot } from '../../surveys/survey.service.js';
import { getOpenSurveyCached as getOpenSurvey } from '../../surveys/survey-cache.js';
import { countFunnelStep } from '../../surveys/funnel/funnel.service.js';
import { surveyContentKey, type FormPageCache, type PerRequestParts } from '../form-page-cache.js';
import { surveyLanguage } from '../form-view.js';
import { useLanguage } from '../middleware/language.js';
import { formLocals, formPlace, noStore, renderForm, tokenFor, type FormMode, type RenderState } from './survey-form.js';
import { clearFormStateIfAny, keepsStateInCookie, readFormState, readStepPage } from './form-state-cookie.js';
import type { FormState } from '../form-state.js';
import { parseAnswers } from '../../surveys/answers.js';
import { formPages, shownPages } from '../../surveys/form-pages.js';

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
 * The page a kept state is shown on: the one the address asks for (Back and Forward in the
 * history within the form) when this filling has reached it and it is shown; the state's own
 * otherwise. Its problems and banner belong to the state's page only.
 */
function keptPage(survey: SurveySnapshot, saved: FormState, asked: number): RenderState {
  const kept: RenderState = { values: saved.values, submissionId: saved.submissionId, formToken: saved.formToken, page: saved.page, reached: saved.reached };
  const shown = shownPages(formPages(survey.definition), parseAnswers(survey.definition, saved.values).answers);
  if (asked !== saved.page && asked <= saved.reached && shown.includes(asked)) return { ...kept, page: asked };
  return { ...kept, ...(saved.problems ? { problems: saved.problems } : {}), ...(saved.banner ? { banner: saved.banner } : {}), ...(saved.status ? { status: saved.status } : {}) };
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
    // A kiosk or shared computer between two steps without JavaScript: the answers so far from
    // the sealed cookie (survey-form.ts), rendered afresh. Anything else with such a cookie (an
    // altered or expired one, or no page in the address: a new person) is the empty form.
    if (keepsStateInCookie(mode, formPlace(req).shared)) {
      const asked = readStepPage(req.query.p);
      const saved = asked === null ? null : readFormState(req, mode, survey.slug);
      if (saved && asked !== null) return renderForm(req, res, mode, survey, lang, keptPage(survey, saved, asked));
      clearFormStateIfAny(req, res, mode, survey.slug);
    }
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
