import { ValidationError } from '../server/errors.js';
import { insertSurvey, retitle, slugProblems } from './builder.service.js';
import { getCatalog } from './catalog.service.js';
import type { Draft } from './draft.js';
import { isLanguageCode, LANGUAGE_CODES, type LanguageCode } from './languages.js';
import { getSettings } from './settings.service.js';
import { loadTemplate, TEMPLATE_SLUGS } from './templates/templates.js';

export type TemplateName = (typeof TEMPLATE_SLUGS)[number];

/**
 * The built-in template as a new survey starts: in the library's default languages (settings).
 * It is written in its own source language when that is one of them, otherwise in the first of
 * them (the template is complete in every shipped language). Texts in the other languages stay,
 * so adding a language later brings its translation back.
 */
export function templateDraft(name: TemplateName, defaultLanguages: readonly LanguageCode[]): Draft {
  const def = loadTemplate(name, getCatalog().topicIds);
  const wanted = defaultLanguages.filter((l) => (def.languages as string[]).includes(l));
  const source = wanted.length === 0 || wanted.includes(def.defaultLanguage as LanguageCode) ? (def.defaultLanguage as LanguageCode) : wanted[0]!;
  return { ...def, defaultLanguage: source, languages: def.languages.filter((l) => l === source || wanted.includes(l as LanguageCode)) };
}

/** The template's title in the language a new survey from it is written in (to start the title field with). */
export function templateTitle(name: TemplateName, defaultLanguages: readonly LanguageCode[]): string {
  const draft = templateDraft(name, defaultLanguages);
  return draft.title[draft.defaultLanguage as LanguageCode] ?? '';
}

/** The language a survey from scratch is written in, unless chosen: the page's, if it is a default language. */
export function scratchSource(defaultLanguages: readonly LanguageCode[], pageLanguage: LanguageCode): LanguageCode {
  return defaultLanguages.includes(pageLanguage) || !defaultLanguages.length ? pageLanguage : defaultLanguages[0]!;
}

export interface CreateInput {
  source: unknown;
  title: unknown;
  slug: unknown;
  defaultLanguage?: unknown;
  languages?: unknown;
  template?: unknown;
}

/**
 * Creates a survey from the built-in template (in the library's default languages) or from
 * scratch (in the languages ticked on the form, which starts with the default languages). It
 * starts as a draft (version 0, closed): respondents see nothing until it is published and opened.
 */
export async function createSurvey(input: CreateInput): Promise<string> {
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  const slug = typeof input.slug === 'string' ? input.slug.trim() : '';
  const problems = await slugProblems(slug);
  if (!title) problems.push({ field: 'title', code: 'titleRequired' });
  else if (title.length > 200) problems.push({ field: 'title', code: 'textTooLong', params: { max: 200 } });
  let draft: Draft;
  if (input.source === 'template') {
    const name = TEMPLATE_SLUGS.find((t) => t === input.template) ?? TEMPLATE_SLUGS[0];
    draft = { ...templateDraft(name, (await getSettings()).defaultLanguages), slug };
  } else {
    const lang = isLanguageCode(input.defaultLanguage) ? input.defaultLanguage : undefined;
    if (!lang) problems.push({ field: 'defaultLanguage', code: 'languageRequired' });
    const asked = (Array.isArray(input.languages) ? input.languages : [input.languages]).filter(isLanguageCode);
    const languages = LANGUAGE_CODES.filter((l) => l === lang || asked.includes(l));
    draft = { slug, defaultLanguage: lang ?? 'en', languages, title: {}, questions: [] };
  }
  if (problems.length) throw new ValidationError(problems, 'invalidSurvey');
  // A new empty survey's other languages have no text yet: they stay hidden until staff show them.
  const hiddenLanguages = input.source === 'template' ? [] : draft.languages.filter((l) => l !== draft.defaultLanguage);
  await insertSurvey({ slug, status: 'closed', version: 0, draft: retitle(draft, title), draftRevision: 1, draftUpdatedAt: new Date(), hiddenLanguages }, 'slug');
  return slug;
}
