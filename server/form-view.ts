import type { TFunction } from 'i18next';
import { fieldName, OTHER, type AnswerProblem, type FormValues } from '../surveys/answers.js';
import { contactField } from '../surveys/contact.js';
import { hasOptions, type LocalizedText, type Question, type SurveyDefinition } from '../surveys/definition.schema.js';
import { languageName, type LanguageCode } from '../surveys/languages.js';
import { respondentLanguages, type SurveySnapshot } from '../surveys/survey.service.js';
import { rankFromView, type RankFromView } from './ranking-view.js';

/** Text in `lang`, falling back to the survey's default language. */
export function localize(text: LocalizedText | undefined, lang: LanguageCode, fallback: LanguageCode): string {
  if (!text) return '';
  return text[lang] ?? text[fallback] ?? Object.values(text)[0] ?? '';
}

/** The language a survey is shown in: the requested one when respondents are offered it, else the survey's default. */
export function surveyLanguage(def: SurveyDefinition, requested: LanguageCode): LanguageCode {
  return respondentLanguages(def).includes(requested) ? requested : (def.defaultLanguage as LanguageCode);
}

/** A survey's languages for a picker, each in its own name (languages staff have hidden are left out). */
export function surveyLanguageChoices(def: SurveyDefinition): { code: LanguageCode; name: string }[] {
  return respondentLanguages(def).map((code) => ({ code, name: languageName(code) }));
}

export interface ChoiceView {
  id: string;
  label: string;
  help: string;
  checked: boolean;
  inputId: string;
  /** An answer like "none of these" that clears the others (the script does it as it is ticked). */
  exclusive: boolean;
}

export interface QuestionView {
  id: string;
  type: Question['type'];
  label: string;
  help: string;
  required: boolean;
  domId: string;
  name: string;
  options: ChoiceView[];
  other: { enabled: boolean; name: string; value: string; inputId: string; checked: boolean };
  places: { place: number; name: string; value: string; inputId: string }[];
  top: number;
  /** Rating labels for points 1 to 5. */
  scale: string[];
  value: string;
  min?: number;
  max?: number;
  maxLength?: number;
  error: string;
  errorId: string;
  describedBy: string;
  showIf: string;
  conditionNote: string;
  autofocus: boolean;
  /** A ranking of what was chosen in an earlier question (`rankFrom`), else null. */
  rankFrom: RankFromView | null;
  /** Every option of such a ranking, when `options` shows only those chosen (for the script). */
  allOptions: { id: string; label: string }[];
  hidden: boolean;
  /** Hidden because an answer on an earlier page does not call for it (forms in pages). */
  hiddenByAnswer?: boolean;
}

export interface FormView {
  lang: LanguageCode;
  title: string;
  intro: string;
  questions: QuestionView[];
  errorSummary: { href: string; text: string }[];
  contact: { email: string; phone: string; consent: boolean; error: string };
  languages: { code: LanguageCode; name: string }[];
}

