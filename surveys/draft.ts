import { NotFoundError, ValidationError } from '../server/errors.js';
import { idFromLabel } from './builder-ids.js';
import type { LocalizedText, Question, QuestionType, SurveyDefinition } from './definition.schema.js';
import type { LanguageCode } from './languages.js';

/**
 * The builder's working copy of a survey: shaped like a definition, but it may not be valid
 * yet (a new choice question has no options until they are added). Publishing validates it.
 */
export type Draft = SurveyDefinition;

export const QUESTION_TYPES: readonly QuestionType[] = ['single', 'multi', 'rating', 'ranking', 'shortText', 'longText', 'number'];

export function isQuestionType(value: unknown): value is QuestionType {
  return typeof value === 'string' && (QUESTION_TYPES as readonly string[]).includes(value);
}

/** Longest text the schema accepts in one language. */
export const MAX_TEXT = 2000;

/** Sets the text in one language, keeping the others; empty text removes that language. */
export function withText(text: LocalizedText | undefined, lang: LanguageCode, value: string): LocalizedText {
  const copy: LocalizedText = { ...text };
  if (value) copy[lang] = value;
  else delete copy[lang];
  return copy;
}

/** Like withText, for optional texts (help): with no source text left, the whole text goes (its translations too). */
export function withOptionalText(text: LocalizedText | undefined, lang: LanguageCode, value: string): LocalizedText | undefined {
  return value ? withText(text, lang, value) : undefined;
}

export function questionIndex(draft: Draft, id: string): number {
  const i = draft.questions.findIndex((q) => q.id === id);
  if (i < 0) throw new NotFoundError('questionNotFound');
  return i;
}

export interface NewQuestionInput {
  type: unknown;
  label: unknown;
}

/** A new question of a type, with sensible defaults; rating labels come from the caller (localized). */
export function addQuestion(draft: Draft, input: NewQuestionInput, ratingLabels: readonly string[]): { draft: Draft; id: string } {
  const label = typeof input.label === 'string' ? input.label.trim() : '';
  const problems = [];
  if (!isQuestionType(input.type)) problems.push({ field: 'newType', code: 'typeRequired' });
  if (!label) problems.push({ field: 'newLabel', code: 'labelRequired' });
  else if (label.length > MAX_TEXT) problems.push({ field: 'newLabel', code: 'textTooLong', params: { max: MAX_TEXT } });
  if (problems.length || !isQuestionType(input.type)) throw new ValidationError(problems, 'invalidQuestion');
  const lang = draft.defaultLanguage as LanguageCode;
  const id = idFromLabel(label, draft.questions.map((q) => q.id), 'question');
  const base = { id, label: { [lang]: label }, required: false, demographic: false };
  const scaleText = (n: number): LocalizedText => ({ [lang]: ratingLabels[n - 1] ?? String(n) });
  const byType: Record<QuestionType, Question> = {
    single: { ...base, type: 'single', options: [], other: false },
    multi: { ...base, type: 'multi', options: [], other: false },
    ranking: { ...base, type: 'ranking', options: [], top: 3 },
    rating: { ...base, type: 'rating', scale: { min: 1, max: 5, labels: { 1: scaleText(1), 2: scaleText(2), 3: scaleText(3), 4: scaleText(4), 5: scaleText(5) } } },
    shortText: { ...base, type: 'shortText', maxLength: 200 },
    longText: { ...base, type: 'longText', maxLength: 2000 },
    number: { ...base, type: 'number', min: 0, max: 100 },
  };
  // A survey in pages gets the new question at the end of its last page.
  const pages = draft.pages?.map((page, i, all) => (i === all.length - 1 ? { ...page, questions: [...page.questions, id] } : page));
  return { draft: { ...draft, questions: [...draft.questions, byType[input.type]], ...(pages ? { pages } : {}) }, id };
}

/** Moves a question one place up or down (a no-op at either end). */
export function moveQuestion(draft: Draft, id: string, direction: 'up' | 'down'): Draft {
  const i = questionIndex(draft, id);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (j < 0 || j >= draft.questions.length) return draft;
  const questions = [...draft.questions];
  [questions[i], questions[j]] = [questions[j]!, questions[i]!];
  return { ...draft, questions };
}

/** Removes a question; refused while other questions are shown depending on its answer. */
export function removeQuestion(draft: Draft, id: string): Draft {
  questionIndex(draft, id);
  const dependents = draft.questions.filter((q) => q.showIf?.question === id && q.id !== id);
  if (dependents.length) throw new ValidationError([{ field: 'question', code: 'hasDependents', params: { questions: dependents.map((q) => q.id).join(', ') } }], 'questionInUse');
  // Off its page too; a page left without questions goes with it.
  const pages = draft.pages?.map((page) => ({ ...page, questions: page.questions.filter((q) => q !== id) })).filter((page) => page.questions.length > 0);
  return { ...draft, questions: draft.questions.filter((q) => q.id !== id), ...(pages ? { pages: pages.length ? pages : undefined } : {}) };
}

export interface SettingsInput {
  title: unknown;
  intro: unknown;
  languages: unknown;
}

/** Title and intro in the default language, and the survey's languages (the default one always stays). */
export function applySettings(draft: Draft, input: SettingsInput, known: readonly LanguageCode[]): Draft {
  const lang = draft.defaultLanguage as LanguageCode;
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  const intro = typeof input.intro === 'string' ? input.intro.trim() : '';
  const problems = [];
  if (!title) problems.push({ field: 'title', code: 'titleRequired' });
  else if (title.length > 200) problems.push({ field: 'title', code: 'textTooLong', params: { max: 200 } });
  if (intro.length > MAX_TEXT) problems.push({ field: 'intro', code: 'textTooLong', params: { max: MAX_TEXT } });
  const asked = (Array.isArray(input.languages) ? input.languages : [input.languages]).filter((l): l is LanguageCode => known.includes(l as LanguageCode));
  if (problems.length) throw new ValidationError(problems, 'invalidSettings');
  // Existing languages keep their order; new ones go last.
  const current = draft.languages as LanguageCode[];
  const languages = [...current.filter((l) => l === lang || asked.includes(l)), ...new Set(asked.filter((l) => !current.includes(l)))];
  const next: Draft = { ...draft, title: withText(draft.title, lang, title), languages };
  const nextIntro = withOptionalText(draft.intro, lang, intro);
  if (nextIntro) next.intro = nextIntro;
  else delete next.intro;
  return next;
}
