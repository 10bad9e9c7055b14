import { Router, type Request, type Response } from 'express';
import type { i18n as I18n, TFunction } from 'i18next';
import { discardDraft, getWorkspace, publishDraft, saveSettings, updateDraft, workingCopy } from '../../surveys/builder.service.js';
import { hasOptions, type Question } from '../../surveys/definition.schema.js';
import type { DefinitionProblem } from '../../surveys/definition.service.js';
import { addQuestion, applySettings, QUESTION_TYPES } from '../../surveys/draft.js';
import { LANGUAGES, LANGUAGE_CODES, type LanguageCode } from '../../surveys/languages.js';
import { valuesFromQuestion, type QuestionFormValues } from '../../surveys/question-form.js';
import { InvalidDefinitionError } from '../../surveys/survey.service.js';
import { responseCount } from '../../surveys/survey-lifecycle.service.js';
import { missingStrings } from '../../surveys/translation.js';
import { BUILDER_PAGE, bodyOf, clientStrings, dateInputValue, definitionProblemViews, fieldErrors, formatDate, formatDateTime, languageView, noticeFrom, surveyPath } from '../builder-view.js';
import { ConflictError, ValidationError, type FieldProblem } from '../errors.js';
import { localize } from '../form-view.js';
import { requireRole } from '../middleware/auth.js';

export interface EditorState {
  status?: number;
  publishProblems?: DefinitionProblem[];
  settings?: { values: Record<string, unknown>; problems: FieldProblem[] };
  add?: { values: Record<string, unknown>; problems: FieldProblem[] };
  availability?: { values: Record<string, unknown>; problems: FieldProblem[] };
  questionProblems?: FieldProblem[];
  /** A question edited in place that came back: what was typed and its problems. */
  inline?: { id: string; values: QuestionFormValues; problems: FieldProblem[] };
}

function conditionText(t: TFunction, def: { questions: Question[] }, q: Question, L: (x: Question['label'] | undefined) => string): string {
  if (!q.showIf) return '';
  const target = def.questions.find((x) => x.id === q.showIf!.question);
  const answers = q.showIf.anyOf.map((id) => (id === 'other' ? t('builder:question.otherAnswer') : L(target && hasOptions(target) ? target.options.find((o) => o.id === id)?.label : undefined) || id));
  return t('builder:editor.condition', { question: target ? L(target.label) : q.showIf.question, answers: answers.join(' / ') });
}

/** The in-place form of one question: its text and its answers' text, or what was typed with its problems. */
function inlineView(t: TFunction, q: Question, source: LanguageCode, back: EditorState['inline']) {
  const returned = back?.id === q.id ? back : undefined;
  const values = returned?.values ?? valuesFromQuestion(q, source);
  const { errors, first } = fieldErrors(t, returned?.problems ?? []);
  return { open: returned !== undefined, label: values.label, help: values.help, options: values.options.map((o) => ({ row: o.row, id: o.id, label: o.label })), errors, first };
}

