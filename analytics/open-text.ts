// Open-text analysis: frequent words and two-word phrases per language, topic matching through
// per-language keyword lists, and frequent phrases that match no topic ("new ideas").
// Two steps: each answer's features (open-text-features.ts, computed once per answer), then
// counts of those features over the answers a view wants, combined here into the lists shown.
// Pure: the data layer passes the stop-word and keyword lists in (analytics/data/*).

import { answerFeatures, compare, type AnswerFeatures, type OpenTextAnswer, type OpenTextResources } from './open-text-features.js';

export { answerFeatures, type AnswerFeatures, type OpenTextAnswer, type OpenTextResources } from './open-text-features.js';
export { normalizeTerm, tokenize } from './open-text-tokens.js';

/** `top`: longest list per language; `minCount`: fewest answers a listed term appears in. */
export interface OpenTextOptions { top: number; minCount: number }
/** `count`: answers that contain the term (an answer counts once however often it says it). */
export interface TermCount { term: string; count: number }
export interface LanguageTerms { lang: string; answers: number; words: TermCount[]; phrases: TermCount[] }
/** `count`: answers that mention the topic; `langs`: the same per language. */
export interface TopicMentions { topic: string; count: number; langs: Record<string, number> }
export interface NewIdea extends TermCount { lang: string }
export interface OpenTextAnalysis { languages: LanguageTerms[]; topics: TopicMentions[]; newIdeas: NewIdea[] }

export const DEFAULT_OPEN_TEXT_OPTIONS: Readonly<OpenTextOptions> = Object.freeze({ top: 15, minCount: 2 });

const byCountThenTerm = (a: TermCount, b: TermCount): number => b.count - a.count || compare(a.term, b.term);

/** The four term lists counted per language. */
export const TERM_KINDS = ['words', 'phrases', 'ideaWords', 'ideaPhrases'] as const;
export type TermKind = (typeof TERM_KINDS)[number];

/** What one language's answers add up to: the sums of their features. */
export interface LanguageCounts {
  /** Answers with at least one word (`AnswerFeatures.counted`). */
  answers: number;
  /** Per kind, key → answers containing it. */
  terms: Record<TermKind, Map<string, number>>;
  /** Key → written form → occurrences (every occurrence, in every answer). */
  forms: Map<string, Map<string, number>>;
  /**
   * Phrase key → its two word keys, from the phrase's last occurrence in answer order, where the
   * key does not show them (`AnswerFeatures.parts`); other keys split at their one space.
   */
  parts: Map<string, readonly [string, string]>;
}

/** Sums of answer features: per language, and per topic the answers mentioning it per language. */
export interface OpenTextCounts {
  languages: Map<string, LanguageCounts>;
  topics: Map<string, Map<string, number>>;
}

export function emptyLanguageCounts(): LanguageCounts {
  return { answers: 0, terms: { words: new Map(), phrases: new Map(), ideaWords: new Map(), ideaPhrases: new Map() }, forms: new Map(), parts: new Map() };
}

/** Adds one answer's features to the counts (answers in the order the analysis reads them). */
export function addFeatures(counts: OpenTextCounts, f: AnswerFeatures): void {
  if (!f.counted) return;
  let acc = counts.languages.get(f.lang);
  if (!acc) counts.languages.set(f.lang, (acc = emptyLanguageCounts()));
  acc.answers += 1;
  for (const kind of TERM_KINDS) for (const key of f[kind]) acc.terms[kind].set(key, (acc.terms[kind].get(key) ?? 0) + 1);
  for (const [key, form, n] of f.forms) {
    const seen = acc.forms.get(key) ?? new Map<string, number>();
    seen.set(form, (seen.get(form) ?? 0) + n);
    acc.forms.set(key, seen);
  }
  for (const [key, a, b] of f.parts) acc.parts.set(key, [a, b]);
  for (const topic of f.topics) {
    const langs = counts.topics.get(topic) ?? new Map<string, number>();
    langs.set(f.lang, (langs.get(f.lang) ?? 0) + 1);
    counts.topics.set(topic, langs);
  }
}

function display(acc: LanguageCounts, key: string): string {
  const forms = [...(acc.forms.get(key) ?? new Map<string, number>())];
  forms.sort((a, b) => b[1] - a[1] || compare(b[0], a[0]));
  return forms[0]?.[0] ?? key;
}

// Only terms in at least minCount answers are ever shown or consulted (display, inPhrase), so
// counts may leave out the rest: see combineOpenText.
function listed(acc: LanguageCounts, kind: TermKind, options: OpenTextOptions): (TermCount & { key: string })[] {
  return [...acc.terms[kind]]
    .filter(([, count]) => count >= options.minCount)
    .map(([key, count]) => ({ key, term: display(acc, key), count }))
    .sort(byCountThenTerm);
}

