import type { Request, Response } from 'express';
import type { TFunction } from 'i18next';
import type { LocalizedText } from '../surveys/definition.schema.js';
import type { DefinitionProblem } from '../surveys/definition.service.js';
import { languageDir, languageName, type LanguageCode } from '../surveys/languages.js';
import type { FieldProblem } from './errors.js';
import { localize } from './form-view.js';

/** Every builder page loads the builder styles on the staff layout. */
export const BUILDER_PAGE = { styles: ['/public/css/builder.css'], bodyClass: 'staff builder', scripts: ['/public/js/builder.js', '/public/js/builder-preview.js'] };

export const surveyPath = (slug: string, rest = ''): string => `/staff/surveys/${encodeURIComponent(slug)}${rest}`;

/** Every page of one survey that the list leads to (the pages for a published survey only show once it is). */
export function surveyLinks(slug: string): Record<string, string> {
  return {
    edit: surveyPath(slug, '/edit'),
    translations: surveyPath(slug, '/translations'),
    dashboard: surveyPath(slug),
    summary: `/reports/${encodeURIComponent(slug)}/summary`,
    share: surveyPath(slug, '/share'),
    data: surveyPath(slug, '/data'),
    spam: surveyPath(slug, '/spam'),
    download: surveyPath(slug, '/definition.json'),
  };
}

/** Short confirmations shown after a redirect (`?notice=`); only these codes are shown. */
export const NOTICES = [
  'created',
  'saved',
  'questionSaved',
  'questionDeleted',
  'published',
  'discarded',
  'statusSaved',
  'duplicated',
  'archived',
  'restored',
  'deleted',
  'translationsSaved',
  'languageShown',
  'languageHidden',
  'uploadedNew',
  'uploadedDraft',
  'uploadedVersion',
  'nothingToPublish',
  'optionMoved',
] as const;

export function noticeFrom(req: Request): string {
  const raw = req.query.notice;
  return typeof raw === 'string' && (NOTICES as readonly string[]).includes(raw) ? raw : '';
}

/** The text in the page language, else the survey's default language. */
export function textIn(res: Response, fallback: string) {
  const lang = res.locals.lang as LanguageCode;
  return (text: LocalizedText | undefined): string => localize(text, lang, fallback as LanguageCode);
}

/** A definition problem in the page's language (its code is a key under `builder:definition`). */
export function definitionMessage(t: TFunction, p: Pick<DefinitionProblem, 'code' | 'params'>): string {
  return t(`builder:definition.${p.code}`, { ...p.params });
}

/** A field problem's message: builder form codes, or `definition.<code>` for a definition problem. */
function fieldMessage(t: TFunction, p: FieldProblem): string {
  if (p.code.startsWith('definition.')) return definitionMessage(t, { code: p.code.slice('definition.'.length) as DefinitionProblem['code'], ...(p.params ? { params: p.params } : {}) });
  return t(`builder:errors.${p.code}`, { ...p.params });
}

/** One localized message per form field (the first problem of each), and which field comes first. */
export function fieldErrors(t: TFunction, problems: FieldProblem[]): { errors: Record<string, string>; first: string; summary: { href: string; text: string }[] } {
  const errors: Record<string, string> = {};
  for (const p of problems) errors[p.field] ??= fieldMessage(t, p);
  return { errors, first: problems[0]?.field ?? '', summary: Object.entries(errors).map(([field, text]) => ({ href: `#${field}`, text })) };
}

export interface ProblemView {
  path: string;
  /** Where the problem is, in words. */
  where: string;
  /** What is wrong, in the page's language. */
  message: string;
  code: string;
  /** The question editor for a problem inside a question. */
  href: string;
  question: number;
}

function where(t: TFunction, path: string): string {
  const q = /^questions\[(\d+)\](?:\.options\[(\d+)\])?/.exec(path);
  if (q) return q[2] === undefined ? t('builder:problems.where.question', { number: Number(q[1]) + 1 }) : t('builder:problems.where.option', { number: Number(q[1]) + 1, option: Number(q[2]) + 1 });
  const page = /^pages\[(\d+)\]/.exec(path);
  if (page) return t('builder:problems.where.page', { number: Number(page[1]) + 1 });
  const head = /^[a-z]+/i.exec(path)?.[0] ?? '';
  return ['title', 'intro', 'languages', 'slug', 'questions', 'pages'].includes(head) ? t(`builder:problems.where.${head}`) : t('builder:problems.where.survey');
}

/** Definition problems, each placed in words and with a link to the question it is in. */
export function definitionProblemViews(t: TFunction, slug: string, ids: string[], problems: DefinitionProblem[]): ProblemView[] {
  return problems.map((p) => {
    const m = /^questions\[(\d+)\]/.exec(p.path);
    const index = m ? Number(m[1]) : -1;
    const id = index >= 0 ? ids[index] : undefined;
    return { path: p.path, where: where(t, p.path), message: definitionMessage(t, p), code: p.code, href: id ? surveyPath(slug, `/edit/questions/${encodeURIComponent(id)}`) : '', question: index + 1 };
  });
}

export function languageView(code: LanguageCode): { code: LanguageCode; name: string; dir: 'ltr' | 'rtl' } {
  return { code, name: languageName(code), dir: languageDir(code) };
}

export function formatDate(date: Date | undefined, lang: LanguageCode): string {
  return date ? new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(date) : '';
}

export function formatDateTime(date: Date | undefined, lang: LanguageCode): string {
  return date ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(date) : '';
}

/** `YYYY-MM-DD` in server time, for a date input. */
export function dateInputValue(date: Date | undefined): string {
  if (!date) return '';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function bodyOf(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

/** Strings the builder script needs, with `{number}` left for it to fill. */
export function clientStrings(t: TFunction): string {
  const number = '{number}';
  return JSON.stringify({
    moveUp: t('builder:editor.moveUp', { number }),
    moveDown: t('builder:editor.moveDown', { number }),
    moved: t('builder:editor.moved', { number }),
    moveFailed: t('builder:editor.moveFailed'),
    addOption: t('builder:question.addOption'),
    newOption: t('builder:question.newOptionLegend'),
    optionLegend: t('builder:question.optionLegend', { number }),
    moveOptionUp: t('builder:question.moveOptionUp', { number }),
    moveOptionDown: t('builder:question.moveOptionDown', { number }),
    optionMoved: t('builder:question.optionMovedUnsaved', { number }),
    previewFailed: t('builder:preview.failed'),
    inlineSaved: t('builder:inline.saved', { number }),
    inlineFailed: t('builder:inline.failed'),
  });
}
