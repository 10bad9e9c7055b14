import type { LocalizedText } from './definition.schema.js';
import { analyzeOpenText } from '../analytics/open-text.js';
import { getCatalog, topicName } from './catalog.service.js';
import { filterQuery, type ResponseFilter } from './filters.js';
import { languageName, type LanguageCode } from './languages.js';
import { getOpenTextResources } from './open-text-data.service.js';
import { ResponseModel } from './response.model.js';
import type { SurveySnapshot } from './survey.service.js';

export const OPEN_TEXT_PAGE_SIZE = 50;

export interface OpenTextAnswer {
  question: string;
  lang: string;
  languageName: string;
  day: string;
  text: string;
}

type Analysis = ReturnType<typeof analyzeOpenText>;

export interface OpenTextInsights {
  total: number;
  page: number;
  pages: number;
  answers: OpenTextAnswer[];
  languages: (Analysis['languages'][number] & { languageName: string })[];
  topics: (Analysis['topics'][number] & { name: string })[];
  newIdeas: (Analysis['newIdeas'][number] & { languageName: string })[];
}

/**
 * Open answers (free text and "other, please specify") for a filter: frequent words and
 * phrases per language, matches to catalog topics, new ideas, and the answers themselves
 * (newest first, a page at a time) for staff to read.
 */
export async function openTextInsights(survey: SurveySnapshot, filter: ResponseFilter, lang: LanguageCode, L: (t: LocalizedText | undefined) => string, page = 1): Promise<OpenTextInsights> {
  const textQuestions = survey.definition.questions.filter((q) => !q.demographic && (q.type === 'shortText' || q.type === 'longText'));
  const labels = new Map(survey.definition.questions.map((q) => [q.id, L(q.label)]));
  const all: OpenTextAnswer[] = [];
  const cursor = ResponseModel.find(filterQuery(survey.slug, filter), { answers: 1, other: 1, lang: 1, submittedAt: 1 }).sort({ submittedAt: -1 }).lean().cursor({ batchSize: 2000 });
  for await (const doc of cursor) {
    const push = (qid: string, text: unknown): void => {
      if (typeof text === 'string' && text.trim()) all.push({ question: labels.get(qid) ?? qid, lang: doc.lang, languageName: languageName(doc.lang as LanguageCode), day: doc.submittedAt.toISOString().slice(0, 10), text });
    };
    for (const q of textQuestions) push(q.id, (doc.answers as Record<string, unknown>)?.[q.id]);
    for (const [qid, text] of Object.entries((doc.other ?? {}) as Record<string, unknown>)) push(qid, text);
  }
  const analysis = analyzeOpenText(all.map((a) => ({ text: a.text, lang: a.lang })), getOpenTextResources());
  const catalog = getCatalog();
  const pages = Math.max(1, Math.ceil(all.length / OPEN_TEXT_PAGE_SIZE));
  const current = Math.min(page, pages);
  return {
    total: all.length,
    page: current,
    pages,
    answers: all.slice((current - 1) * OPEN_TEXT_PAGE_SIZE, current * OPEN_TEXT_PAGE_SIZE),
    languages: analysis.languages.map((l) => ({ ...l, languageName: languageName(l.lang as LanguageCode) })),
    topics: analysis.topics.map((t) => ({ ...t, name: topicName(catalog, t.topic, lang) })),
    newIdeas: analysis.newIdeas.map((i) => ({ ...i, languageName: languageName(i.lang as LanguageCode) })),
  };
}
