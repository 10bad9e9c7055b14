import type { Request, Response } from 'express';
import type { TFunction } from 'i18next';
import type { Workspace } from '../surveys/builder.service.js';
import type { SurveyDefinition } from '../surveys/definition.schema.js';
import type { Draft } from '../surveys/draft.js';
import { formPages } from '../surveys/form-pages.js';
import { languageDir, languageName, type LanguageCode } from '../surveys/languages.js';
import { newSubmissionId } from '../surveys/response.service.js';
import type { SurveySnapshot } from '../surveys/survey.service.js';
import { missingStrings } from '../surveys/translation.js';
import type { PagesView } from './form-pages-view.js';
import { useLanguage } from './middleware/language.js';
import { formLocals, type FormMode } from './routes/survey-form.js';

/** The personal-device form, as respondents get it (the preview renders its view, `respond/form`). */
const PREVIEW_MODE: FormMode = { channel: 'web', view: 'respond/form', formAction: (slug) => `/s/${encodeURIComponent(slug)}`, thanksUrl: () => '' };

export interface PreviewLanguage {
  code: LanguageCode;
  name: string;
  dir: 'ltr' | 'rtl';
  /** Kept from respondents for now (staff preview it before showing it). */
  hidden: boolean;
  selected: boolean;
}

/** The language asked for when the draft has it, else the draft's own language. */
export function previewLanguage(def: Draft, raw: unknown): LanguageCode {
  return typeof raw === 'string' && def.languages.includes(raw) ? (raw as LanguageCode) : (def.defaultLanguage as LanguageCode);
}

/** Every language of the draft for the preview's picker, the source language first. */
export function previewLanguages(def: Draft, ws: Workspace, chosen: LanguageCode): PreviewLanguage[] {
  const codes = [def.defaultLanguage, ...def.languages.filter((l) => l !== def.defaultLanguage)] as LanguageCode[];
  return codes.map((code) => ({ code, name: languageName(code), dir: languageDir(code), hidden: ws.hiddenLanguages.includes(code), selected: code === chosen }));
}

/** A note when texts of the draft are not translated into the preview's language yet (they show in the source language). */
export function missingNote(t: TFunction, def: Draft, lang: LanguageCode): string {
  const count = lang === def.defaultLanguage ? 0 : missingStrings(def, lang).length;
  return count ? t('builder:preview.missing', { count, language: languageName(lang), source: languageName(def.defaultLanguage as LanguageCode) }) : '';
}

/** The page (0-based) a question is on. */
export function pageOfQuestion(def: Draft, id: string): number {
  return Math.max(0, formPages(def as SurveyDefinition).findIndex((p) => p.questions.some((q) => q.id === id)));
}

function renderToString(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => res.render(view, locals, (err: Error | null, html: string) => (err ? reject(err) : resolve(html))));
}

/**
 * One page of a draft as the respondents' page renders it: the same view and partials
 * (`respond/form`, `partials/survey-form`, `partials/question`), in `lang`, without its scripts.
 * Every question is shown, those waiting on an earlier answer too (with their note). The page's
 * language is the preview's only while it renders: the staff page around it keeps the person's own.
 */
export async function renderPreviewPage(req: Request, res: Response, ws: Workspace, def: Draft, lang: LanguageCode, page: number): Promise<string> {
  const staff = { lang: res.locals.lang, dir: res.locals.dir, t: res.locals.t };
  useLanguage(req, res, lang);
  try {
    const survey: SurveySnapshot = { slug: ws.slug, analysis: ws.analysis, status: 'open', version: ws.version, definition: def as SurveyDefinition };
    const locals = formLocals(req, res, PREVIEW_MODE, survey, lang, { page }, { submissionId: newSubmissionId(), formToken: '' });
    const paging = locals.paging as PagesView;
    const pages = paging.pages.map((p) => ({ ...p, questions: p.questions.map((q) => ({ ...q, hidden: false, hiddenByAnswer: false })) }));
    return await renderToString(res, 'respond/form', { ...locals, paging: { ...paging, pages }, preview: true });
  } finally {
    Object.assign(res.locals, staff);
  }
}
