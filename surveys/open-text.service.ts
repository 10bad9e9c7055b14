import type { LocalizedText } from './definition.schema.js';
import { OpenTextAnalyzer, type OpenTextAnalysis } from '../analytics/open-text.js';
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
 * Answers stream through the analysis and only the page shown is kept, so memory does not grow
 * with the number of answers (at 1M responses, ~410k open answers).
 */
export async function openTextInsights(survey: SurveySnapshot, filter: ResponseFilter, lang: LanguageCode, L: (t: LocalizedText | undefined) => string, page = 1): Promise<OpenTextInsights> {
  const textQuestions = survey.definition.questions.filter((q) => !q.demographic && (q.type === 'shortText' || q.type === 'longText'));
  const labels = new Map(survey.definition.questions.map((q) => [q.id, L(q.label)]));
  const analyzer = new OpenTextAnalyzer(getOpenTextResources());
  const first = (page - 1) * OPEN_TEXT_PAGE_SIZE;
  let total = 0;
  // Only the answers of a page that may be shown are kept, as found; they are dressed at the end.
  type Found = { qid: string; lang: string; submittedAt: Date; text: string };
  const wanted: Found[] = [];
  let lastPage: Found[] = [];
  const cursor = ResponseModel.find(filterQuery(survey.slug, filter), { answers: 1, other: 1, lang: 1, submittedAt: 1 }).sort({ submittedAt: -1 }).lean().cursor({ batchSize: 2000 });
  for await (const doc of cursor) {
    const add = (qid: string, text: unknown): void => {
      if (typeof text !== 'string' || !text.trim()) return;
      analyzer.add({ text, lang: doc.lang });
      const at = total++;
      if (at % OPEN_TEXT_PAGE_SIZE === 0) lastPage = [];
      const answer = { qid, lang: doc.lang, submittedAt: doc.submittedAt, text };
      lastPage.push(answer);
      if (at >= first && at < first + OPEN_TEXT_PAGE_SIZE) wanted.push(answer);
    };
    for (const q of textQuestions) add(q.id, (doc.answers as Record<string, unknown>)?.[q.id]);
    for (const [qid, text] of Object.entries((doc.other ?? {}) as Record<string, unknown>)) add(qid, text);
  }
  const analysis = analyzer.result();
  const catalog = getCatalog();
  const pages = Math.max(1, Math.ceil(total / OPEN_TEXT_PAGE_SIZE));
  const current = Math.min(page, pages);
  return {
    total,
    page: current,
    pages,
    answers: (current === page ? wanted : lastPage).map((a) => ({ question: labels.get(a.qid) ?? a.qid, lang: a.lang, languageName: languageName(a.lang as LanguageCode), day: a.submittedAt.toISOString().slice(0, 10), text: a.text })),
    languages: analysis.languages.map((l) => ({ ...l, languageName: languageName(l.lang as LanguageCode) })),
    topics: analysis.topics.map((t) => ({ ...t, name: topicName(catalog, t.topic, lang) })),
    newIdeas: analysis.newIdeas.map((i) => ({ ...i, languageName: languageName(i.lang as LanguageCode) })),
  };
}