function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function first(v: string | string[] | undefined): string {
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function errorText(t: TFunction, problem: AnswerProblem | undefined, def: SurveyDefinition, q: Question | undefined, lang: LanguageCode): string {
  if (!problem) return '';
  const params: Record<string, string | number> = { ...problem.params };
  if ((problem.code === 'exclusiveOption' || problem.code === 'rankNotChosen') && q && hasOptions(q)) {
    params.label = localize(q.options.find((o) => o.id === problem.params?.option)?.label, lang, def.defaultLanguage as LanguageCode);
  }
  if (problem.code === 'rankNotChosen') params.question = localize(def.questions.find((x) => x.id === problem.params?.question)?.label, lang, def.defaultLanguage as LanguageCode);
  return t(`validation.${problem.code}`, params);
}

/** Everything the form template needs, localized, with what was typed and each error in place. */
export function buildFormView(survey: SurveySnapshot, lang: LanguageCode, t: TFunction, values: FormValues = {}, problems: AnswerProblem[] = [], options: { narrowRankings?: boolean } = {}): FormView {
  const def = survey.definition;
  const fb = def.defaultLanguage as LanguageCode;
  const L = (text: LocalizedText | undefined): string => localize(text, lang, fb);
  const firstProblemField = problems[0]?.field;
  const questions = def.questions.map((q): QuestionView => {
    const domId = `q-${q.id}`;
    const name = fieldName.answer(q.id);
    const problem = problems.find((p) => p.field === q.id);
    const error = errorText(t, problem, def, q, lang);
    const chosen = asList(values[name]);
    const trigger = q.showIf ? def.questions.find((x) => x.id === q.showIf!.question) : undefined;
    const triggerLabels = trigger && hasOptions(trigger) ? q.showIf!.anyOf.map((id) => L(trigger.options.find((o) => o.id === id)?.label)).filter(Boolean) : [];
    const helpId = `${domId}-help`;
    const errorId = `${domId}-error`;
    const help = L(q.help);
    // The paper form keeps every option (its letters are printed); the web form narrows rankFrom rankings.
    const rankFrom = options.narrowRankings === false ? null : rankFromView(def, q, values, t, L);
    const choices = hasOptions(q) ? q.options.map((o) => ({ id: o.id, label: L(o.label), help: L(o.help), checked: chosen.includes(o.id), inputId: `${domId}-${o.id}`, exclusive: o.exclusive === true })) : [];
    const shown = rankFrom?.shownIds;
    return {
      id: q.id,
      type: q.type,
      label: L(q.label),
      help,
      required: q.required,
      domId,
      name,
      options: shown ? choices.filter((o) => shown.includes(o.id)) : choices,
      other: {
        enabled: 'other' in q && q.other === true,
        name: fieldName.other(q.id),
        value: first(values[fieldName.other(q.id)]),
        inputId: `${domId}-other-text`,
        checked: chosen.includes(OTHER),
      },
      places: q.type === 'ranking' ? Array.from({ length: rankFrom?.places ?? q.top }, (_, i) => ({ place: i + 1, name: fieldName.rank(q.id, i + 1), value: first(values[fieldName.rank(q.id, i + 1)]), inputId: `${domId}-rank-${i + 1}` })) : [],
      top: q.type === 'ranking' ? (rankFrom?.places ?? q.top) : 0,
      scale: q.type === 'rating' ? ([1, 2, 3, 4, 5] as const).map((n) => L(q.scale.labels[n])) : [],
      value: first(values[name]),
      ...(q.type === 'number' ? { min: q.min, max: q.max } : {}),
      ...(q.type === 'shortText' || q.type === 'longText' ? { maxLength: q.maxLength } : {}),
      error,
      errorId,
      describedBy: [help ? helpId : '', error ? errorId : ''].filter(Boolean).join(' '),
      showIf: q.showIf ? JSON.stringify(q.showIf) : '',
      conditionNote: triggerLabels.length ? t('form.onlyIf', { answers: triggerLabels.join(' / '), question: L(trigger?.label) }) : '',
      autofocus: problem !== undefined && problem.field === firstProblemField,
      rankFrom,
      allOptions: shown ? choices.map((o) => ({ id: o.id, label: o.label })) : [],
      hidden: rankFrom?.hidden === true,
    };
  });
  const contactProblem = problems.find((p) => p.field === 'contact');
  const formProblem = problems.find((p) => p.field === 'form');
  const errorSummary = [
    ...(formProblem ? [{ href: '#survey-form', text: t(`validation.${formProblem.code}`) }] : []),
    ...questions.filter((q) => q.error).map((q) => ({ href: `#${q.domId}`, text: `${q.label} – ${q.error}` })),
    ...(contactProblem ? [{ href: '#contact', text: t(`validation.${contactProblem.code}`) }] : []),
  ];
  return {
    lang,
    title: L(def.title),
    intro: L(def.intro),
    questions,
    errorSummary,
    contact: {
      email: first(values[contactField.email]),
      phone: first(values[contactField.phone]),
      consent: first(values[contactField.consent]) === 'yes',
      error: contactProblem ? t(`validation.${contactProblem.code}`) : '',
    },
    languages: surveyLanguageChoices(def),
  };
}
