import { isShown, type AnswerProblem, type AnswerValue } from './answers.js';
import type { LocalizedText, Question, SurveyDefinition } from './definition.schema.js';

/** One page of the form as shown: its questions in page order. */
export interface FormPage {
  id: string;
  title?: LocalizedText;
  questions: Question[];
}

/** The form field naming the page a form was on when it was posted. */
export const PAGE_FIELD = 'page';
/**
 * The form field holding the furthest page (0-based) this filling of the form has reached: going
 * Back and then Next again is not a new page reached for the completion funnel. A number in the
 * form, not an identifier.
 */
export const REACHED_FIELD = 'reached';
/** The form field naming the step a posted page asks for (`next` or `back`); absent: send the answers. */
export const STEP_FIELD = 'step';
export type Step = 'next' | 'back';

/**
 * The pages of a definition. Without `pages` (or with one), it is a single page of every
 * question in order, exactly as before pages existed. A validated definition puts each question
 * on exactly one page (definition.service.ts), so no question is lost here.
 */
export function formPages(def: SurveyDefinition): FormPage[] {
  if (!def.pages?.length) return [{ id: 'all', questions: def.questions }];
  const byId = new Map(def.questions.map((q) => [q.id, q]));
  return def.pages.map((page) => ({
    id: page.id,
    ...(page.title ? { title: page.title } : {}),
    questions: page.questions.map((id) => byId.get(id)).filter((q): q is Question => q !== undefined),
  }));
}

/**
 * Whether a page is shown given the answers so far: when at least one of its questions is. A
 * page whose every question waits on an answer the person did not give is skipped.
 */
export function isPageShown(page: FormPage, answers: Record<string, AnswerValue>): boolean {
  return page.questions.some((q) => isShown(q, answers));
}

/** Indexes of the pages shown, in order (never empty: the first page always counts). */
export function shownPages(pages: FormPage[], answers: Record<string, AnswerValue>): number[] {
  const shown = pages.flatMap((page, i) => (isPageShown(page, answers) ? [i] : []));
  return shown.length ? shown : [0];
}

/** A posted page number (0-based) within range; anything else is the first page. */
export function readPageIndex(raw: unknown, count: number): number {
  const n = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : 0;
  return n < count ? n : 0;
}

export function readStep(raw: unknown): Step | null {
  return raw === 'next' || raw === 'back' ? raw : null;
}

/** The page a step leads to from `current`, skipping pages not shown; null past the last. */
export function stepFrom(pages: FormPage[], answers: Record<string, AnswerValue>, current: number, step: Step): number | null {
  const shown = shownPages(pages, answers);
  if (step === 'next') return shown.find((i) => i > current) ?? null;
  return shown.filter((i) => i < current).at(-1) ?? shown[0]!;
}

/** Problems of the questions on one page (leaving a page checks only what it asked). */
export function problemsOnPage(page: FormPage, problems: AnswerProblem[]): AnswerProblem[] {
  const ids = new Set(page.questions.map((q) => q.id));
  return problems.filter((p) => ids.has(p.field));
}

/**
 * The page to show a whole-form problem list on: the page of the first question with a problem
 * (contact and form-wide problems: the last page shown, where the contact block and Send are).
 */
export function pageOfFirstProblem(pages: FormPage[], answers: Record<string, AnswerValue>, problems: AnswerProblem[]): number {
  const withProblem = pages.findIndex((page) => problemsOnPage(page, problems).length > 0);
  return withProblem >= 0 ? withProblem : shownPages(pages, answers).at(-1)!;
}

/** Where a page stands among the pages shown: "page 2 of 4", and whether it is the last. */
export function pageProgress(pages: FormPage[], answers: Record<string, AnswerValue>, current: number): { number: number; total: number; last: boolean } {
  const shown = shownPages(pages, answers);
  const at = shown.indexOf(current);
  // A page shown against the answers (a posted page that a later change hid) still counts.
  const number = at >= 0 ? at + 1 : shown.filter((i) => i < current).length + 1;
  const total = at >= 0 ? shown.length : shown.length + 1;
  return { number, total, last: number === total };
}
