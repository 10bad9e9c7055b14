import { Router } from 'express';
import { languageDir, languageName, type LanguageCode } from '../../surveys/languages.js';
import { respondentLanguages } from '../../surveys/survey.service.js';
import { getOpenSurveyCached as getOpenSurvey } from '../../surveys/survey-cache.js';
import type { Config } from '../config.js';
import { localize, surveyLanguage, surveyLanguageChoices } from '../form-view.js';
import { useLanguage } from '../middleware/language.js';
import { kioskLimiter, tooManyRequests } from '../middleware/rate-limit.js';
import { sameSitePosts } from '../middleware/same-site-posts.js';
import type { FormPageCache } from '../form-page-cache.js';
import { showForm } from './form-page.js';
import { pageReached, PAGE_REACHED_PATH } from './page-reached.js';
import { limitedSubmission, readLocation, submitForm, type FormMode } from './survey-form.js';
import { clearFormState } from './form-state-cookie.js';

function withLocation(url: string, location: string): string {
  return location ? `${url}${url.includes('?') ? '&' : '?'}location=${encodeURIComponent(location)}` : url;
}

const kiosk: FormMode = {
  channel: 'kiosk',
  view: 'kiosk/form',
  formAction: (slug) => `/kiosk/${encodeURIComponent(slug)}/answer`,
  thanksUrl: (slug, lang, location) => withLocation(`/kiosk/${encodeURIComponent(slug)}/thanks?lang=${encodeURIComponent(lang)}`, location),
};

/**
 * A shared tablet: `/kiosk/:slug` is a start screen in every survey language; each person
 * answers at `/answer` and lands on a thank-you page that returns to the start by itself.
 */
export function kioskRouter(config: Config, formPages: FormPageCache): Router {
  const router = Router();
  // One allowance per kiosk (address and location) for pages and posts, far above a person's.
  const overLimit = limitedSubmission(kiosk);
  const limit = kioskLimiter(config, (req, res) => (req.method === 'POST' ? overLimit(req, res) : tooManyRequests(req, res)));

  router.get('/kiosk/:slug', limit, async (req, res) => {
    const survey = await getOpenSurvey(String(req.params.slug));
    const def = survey.definition;
    const location = readLocation(req.query.location, config.KIOSK_LOCATION);
    const t = req.app.locals.i18n;
    useLanguage(req, res, def.defaultLanguage as LanguageCode);
    res.set('Cache-Control', 'no-store, max-age=0');
    // "Start again" and the idle countdown come here: the answers so far of a person without JavaScript go.
    clearFormState(req, res, kiosk, survey.slug);
    res.render('kiosk/start', {
      slug: survey.slug,
      location,
      choices: respondentLanguages(def).map((code) => ({
        code,
        name: languageName(code),
        dir: languageDir(code),
        title: localize(def.title, code, def.defaultLanguage as LanguageCode),
        invite: t.getFixedT(code)('kiosk.invite'),
        welcome: t.getFixedT(code)('kiosk.welcome'),
        href: withLocation(`/kiosk/${encodeURIComponent(survey.slug)}/answer?lang=${encodeURIComponent(code)}`, location),
      })),
    });
  });

  router.get('/kiosk/:slug/answer', limit, showForm(kiosk, formPages));
  router.post('/kiosk/:slug/answer', sameSitePosts, limit, submitForm(kiosk));
  router.post(`/kiosk/:slug/answer${PAGE_REACHED_PATH}`, sameSitePosts, limit, pageReached(kiosk));

  router.get('/kiosk/:slug/thanks', limit, async (req, res) => {
    const survey = await getOpenSurvey(String(req.params.slug));
    const lang = surveyLanguage(survey.definition, res.locals.lang as LanguageCode);
    useLanguage(req, res, lang);
    const location = readLocation(req.query.location, config.KIOSK_LOCATION);
    res.set('Cache-Control', 'no-store, max-age=0');
    clearFormState(req, res, kiosk, survey.slug);
    res.render('kiosk/thanks', {
      slug: survey.slug,
      startUrl: withLocation(`/kiosk/${encodeURIComponent(survey.slug)}`, location),
      returnSeconds: 15,
      choices: surveyLanguageChoices(survey.definition),
    });
  });

  return router;
}
