import { Router, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { getWorkspace, workingCopy } from '../../surveys/builder.service.js';
import type { LanguageCode } from '../../surveys/languages.js';
import { archiveSurvey, deleteSurvey, duplicateSurvey, responseCount, restoreSurvey, setAvailability } from '../../surveys/survey-lifecycle.service.js';
import { BUILDER_PAGE, bodyOf, fieldErrors, surveyPath } from '../builder-view.js';
import { ConflictError, ValidationError, type FieldProblem } from '../errors.js';
import { localize } from '../form-view.js';
import { requireRole } from '../middleware/auth.js';
import { renderEditor } from './builder-editor.js';

async function surveyTitle(slug: string): Promise<{ slug: string; title: string; status: string }> {
  const ws = await getWorkspace(slug);
  const def = workingCopy(ws);
  return { slug: ws.slug, title: localize(def.title, def.defaultLanguage as LanguageCode, def.defaultLanguage as LanguageCode), status: ws.status };
}

async function renderDuplicate(req: Request, res: Response, state: { values?: Record<string, unknown>; problems?: FieldProblem[] } = {}): Promise<void> {
  const survey = await surveyTitle(String(req.params.slug));
  res.status(state.problems?.length ? 422 : 200).render('staff/builder/duplicate', {
    ...BUILDER_PAGE,
    survey,
    values: state.values ?? { slug: `${survey.slug}-copy`.slice(0, 60), title: '' },
    ...fieldErrors(res.locals.t as TFunction, state.problems ?? []),
    links: { back: surveyPath(survey.slug, '/edit'), action: surveyPath(survey.slug, '/duplicate') },
  });
}

async function renderDelete(req: Request, res: Response, status = 200): Promise<void> {
  const survey = await surveyTitle(String(req.params.slug));
  res.status(status).render('staff/builder/delete', {
    ...BUILDER_PAGE,
    survey,
    responses: await responseCount(survey.slug),
    links: { back: surveyPath(survey.slug, '/edit'), action: surveyPath(survey.slug, '/delete'), archive: surveyPath(survey.slug, '/archive') },
  });
}

/** Opening and closing, copies, archiving and deleting. */
export function builderLifecycleRoutes(): Router {
  const router = Router();
  const base = '/staff/surveys/:slug';

  router.post(`${base}/status`, requireRole('staff'), async (req, res) => {
    const body = bodyOf(req);
    try {
      await setAvailability(String(req.params.slug), { status: body.status, closesAt: body.closesAt });
      res.redirect(303, surveyPath(String(req.params.slug), '/edit?notice=statusSaved#availability'));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderEditor(req, res, { status: 422, availability: { values: body, problems: err.problems } });
    }
  });

  router.get(`${base}/duplicate`, requireRole('staff'), (req, res) => renderDuplicate(req, res));

  router.post(`${base}/duplicate`, requireRole('staff'), async (req, res) => {
    const body = bodyOf(req);
    try {
      const slug = await duplicateSurvey(String(req.params.slug), { slug: body.slug, title: body.title });
      res.redirect(303, surveyPath(slug, '/edit?notice=duplicated'));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderDuplicate(req, res, { values: body, problems: err.problems });
    }
  });

  router.post(`${base}/archive`, requireRole('staff'), async (req, res) => {
    await archiveSurvey(String(req.params.slug));
    res.redirect(303, '/staff/surveys?notice=archived');
  });

  router.post(`${base}/restore`, requireRole('staff'), async (req, res) => {
    await restoreSurvey(String(req.params.slug));
    res.redirect(303, '/staff/surveys?notice=restored');
  });

  // Deleting takes two steps: this page (which offers archiving instead once anyone has answered), then the confirmed post.
  router.get(`${base}/delete`, requireRole('staff'), (req, res) => renderDelete(req, res));

  router.post(`${base}/delete`, requireRole('staff'), async (req, res) => {
    if (bodyOf(req).confirm !== 'yes') return renderDelete(req, res, 422);
    try {
      await deleteSurvey(String(req.params.slug));
      res.redirect(303, '/staff/surveys?notice=deleted');
    } catch (err) {
      if (!(err instanceof ConflictError && err.code === 'surveyHasResponses')) throw err;
      await renderDelete(req, res, 409);
    }
  });

  return router;
}
