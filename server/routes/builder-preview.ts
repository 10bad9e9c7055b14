import { Router, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { getWorkspace, updateDraft, workingCopy } from '../../surveys/builder.service.js';
import { getCatalog } from '../../surveys/catalog.service.js';
import { hasOptions, type SurveyDefinition } from '../../surveys/definition.schema.js';
import { questionIndex } from '../../surveys/draft.js';
import { formPages, isPageShown } from '../../surveys/form-pages.js';
import type { LanguageCode } from '../../surveys/languages.js';
import { questionFromForm, readQuestionForm } from '../../surveys/question-form.js';
import { inlineValues } from '../../surveys/question-inline.js';
import { missingNote, pageOfQuestion, previewLanguage, previewLanguages, renderPreviewPage } from '../builder-preview.js';
import { BUILDER_PAGE, bodyOf, fieldErrors, formatDateTime, languageView, surveyPath } from '../builder-view.js';
import { ValidationError, type FieldProblem } from '../errors.js';
import { localize } from '../form-view.js';
import { requireRole } from '../middleware/auth.js';
import { renderEditor } from './builder-editor.js';
import { renderQuestion } from './builder-questions.js';

const wantsJson = (req: Request): boolean => req.accepts(['html', 'json']) === 'json';

/** Problems for the builder scripts: the form field and the message in the staff member's language. */
function problemsJson(t: TFunction, problems: FieldProblem[]): { field: string; message: string }[] {
  return Object.entries(fieldErrors(t, problems).errors).map(([field, message]) => ({ field, message }));
}

/**
 * The respondent page with the question as the editor has it, not saved. JSON (the editor's
 * script, as the person types): the page's HTML for the preview frame, or the problems (422).
 * Without JavaScript the Preview button opens this in a new tab: the preview page, or the
 * question editor again with what was typed and its problems (422).
 */
async function previewQuestion(req: Request, res: Response): Promise<void> {
  const t = res.locals.t as TFunction;
  const qid = String(req.params.qid);
  const ws = await getWorkspace(String(req.params.slug));
  const def = workingCopy(ws);
  const index = questionIndex(def, qid);
  const body = bodyOf(req);
  const values = readQuestionForm(body);
  const { question, problems } = questionFromForm(def, index, values, getCatalog().topicIds);
  if (problems.length) {
    if (wantsJson(req)) return void res.status(422).json({ error: { code: 'invalidQuestion', problems: problemsJson(t, problems) } });
    return renderQuestion(req, res, { values, problems, previewLang: body.previewLang });
  }
  def.questions[index] = question;
  const lang = previewLanguage(def, body.previewLang);
  const html = await renderPreviewPage(req, res, ws, def, lang, pageOfQuestion(def, qid));
  const note = missingNote(t, def, lang);
  if (wantsJson(req)) return void res.json({ html, language: lang, note });
  const source = def.defaultLanguage as LanguageCode;
  res.render('staff/builder/question-preview', {
    ...BUILDER_PAGE,
    surveyTitle: localize(def.title, source, source),
    source: languageView(source),
    number: index + 1,
    frame: { html, title: t('builder:preview.questionFrame', { number: index + 1, language: languageView(lang).name }), id: qid },
    note,
    links: { back: surveyPath(ws.slug, `/edit/questions/${encodeURIComponent(qid)}`), survey: surveyPath(ws.slug, `/preview?language=${lang}`) },
  });
}

/** Every page of the survey (the draft if there is one) as respondents see it, in one of its languages. */
async function previewSurvey(req: Request, res: Response): Promise<void> {
  const t = res.locals.t as TFunction;
  const ws = await getWorkspace(String(req.params.slug));
  const def = workingCopy(ws);
  const source = def.defaultLanguage as LanguageCode;
  const lang = previewLanguage(def, req.query.language);
  const wide = req.query.width === 'wide';
  const pages = formPages(def as SurveyDefinition);
  const frames: { html: string; title: string; heading: string; conditional: boolean }[] = [];
  // One after another: each render borrows the response's language for a moment.
  for (let i = 0; i < pages.length; i++) {
    const html = await renderPreviewPage(req, res, ws, def, lang, i);
    frames.push({ html, conditional: !isPageShown(pages[i]!, {}), heading: t('builder:preview.pageHeading', { number: i + 1, total: pages.length }), title: t('builder:preview.pageFrame', { number: i + 1, total: pages.length, language: languageView(lang).name }) });
  }
  res.render('staff/builder/preview', {
    ...BUILDER_PAGE,
    slug: ws.slug,
    title: localize(def.title, source, source),
    source: languageView(source),
    languages: previewLanguages(def, ws, lang),
    language: languageView(lang),
    wide,
    frames,
    note: missingNote(t, def, lang),
    draft: ws.draft !== undefined,
    links: { edit: surveyPath(ws.slug, '/edit'), self: surveyPath(ws.slug, '/preview'), list: '/staff/surveys' },
  });
}

/** An edit made in place on the survey page: the question's text and its answers' text. */
async function saveInline(req: Request, res: Response): Promise<void> {
  const t = res.locals.t as TFunction;
  const slug = String(req.params.slug);
  const qid = String(req.params.qid);
  const body = bodyOf(req);
  try {
    const draft = await updateDraft(slug, (d) => {
      const index = questionIndex(d, qid);
      const { question, problems } = questionFromForm(d, index, inlineValues(d.questions[index]!, d.defaultLanguage as LanguageCode, body), getCatalog().topicIds);
      if (problems.length) throw new ValidationError(problems, 'invalidQuestion');
      const questions = [...d.questions];
      questions[index] = question;
      return { ...d, questions };
    });
    if (!wantsJson(req)) return res.redirect(303, surveyPath(slug, `/edit?notice=questionSaved#q-${encodeURIComponent(qid)}`));
    const source = draft.defaultLanguage as LanguageCode;
    const q = draft.questions[questionIndex(draft, qid)]!;
    const ws = await getWorkspace(slug);
    const date = formatDateTime(ws.draftUpdatedAt, res.locals.lang as LanguageCode);
    res.json({
      id: q.id,
      label: localize(q.label, source, source),
      options: hasOptions(q) ? q.options.map((o) => ({ id: o.id, label: localize(o.label, source, source) })) : [],
      // The survey page's publishing panel, which now has changes to publish.
      draftState: ws.definition ? t('builder:editor.draftChanges', { date }) : t('builder:editor.draftNew', { date }),
    });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    if (wantsJson(req)) return void res.status(422).json({ error: { code: err.code, problems: problemsJson(t, err.problems) } });
    const ws = await getWorkspace(slug);
    const def = workingCopy(ws);
    const values = inlineValues(def.questions[questionIndex(def, qid)]!, def.defaultLanguage as LanguageCode, body);
    await renderEditor(req, res, { status: 422, inline: { id: qid, values, problems: err.problems } });
  }
}

export function builderPreviewRoutes(): Router {
  const router = Router();
  const question = '/staff/surveys/:slug/edit/questions/:qid';
  router.post(`${question}/preview`, requireRole('staff'), previewQuestion);
  router.post(`${question}/inline`, requireRole('staff'), saveInline);
  router.get('/staff/surveys/:slug/preview', requireRole('staff'), previewSurvey);
  return router;
}
