import { Router } from 'express';
import type { Config } from '../config.js';
import { pageLimiter, submitLimiter } from '../middleware/rate-limit.js';
import { sameSitePosts } from '../middleware/same-site-posts.js';
import type { LanguageCode } from '../../surveys/languages.js';
import { getOpenSurveyCached as getOpenSurvey, listOpenSurveysCached } from '../../surveys/survey-cache.js';
import { localize, surveyLanguage, surveyLanguageChoices } from '../form-view.js';
import { useLanguage } from '../middleware/language.js';
import type { FormPageCache } from '../form-page-cache.js';
import { showForm } from './form-page.js';
import { pageReached, PAGE_REACHED_PATH } from './page-reached.js';
import { limitedSubmission, submitForm, type FormMode } from './survey-form.js';
import { clearFormStateIfAny } from './form-state-cookie.js';

const web: FormMode = {
  channel: 'web',
  view: 'respond/form',
  formAction: (slug) => `/s/${encodeURIComponent(slug)}`,
  thanksUrl: (slug, lang) => `/s/${encodeURIComponent(slug)}/thanks?lang=${encodeURIComponent(lang)}`,
};

/** The respondent's own device: `/s/:slug`. */
export function respondRouter(config: Config, formPages: FormPageCache): Router {
  const router = Router();
  const pages = pageLimiter(config);
  const submits = submitLimiter(config, limitedSubmission(web));

  router.get('/', pages, async (_req, res) => {
    const lang = res.locals.lang as LanguageCode;
    const surveys = (await listOpenSurveysCached()).map((s) => ({ slug: s.slug, title: localize(s.definition.title, lang, s.definition.defaultLanguage as LanguageCode) }));
    res.render('respond/home', { surveys });
  });

  router.get('/s/:slug', pages, showForm(web, formPages));
  router.post('/s/:slug', sameSitePosts, submits, submitForm(web));
  router.post(`/s/:slug${PAGE_REACHED_PATH}`, sameSitePosts, pages, pageReached(web));

  router.get('/s/:slug/thanks', pages, async (req, res) => {
    const survey = await getOpenSurvey(String(req.params.slug));
    const lang = surveyLanguage(survey.definition, res.locals.lang as LanguageCode);
    useLanguage(req, res, lang);
    res.set('Cache-Control', 'no-store, max-age=0');
    clearFormStateIfAny(req, res, web, survey.slug);
    res.render('respond/thanks', {
      slug: survey.slug,
      title: localize(survey.definition.title, lang, survey.definition.defaultLanguage as LanguageCode),
      choices: surveyLanguageChoices(survey.definition),
      shared: req.query.shared === '1',
    });
  });

  return router;
}
