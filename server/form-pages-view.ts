import type { TFunction } from 'i18next';
import { isShown, type AnswerValue } from '../surveys/answers.js';
import type { Question, SurveyDefinition } from '../surveys/definition.schema.js';
import { formPages, isPageShown, pageProgress } from '../surveys/form-pages.js';
import type { LanguageCode } from '../surveys/languages.js';
import { localize, type QuestionView } from './form-view.js';

export interface PageView {
  index: number;
  domId: string;
  title: string;
  questions: QuestionView[];
  /** Whether the page is shown for the answers so far (a page hidden by its conditions is skipped). */
  shown: boolean;
  current: boolean;
}

export interface PagesView {
  pages: PageView[];
  /** More than one page: progress, Back and Next are shown. */
  paged: boolean;
  current: number;
  progress: { number: number; total: number; last: boolean; text: string };
}

/**
 * The form's pages for the template: the questions of each page (all are in the page, the ones
 * not on the current page hidden, so the answers so far travel with every post), which page is
 * shown and where it stands ("Page 2 of 4").
 */
export function buildPagesView(def: SurveyDefinition, lang: LanguageCode, t: TFunction, questions: QuestionView[], answers: Record<string, AnswerValue>, current: number): PagesView {
  const pages = formPages(def);
  const at = Math.min(Math.max(current, 0), pages.length - 1);
  const byId = new Map(questions.map((q) => [q.id, q]));
  const progress = pageProgress(pages, answers, at);
  const pageOf = new Map(pages.flatMap((page, index) => page.questions.map((q) => [q.id, index] as const)));
  // A question waiting on an answer from an earlier page is hidden when that answer does not
  // call for it (the page knows it, even without JavaScript); on its own page it shows with its note.
  const view = (q: Question, index: number): QuestionView => {
    const fromEarlier = q.showIf !== undefined && (pageOf.get(q.showIf.question) ?? index) < index;
    return fromEarlier && !isShown(q, answers) ? { ...byId.get(q.id)!, hiddenByAnswer: true } : byId.get(q.id)!;
  };
  return {
    pages: pages.map((page, index) => ({
      index,
      domId: `page-${page.id}`,
      title: localize(page.title, lang, def.defaultLanguage as LanguageCode),
      questions: page.questions.map((q) => view(q, index)),
      shown: isPageShown(page, answers),
      current: index === at,
    })),
    paged: pages.length > 1,
    current: at,
    progress: { ...progress, text: t('form.pageOf', { number: progress.number, total: progress.total }) },
  };
}