/** Phrases first, then words that are not merely part of a listed phrase with the same count. */
function newIdeas(acc: LanguageCounts, lang: string, options: OpenTextOptions): (NewIdea & { phrase: boolean })[] {
  const phrases = listed(acc, 'ideaPhrases', options);
  const partsOf = (key: string): readonly string[] => acc.parts.get(key) ?? key.split(' ');
  const inPhrase = (key: string, count: number): boolean => phrases.some((p) => p.count === count && partsOf(p.key).includes(key));
  const words = listed(acc, 'ideaWords', options).filter((w) => !inPhrase(w.key, w.count));
  return [...phrases.map((p) => ({ ...p, phrase: true })), ...words.map((w) => ({ ...w, phrase: false }))]
    .sort((a, b) => b.count - a.count || Number(b.phrase) - Number(a.phrase) || compare(a.term, b.term))
    .slice(0, options.top)
    .map(({ term, count, phrase }) => ({ lang, term, count, phrase }));
}

/**
 * The analysis from summed answer features (see `analyzeOpenText` for the method and order).
 * Terms in fewer than `minCount` answers may be left out of `counts` (with their forms and
 * parts) without changing the result: only listed terms are displayed, and a word is hidden only
 * behind a listed phrase. Every language with answers and every topic mention must be present.
 */
export function combineOpenText(counts: OpenTextCounts, options: Partial<OpenTextOptions> = {}): OpenTextAnalysis {
  const opts = { ...DEFAULT_OPEN_TEXT_OPTIONS, ...options };
  const languages = [...counts.languages].map(([lang, acc]) => ({
    lang,
    answers: acc.answers,
    words: listed(acc, 'words', opts).slice(0, opts.top).map(({ term, count }) => ({ term, count })),
    phrases: listed(acc, 'phrases', opts).slice(0, opts.top).map(({ term, count }) => ({ term, count })),
  }));
  languages.sort((a, b) => b.answers - a.answers || compare(a.lang, b.lang));
  const ideas = [...counts.languages].flatMap(([lang, acc]) => newIdeas(acc, lang, opts));
  ideas.sort((a, b) => b.count - a.count || Number(b.phrase) - Number(a.phrase) || compare(a.lang, b.lang) || compare(a.term, b.term));
  const topics = [...counts.topics].map(([topic, langs]) => {
    const byLang = Object.fromEntries(langs);
    return { topic, count: [...langs.values()].reduce((a, b) => a + b, 0), langs: byLang };
  });
  return {
    languages,
    topics: topics.sort((a, b) => b.count - a.count || compare(a.topic, b.topic)),
    newIdeas: ideas.map(({ lang, term, count }) => ({ lang, term, count })),
  };
}

/**
 * Frequent words and two-word phrases per language, topic mentions and new ideas in free-text
 * answers. Method: bag-of-words document frequency (each answer counts a term once) after
 * per-language stop-word removal; phrases are pairs of non-stop words next to each other within
 * a clause, or with one stop word between (see `phraseGap`; Chinese: adjacent segments joined
 * without a space). A topic is mentioned when one of its keywords
 * occurs as whole tokens (Chinese: as a substring of the normalised text, since segmentation
 * may merge a keyword with its neighbour, e.g. 英语课); overlapping keywords resolve longest
 * first. New ideas are listed words and phrases outside every keyword match.
 * Lists hold terms in at least `minCount` answers, at most `top` per language, ordered by
 * count (descending) then term; topics by count then id; languages by answers then code.
 */
export function analyzeOpenText(
  answers: Iterable<OpenTextAnswer>,
  resources: OpenTextResources,
  options: Partial<OpenTextOptions> = {},
): OpenTextAnalysis {
  const analyzer = new OpenTextAnalyzer(resources, options);
  for (const answer of answers) analyzer.add(answer);
  return analyzer.result();
}

/**
 * `analyzeOpenText` one answer at a time, for callers that stream answers: it keeps counts per
 * term, never the answers, so memory follows the vocabulary, not the number of answers.
 */
export class OpenTextAnalyzer {
  private readonly opts: Partial<OpenTextOptions>;
  private readonly counts: OpenTextCounts = { languages: new Map(), topics: new Map() };

  constructor(
    private readonly resources: OpenTextResources,
    options: Partial<OpenTextOptions> = {},
  ) {
    this.opts = options;
  }

  add(answer: OpenTextAnswer): void {
    addFeatures(this.counts, answerFeatures(answer, this.resources));
  }

  result(): OpenTextAnalysis {
    return combineOpenText(this.counts, this.opts);
  }
}
