import { Router, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { isLanguageCode, type LanguageCode } from '../../surveys/languages.js';
import { readBatchLabel, savePaperResponse } from '../../surveys/paper.service.js';
import { formValues, isSubmissionId, newSubmissionId, SubmissionInvalidError } from '../../surveys/response.service.js';
import type { SurveySnapshot } from '../../surveys/survey.service.js';
import type { Config } from '../config.js';
import { ConflictError, type FieldProblem } from '../errors.js';
import { contactIdKey } from '../form-secret.js';
import { surveyLanguage, surveyLanguageChoices } from '../form-view.js';
import { requireRole } from '../middleware/auth.js';
import { useLanguage } from '../middleware/language.js';
import { paperView } from '../paper-view.js';
import { loadSurvey } from './api.js';

const STYLES = ['/public/css/data.css'];

interface PaperSettings {
  /** The language the paper form was printed in. */
  lang: LanguageCode;
  /** The batch label as typed (kept when invalid, so it can be corrected). */
  batch: string;
  tag?: string;
  problems: FieldProblem[];
}

function paperSettings(survey: SurveySnapshot, source: Record<string, unknown>, fallback: LanguageCode): PaperSettings {
  const lang = surveyLanguage(survey.definition, isLanguageCode(source.language) ? source.language : fallback);
  const batch = typeof source.batch === 'string' ? source.batch.trim().slice(0, 100) : '';
  const { tag, problem } = readBatchLabel(batch);
  return { lang, batch, ...(tag ? { tag } : {}), problems: problem ? [problem] : [] };
}

function paperUrl(slug: string, settings: PaperSettings, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ language: settings.lang, ...(settings.tag ? { batch: settings.tag } : {}), ...extra });
  return `/staff/surveys/${encodeURIComponent(slug)}/paper?${q.toString()}`;
}

interface PaperState {
  values?: Record<string, string | string[]>;
  problems?: FieldProblem[];
  submissionId?: string;
  banner?: string;
  status?: number;
}

function renderPaper(req: Request, res: Response, survey: SurveySnapshot, settings: PaperSettings, state: PaperState = {}): void {
  const t = res.locals.t as TFunction;
  const saved = typeof req.query.saved === 'string' && /^\d{1,7}$/.test(req.query.saved) && req.method === 'GET' ? Number(req.query.saved) : null;
  const problems = state.problems ?? [];
  res.set('Cache-Control', 'no-store');
  res.status(state.status ?? (problems.length || settings.problems.length ? 422 : 200)).render('staff/data/paper', {
    styles: STYLES,
    slug: survey.slug,
    form: paperView(survey, settings.lang, t, t, state.values, problems),
    settings,
    batchError: settings.problems.length ? t('data:paper.invalidBatch') : '',
    languagesOfSurvey: surveyLanguageChoices(survey.definition),
    submissionId: state.submissionId ?? newSubmissionId(),
    saved,
    banner: state.banner ?? '',
    action: `/staff/surveys/${encodeURIComponent(survey.slug)}/paper`,
    printUrl: `/staff/surveys/${encodeURIComponent(survey.slug)}/paper/print?hl=${settings.lang}`,
    dataUrl: `/staff/surveys/${encodeURIComponent(survey.slug)}/data`,
  });
}

/** Typing in paper forms (keyboard first) and the printable paper form (staff and admins). */
export function paperRouter(): Router {
  const router = Router();

  router.get('/staff/surveys/:slug/paper', requireRole('staff'), async (req, res) => {
    const survey = await loadSurvey(String(req.params.slug));
    renderPaper(req, res, survey, paperSettings(survey, req.query, res.locals.lang as LanguageCode));
  });

  router.post('/staff/surveys/:slug/paper', requireRole('staff'), async (req, res) => {
    const survey = await loadSurvey(String(req.params.slug));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const settings = paperSettings(survey, body, res.locals.lang as LanguageCode);
    const submissionId = isSubmissionId(body.sid) ? body.sid : newSubmissionId();
    if (settings.problems.length) return renderPaper(req, res, survey, settings, { values: formValues(survey.definition, body), submissionId });
    try {
      const saved = await savePaperResponse({ survey, body, submissionId, contactKey: contactIdKey(req.app.locals.config as Config), lang: settings.lang, ...(settings.tag ? { tag: settings.tag } : {}) });
      res.redirect(303, paperUrl(survey.slug, settings, { saved: String(saved.number) }));
    } catch (err) {
      if (err instanceof SubmissionInvalidError) return renderPaper(req, res, survey, settings, { values: err.values, problems: err.problems, submissionId });
      if (!(err instanceof ConflictError)) throw err;
      // This form was already saved with other answers (e.g. after going back): keep what was typed, as a new form.
      const t = res.locals.t as TFunction;
      renderPaper(req, res, survey, settings, { values: formValues(survey.definition, body), banner: t('data:paper.conflict'), status: 409 });
    }
  });

  router.get('/staff/surveys/:slug/paper/print', requireRole('staff'), async (req, res) => {
    const survey = await loadSurvey(String(req.params.slug));
    const lang = surveyLanguage(survey.definition, res.locals.lang as LanguageCode);
    // The whole page is in the form's language, so its direction and any browser translation are right.
    useLanguage(req, res, lang);
    const t = res.locals.t as TFunction;
    const size = req.query.size === 'a4' ? 'a4' : 'letter';
    res.render('staff/data/print', {
      styles: STYLES,
      form: paperView(survey, lang, t, t),
      size,
      languagesOfSurvey: surveyLanguageChoices(survey.definition),
      dataUrl: `/staff/surveys/${encodeURIComponent(survey.slug)}/data`,
      action: `/staff/surveys/${encodeURIComponent(survey.slug)}/paper/print`,
    });
  });

  return router;
}
