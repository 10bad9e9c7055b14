import { Router, type Request, type Response } from 'express';
import type { AnswerValue } from '../../surveys/answers.js';
import { hasOptions } from '../../surveys/definition.schema.js';
import type { LanguageCode } from '../../surveys/languages.js';
import { deleteSpam, listSpam, releaseSpam } from '../../surveys/spam.service.js';
import type { SurveySnapshot } from '../../surveys/survey.service.js';
import type { Config } from '../config.js';
import { contactIdKey } from '../form-secret.js';
import { localize } from '../form-view.js';
import { requireRole } from '../middleware/auth.js';
import { loadSurvey } from './api.js';

/** Answers as staff read them: question label, then option labels or the text as typed. */
function readable(survey: SurveySnapshot, lang: LanguageCode, answers: Record<string, AnswerValue>, other: Record<string, string>): { question: string; answer: string }[] {
  const def = survey.definition;
  const L = (text: Parameters<typeof localize>[0]) => localize(text, lang, def.defaultLanguage as LanguageCode);
  return def.questions
    .filter((q) => answers[q.id] !== undefined)
    .map((q) => {
      const value = answers[q.id]!;
      const ids = Array.isArray(value) ? value : [String(value)];
      const labels = hasOptions(q) ? ids.map((id) => (id === 'other' && other[q.id] ? other[q.id]! : L(q.options.find((o) => o.id === id)?.label) || id)) : ids;
      return { question: L(q.label), answer: labels.join('; ') };
    });
}

/** Staff review of submissions kept apart as likely spam: release ("not spam") or delete. */
export function spamRouter(): Router {
  const router = Router();
  const base = (slug: string): string => `/staff/surveys/${encodeURIComponent(slug)}/spam`;

  router.get('/staff/surveys/:slug/spam', requireRole('staff'), async (req: Request, res: Response) => {
    const survey = await loadSurvey(String(req.params.slug));
    const lang = res.locals.lang as LanguageCode;
    const { total, items } = await listSpam(survey.slug);
    const done = req.query.done === 'released' || req.query.done === 'deleted' ? req.query.done : '';
    res.set('Cache-Control', 'no-store, max-age=0');
    res.render('staff/spam', {
      title: localize(survey.definition.title, lang, survey.definition.defaultLanguage as LanguageCode),
      dashboard: `/staff/surveys/${encodeURIComponent(survey.slug)}`,
      action: base(survey.slug),
      total,
      done,
      items: items.map((i) => ({ ...i, rows: readable(survey, lang, i.answers, i.other) })),
    });
  });

  router.post('/staff/surveys/:slug/spam/:id/release', requireRole('staff'), async (req, res) => {
    const slug = String(req.params.slug);
    await releaseSpam(slug, String(req.params.id), contactIdKey(req.app.locals.config as Config));
    res.redirect(303, `${base(slug)}?done=released`);
  });

  router.post('/staff/surveys/:slug/spam/:id/delete', requireRole('staff'), async (req, res) => {
    const slug = String(req.params.slug);
    await deleteSpam(slug, String(req.params.id));
    res.redirect(303, `${base(slug)}?done=deleted`);
  });

  return router;
}
