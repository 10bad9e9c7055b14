import type { TFunction } from 'i18next';
import type { AnswerProblem, FormValues } from '../surveys/answers.js';
import { hasOptions, type LocalizedText } from '../surveys/definition.schema.js';
import { languageDir, type LanguageCode } from '../surveys/languages.js';
import type { SurveySnapshot } from '../surveys/survey.service.js';
import { buildFormView, localize, type ChoiceView, type QuestionView } from './form-view.js';

/** Option codes as printed on paper and shown on the data-entry screen: a, b, … z, aa, ab, … */
export function optionCode(index: number): string {
  let n = index;
  let code = '';
  do {
    code = String.fromCharCode(97 + (n % 26)) + code;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return code;
}

export interface PaperOption extends ChoiceView {
  code: string;
}

export interface PaperQuestion extends Omit<QuestionView, 'options'> {
  /** 1, 2, 3 … in survey order: the same on paper and on screen. */
  number: number;
  options: PaperOption[];
  otherCode: string;
  /** "Tick one box", "Write 1, 2, 3 …" (in the notes language). */
  instruction: string;
  /** "Answer only if you ticked “Yes” in question 11." */
  onlyIf: string;
}

export interface PaperView {
  lang: LanguageCode;
  dir: 'ltr' | 'rtl';
  title: string;
  intro: string;
  questions: PaperQuestion[];
  errorSummary: { href: string; text: string }[];
}

function instruction(q: QuestionView & { maxChoices?: number }, t: TFunction): string {
  switch (q.type) {
    case 'single':
      return t('data:paper.tickOne');
    case 'multi':
      return q.maxChoices ? t('data:paper.tickUpTo', { count: q.maxChoices }) : t('data:paper.tickAny');
    case 'rating':
      return t('data:paper.tickRating');
    case 'ranking':
      return t('data:paper.writeRanks', { count: q.top, list: Array.from({ length: q.top }, (_, i) => i + 1).join(', ') });
    case 'number':
      return t('data:paper.writeNumber', { min: q.min, max: q.max });
    default:
      return t('data:paper.writeText');
  }
}

/**
 * The one view model of the paper form, shared by the printable page and the data-entry
 * screen, so question numbers, order and option codes always match. Labels are in the form's
 * language; `notesT` writes instructions and conditions (the form's language when printed, the
 * staff member's on screen); `t` writes errors.
 */
export function paperView(survey: SurveySnapshot, lang: LanguageCode, t: TFunction, notesT: TFunction, values: FormValues = {}, problems: AnswerProblem[] = []): PaperView {
  const def = survey.definition;
  const form = buildFormView(survey, lang, t, values, problems, { narrowRankings: false });
  const L = (text: LocalizedText | undefined): string => localize(text, lang, def.defaultLanguage as LanguageCode);
  const numbers = new Map(def.questions.map((q, i) => [q.id, i + 1]));
  const questions = form.questions.map((view, i): PaperQuestion => {
    const q = def.questions[i]!;
    const trigger = q.showIf ? def.questions.find((x) => x.id === q.showIf!.question) : undefined;
    const answers = trigger && hasOptions(trigger) ? q.showIf!.anyOf.map((id) => L(trigger.options.find((o) => o.id === id)?.label)).filter(Boolean) : [];
    const options = view.options.map((o, n) => ({ ...o, code: optionCode(n) }));
    return {
      ...view,
      number: i + 1,
      options,
      otherCode: optionCode(options.length),
      instruction: instruction({ ...view, ...(q.type === 'multi' && q.maxChoices ? { maxChoices: q.maxChoices } : {}) }, notesT),
      onlyIf: trigger
        ? notesT('data:paper.onlyIf', { answers: answers.map((text) => notesT('data:paper.quoted', { text })).join(notesT('data:paper.or')), number: numbers.get(trigger.id) })
        : q.type === 'ranking' && q.rankFrom
          ? notesT('data:paper.rankFrom', { number: numbers.get(q.rankFrom) })
          : '',
      autofocus: problems.length ? view.autofocus : i === 0,
    };
  });
  return { lang, dir: languageDir(lang), title: form.title, intro: form.intro, questions, errorSummary: form.errorSummary };
}
