import { Router, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { getWorkspace, updateDraft, workingCopy } from '../../surveys/builder.service.js';
import { getCatalog, topicName } from '../../surveys/catalog.service.js';
import { moveQuestion, questionIndex, removeQuestion } from '../../surveys/draft.js';
import type { LanguageCode } from '../../surveys/languages.js';
import { moveOptionRow, questionFromForm, readQuestionForm, valuesFromQuestion, type QuestionFormValues } from '../../surveys/question-form.js';
import { missingNote, pageOfQuestion, previewLanguage, previewLanguages, renderPreviewPage } from '../builder-preview.js';
import { BUILDER_PAGE, bodyOf, clientStrings, fieldErrors, languageView, noticeFrom, surveyPath } from '../builder-view.js';
import { BadRequestError, ValidationError, type FieldProblem } from '../errors.js';
import { localize } from '../form-view.js';
import { requireRole } from '../middleware/auth.js';
import { renderEditor } from './builder-editor.js';

const BLANK_ROWS = 3;

function withBlankRows(values: QuestionFormValues): QuestionFormValues {
  const next = Math.max(-1, ...values.options.map((o) => o.row)) + 1;
  const blanks = Array.from({ length: BLANK_ROWS }, (_, i) => ({ row: next + i, id: '', label: '', help: '', topic: '', exclusive: false, remove: false }));
  return { ...values, options: [...values.options, ...blanks] };
}

/**
 * The question editor, with the preview of the saved question beside it; `values` and `problems`
 * when a posted form comes back, `previewLang` the language the preview was asked in.
 */
export async function renderQuestion(req: Request, res: Response, state: { values?: QuestionFormValues; problems?: FieldProblem[]; previewLang?: unknown } = {}): Promise<void> {
  const t = res.locals.t as TFunction;
  const lang = res.locals.lang as LanguageCode;
  const ws = await getWorkspace(String(req.params.slug));
  const def = workingCopy(ws);
  const index = questionIndex(def, String(req.params.qid));
  const q = def.questions[index]!;
  const source = def.defaultLanguage as LanguageCode;
  const L = (text: Parameters<typeof localize>[0]): string => localize(text, source, source);
  const values = state.values ?? withBlankRows(valuesFromQuestion(q, source));
  const catalog = getCatalog();
  const { errors, first, summary } = fieldErrors(t, state.problems ?? []);
  const previewLang = previewLanguage(def, state.previewLang ?? req.query.language);
  const action = surveyPath(ws.slug, `/edit/questions/${encodeURIComponent(q.id)}`);
  res.status(state.problems?.length ? 422 : 200).render('staff/builder/question', {
    ...BUILDER_PAGE,
    slug: ws.slug,
    surveyTitle: L(def.title),
    strings: clientStrings(t),
    source: languageView(source),
    question: { id: q.id, type: q.type, number: index + 1, label: L(q.label) },
    notice: state.problems?.length ? '' : noticeFrom(req),
    values,
    errors,
    first,
    summary,
    topics: [...catalog.topicIds].map((id) => ({ id, name: topicName(catalog, id, lang) })).sort((a, b) => a.name.localeCompare(b.name, lang)),
    conditions: def.questions
      .slice(0, index)
      .filter((x) => x.type === 'single' || x.type === 'multi')
      .map((x) => ({
        id: x.id,
        label: L(x.label),
        options: [
          ...(x.type === 'single' || x.type === 'multi' ? x.options : []).map((o) => ({ value: `${x.id}:${o.id}`, label: L(o.label) })),
          ...((x.type === 'single' || x.type === 'multi') && x.other ? [{ value: `${x.id}:other`, label: t('builder:question.otherAnswer') }] : []),
        ],
      })),
    preview: {
      languages: previewLanguages(def, ws, previewLang),
      html: await renderPreviewPage(req, res, ws, def, previewLang, pageOfQuestion(def, q.id)),
      title: t('builder:preview.questionFrame', { number: index + 1, language: languageView(previewLang).name }),
      note: missingNote(t, def, previewLang),
      action: `${action}/preview`,
      survey: surveyPath(ws.slug, `/preview?language=${previewLang}`),
    },
    links: { back: surveyPath(ws.slug, `/edit#q-${q.id}`), action },
  });
}

/** Applies the question form to the draft and redirects to `done`; problems come back on the form (422). */
async function saveQuestion(req: Request, res: Response, values: QuestionFormValues, done: string): Promise<void> {
  const qid = String(req.params.qid);
  try {
    await updateDraft(String(req.params.slug), (draft) => {
      const index = questionIndex(draft, qid);
      const { question, problems } = questionFromForm(draft, index, values, getCatalog().topicIds);
      if (problems.length) throw new ValidationError(problems, 'invalidQuestion');
      const questions = [...draft.questions];
      questions[index] = question;
      return { ...draft, questions };
    });
    res.redirect(303, done);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    await renderQuestion(req, res, { values, problems: err.problems });
  }
}

export function builderQuestionRoutes(): Router {
  const router = Router();
  const path = '/staff/surveys/:slug/edit/questions/:qid';

  router.get(path, requireRole('staff'), (req, res) => renderQuestion(req, res));

  router.post(path, requireRole('staff'), async (req, res) => {
    const qid = String(req.params.qid);
    await saveQuestion(req, res, readQuestionForm(bodyOf(req)), surveyPath(String(req.params.slug), `/edit?notice=questionSaved#q-${encodeURIComponent(qid)}`));
  });

  // The arrows beside each answer post the whole question form here (formaction): what was
  // typed is saved together with the new order, or comes back with its problems.
  router.post(`${path}/options/move`, requireRole('staff'), async (req, res) => {
    const body = bodyOf(req);
    const move = /^(\d{1,3}):(up|down)$/.exec(typeof body.move === 'string' ? body.move : '');
    if (!move) throw new BadRequestError('badRequest');
    const row = Number(move[1]);
    const values = moveOptionRow(readQuestionForm(body), row, move[2] as 'up' | 'down');
    const id = values.options.find((o) => o.row === row)?.id;
    const back = `/edit/questions/${encodeURIComponent(String(req.params.qid))}?notice=optionMoved${id ? `#opt-${encodeURIComponent(id)}` : '#options'}`;
    await saveQuestion(req, res, values, surveyPath(String(req.params.slug), back));
  });

  router.post(`${path}/move`, requireRole('staff'), async (req, res) => {
    const slug = String(req.params.slug);
    const qid = String(req.params.qid);
    const direction = bodyOf(req).direction === 'up' ? 'up' : 'down';
    const draft = await updateDraft(slug, (d) => moveQuestion(d, qid, direction));
    // The builder script moves the row itself and only needs to know it worked.
    if (req.accepts(['html', 'json']) === 'json') return void res.json({ order: draft.questions.map((q) => q.id) });
    res.redirect(303, surveyPath(slug, `/edit#q-${encodeURIComponent(qid)}`));
  });

  router.post(`${path}/delete`, requireRole('staff'), async (req, res) => {
    const slug = String(req.params.slug);
    try {
      await updateDraft(slug, (d) => removeQuestion(d, String(req.params.qid)));
      res.redirect(303, surveyPath(slug, '/edit?notice=questionDeleted#questions'));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderEditor(req, res, { status: 422, questionProblems: err.problems });
    }
  });

  return router;
}
