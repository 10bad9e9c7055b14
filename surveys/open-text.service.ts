import type { LocalizedText } from './definition.schema.js';
import { combineOpenText, DEFAULT_OPEN_TEXT_OPTIONS, type OpenTextAnalysis } from '../analytics/open-text.js';
import { getCatalog, topicName } from './catalog.service.js';
import type { ResponseFilter } from './filters.js';
import { copyOpenTextCounts, copyTexts } from './insights/analytics-copy.js';
import { languageName, type LanguageCode } from './languages.js';
import type { SurveySnapshot } from './survey.service.js';

export const OPEN_TEXT_PAGE_SIZE = 50;

export interface OpenTextAnswer {
  question: string;
  lang: string;
  languageName: string;
  day: string;
  text: string;
}


export interface OpenTextInsights {
  total: number;
  page: number;
  pages: number;
  answers: OpenTextAnswer[];
  languages: (OpenTextAnalysis['languages'][number] & { languageName: string })[];
  topics: (OpenTextAnalysis['topics'][number] & { name: string })[];
  newIdeas: (OpenTextAnalysis['newIdeas'][number] & { languageName: string })[];
}

/**
 * Open answers (free text and "other, please specify") for a filter: frequent words and
 * phrases per language, matches to catalog topics, new ideas, and the answers themselves
 * (newest first, a page at a time; past the end, the last page) for staff to read.
 * Answers come from the analytical copy: the page shown is read by itself, and the analysis sums
 * the features each answer was given when it entered the copy (at 1M responses, ~410k answers:
 * analysing them all on every view took minutes).
 */
export async function openTextInsights(survey: SurveySnapshot, filter: ResponseFilter, lang: LanguageCode, L: (t: LocalizedText | undefined) => string, page = 1): Promise<OpenTextInsights> {
  const labels = new Map(survey.definition.questions.map((q) => [q.id, L(q.label)]));
  const first = (Math.max(1, page) - 1) * OPEN_TEXT_PAGE_SIZE;
  // From the analytical copy: the page shown (newest first), and the sums of the matching answers' features.
  const found = await copyTexts(survey.slug, filter, first, OPEN_TEXT_PAGE_SIZE);
  const total = found.total;
  const wanted = found.page;
  const lastPage = found.lastPage;
  const analysis = combineOpenText(await copyOpenTextCounts(survey.slug, filter, DEFAULT_OPEN_TEXT_OPTIONS.minCount), DEFAULT_OPEN_TEXT_OPTIONS);
  const catalog = getCatalog();
  const pages = Math.max(1, Math.ceil(total / OPEN_TEXT_PAGE_SIZE));
  const current = Math.min(page, pages);
  return {
    total,
    page: current,
    pages,
    answers: (current === page ? wanted : lastPage).map((a) => ({ question: labels.get(a.question) ?? a.question, lang: a.lang, languageName: languageName(a.lang as LanguageCode), day: a.at.toISOString().slice(0, 10), text: a.text })),
    languages: analysis.languages.map((l) => ({ ...l, languageName: languageName(l.lang as LanguageCode) })),
    topics: analysis.topics.map((t) => ({ ...t, name: topicName(catalog, t.topic, lang) })),
    newIdeas: analysis.newIdeas.map((i) => ({ ...i, languageName: languageName(i.lang as LanguageCode) })),
  };
}