/** The editor page: status and publishing, survey details, the questions, and availability. */
export async function renderEditor(req: Request, res: Response, state: EditorState = {}): Promise<void> {
  const t = res.locals.t as TFunction;
  const lang = res.locals.lang as LanguageCode;
  const ws = await getWorkspace(String(req.params.slug));
  const def = workingCopy(ws);
  const source = def.defaultLanguage as LanguageCode;
  const L = (text: Question['label'] | undefined): string => localize(text, source, source);
  const settingsValues = state.settings?.values ?? { title: def.title[source] ?? '', intro: def.intro?.[source] ?? '', languages: def.languages };
  const askedLanguages = Array.isArray(settingsValues.languages) ? settingsValues.languages : [settingsValues.languages];
  const availabilityValues = state.availability?.values ?? { status: ws.status === 'open' ? 'open' : 'closed', closesAt: dateInputValue(ws.closesAt) };
  const closedByDate = ws.status === 'open' && ws.closesAt !== undefined && ws.closesAt.getTime() <= Date.now();
  const slug = ws.slug;
  res.status(state.status ?? 200).render('staff/builder/edit', {
    ...BUILDER_PAGE,
    slug,
    title: L(def.title),
    strings: clientStrings(t),
    source: languageView(source),
    state: ws.status === 'archived' ? 'archived' : !ws.definition ? 'unpublished' : ws.status === 'open' && !closedByDate ? 'open' : 'closed',
    closes: formatDate(ws.closesAt, lang),
    version: ws.version,
    hasDraft: ws.draft !== undefined,
    published: ws.definition !== undefined,
    draftSaved: formatDateTime(ws.draftUpdatedAt, lang),
    responses: await responseCount(slug),
    notice: noticeFrom(req),
    publishProblems: definitionProblemViews(t, slug, def.questions.map((q) => q.id), state.publishProblems ?? []),
    questionProblems: fieldErrors(t, state.questionProblems ?? []).summary.map((s) => s.text),
    inlineProblems: state.inline ? fieldErrors(t, state.inline.problems).summary.map((s) => ({ ...s, href: `#qi-${state.inline!.id}-${s.href.slice(1)}`.replace(/-form$/, '-label') })) : [],
    questions: def.questions.map((q, i) => ({
      inline: inlineView(t, q, source, state.inline),
      id: q.id,
      number: i + 1,
      label: L(q.label),
      type: q.type,
      required: q.required,
      demographic: q.demographic,
      options: hasOptions(q) ? q.options.length : 0,
      condition: conditionText(t, def, q, L),
      first: i === 0,
      last: i === def.questions.length - 1,
      href: surveyPath(slug, `/edit/questions/${encodeURIComponent(q.id)}`),
    })),
    questionTypes: QUESTION_TYPES,
    settings: { values: settingsValues, ...fieldErrors(t, state.settings?.problems ?? []) },
    languages: LANGUAGES.map((l) => ({ ...languageView(l.code), checked: l.code === source || askedLanguages.includes(l.code), isDefault: l.code === source, missing: missingStrings(def, l.code).length, hidden: ws.hiddenLanguages.includes(l.code) })),
    add: { values: state.add?.values ?? {}, ...fieldErrors(t, state.add?.problems ?? []) },
    availability: { values: availabilityValues, ...fieldErrors(t, state.availability?.problems ?? []) },
    links: {
      list: '/staff/surveys',
      self: surveyPath(slug, '/edit'),
      translations: surveyPath(slug, '/translations'),
      dashboard: surveyPath(slug),
      download: surveyPath(slug, '/definition.json'),
      downloadDraft: surveyPath(slug, '/definition.json?draft=1'),
      duplicate: surveyPath(slug, '/duplicate'),
      remove: surveyPath(slug, '/delete'),
      respond: `/s/${encodeURIComponent(slug)}`,
      preview: surveyPath(slug, '/preview'),
    },
  });
}

/** Where to go after publishing: back to a translation screen when published from there. */
function afterPublish(slug: string, raw: unknown): string {
  const lang = typeof raw === 'string' ? /^translations:([A-Za-z-]{2,8})$/.exec(raw)?.[1] : undefined;
  return lang && (LANGUAGE_CODES as string[]).includes(lang) ? surveyPath(slug, `/translations/${lang}?notice=published`) : surveyPath(slug, '/edit?notice=published');
}

export function builderEditorRoutes(): Router {
  const router = Router();
  const edit = '/staff/surveys/:slug/edit';

  router.get(edit, requireRole('staff'), (req, res) => renderEditor(req, res));

  router.post(`${edit}/settings`, requireRole('staff'), async (req, res) => {
    const body = bodyOf(req);
    try {
      await saveSettings(String(req.params.slug), (draft) => applySettings(draft, { title: body.title, intro: body.intro, languages: body.languages }, LANGUAGE_CODES));
      res.redirect(303, surveyPath(String(req.params.slug), '/edit?notice=saved#details'));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderEditor(req, res, { status: 422, settings: { values: body, problems: err.problems } });
    }
  });

  router.post(`${edit}/questions`, requireRole('staff'), async (req, res) => {
    const body = bodyOf(req);
    const slug = String(req.params.slug);
    try {
      let id = '';
      await updateDraft(slug, (draft) => {
        // The default rating labels are written in the survey's language, not the page's.
        const t = (req.app.locals.i18n as I18n).getFixedT(draft.defaultLanguage);
        const labels = [1, 2, 3, 4, 5].map((n) => t(`builder:defaults.rating${n}`));
        const added = addQuestion(draft, { type: body.newType, label: body.newLabel }, labels);
        id = added.id;
        return added.draft;
      });
      res.redirect(303, surveyPath(slug, `/edit/questions/${encodeURIComponent(id)}`));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderEditor(req, res, { status: 422, add: { values: body, problems: err.problems } });
    }
  });

  router.post('/staff/surveys/:slug/publish', requireRole('staff'), async (req, res) => {
    const slug = String(req.params.slug);
    try {
      await publishDraft(slug);
      res.redirect(303, afterPublish(slug, bodyOf(req).back));
    } catch (err) {
      if (err instanceof ConflictError && err.code === 'noDraft') return res.redirect(303, surveyPath(slug, '/edit?notice=nothingToPublish'));
      if (!(err instanceof InvalidDefinitionError)) throw err;
      await renderEditor(req, res, { status: 422, publishProblems: err.definitionProblems });
    }
  });

  router.post('/staff/surveys/:slug/discard', requireRole('staff'), async (req, res) => {
    await discardDraft(String(req.params.slug));
    res.redirect(303, surveyPath(String(req.params.slug), '/edit?notice=discarded'));
  });

  return router;
}
