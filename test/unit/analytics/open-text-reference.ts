// The open-text analyzer as it was before it was split into per-answer features and a combine
// step (commit 2780552, analytics/open-text.ts), kept verbatim as the oracle the split must equal.
// Open-text analysis: frequent words and two-word phrases per language, topic matching through
// per-language keyword lists, and frequent phrases that match no topic ("new ideas").
// Pure: the data layer passes the stop-word and keyword lists in (analytics/data/*).

import {
  ARABIC_PROCLITICS,
  ARABIC_START,
  ARABIC_STOP_PROCLITICS,
  joiner,
  phraseGap,
  segment,
  stripArticle,
  tokenize,
  unspaced,
  type Token,
} from '../../../analytics/open-text-tokens.js';


/** One free-text answer; `lang` is a BCP 47 code as the app ships them (en, es, zh-Hans, vi, ar, ht). */
export interface OpenTextAnswer { text: string; lang: string }

export interface OpenTextResources {
  /** Per language: words and multi-word phrases that carry no meaning in these answers. */
  stopwords: Readonly<Record<string, readonly string[]>>;
  /** Per language, per topic id: words and phrases that mean the topic. */
  keywords: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

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
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Keyword { topic: string; seq: string[]; joined: string }
interface Compiled { stopWords: Set<string>; stopPhrases: string[][]; keywords: Keyword[] }

function compile(resources: OpenTextResources, lang: string): Compiled {
  const stopWords = new Set<string>();
  const stopPhrases: string[][] = [];
  for (const entry of resources.stopwords[lang] ?? []) {
    const seq = tokenize(entry, lang);
    if (seq.length === 1) stopWords.add(seq[0] as string);
    else if (seq.length > 1) stopPhrases.push(seq);
  }
  const keywords: Keyword[] = [];
  for (const [topic, list] of Object.entries(resources.keywords[lang] ?? {})) {
    for (const entry of list) {
      // Arabic text tokens may carry proclitics (matched below), so keywords drop theirs.
      const seq = tokenize(entry, lang).map((k) => (ARABIC_START.test(k) ? stripArticle(k, 2) : k));
      if (seq.length) keywords.push({ topic, seq, joined: seq.join(joiner(lang)) });
    }
  }
  return { stopWords, stopPhrases, keywords };
}

/** A token and, for Arabic, the token without each proclitic it may start with (وللأطفال → أطفال). */
function bases(key: string, proclitics = ARABIC_PROCLITICS): string[] {
  if (!ARABIC_START.test(key)) return [key];
  return [key, ...proclitics.filter((p) => key.startsWith(p) && key.length - p.length >= 2).map((p) => key.slice(p.length))];
}

function isStop(key: string, c: Compiled): boolean {
  return /^\p{N}+$/u.test(key) || bases(key, ARABIC_STOP_PROCLITICS).some((b) => c.stopWords.has(b));
}

/** `start`/`end` are token positions, or characters of the joined text for Chinese. */
interface Match { topic: string; start: number; end: number }

/** Keyword matches in one answer: longest first; a word counts for one topic ("online safety" beats "safety"). */
function findMatches(tokens: Token[], lang: string, c: Compiled): { topics: Set<string>; covered: boolean[] } {
  const found: Match[] = [];
  const starts: number[] = [];
  let units = tokens.length;
  if (unspaced(lang)) {
    let text = '';
    tokens.forEach((t, i) => {
      if (i > 0 && t.brk) text += ' ';
      starts.push(text.length);
      text += t.key;
    });
    units = text.length;
    for (const k of c.keywords) {
      for (let at = text.indexOf(k.joined); at >= 0; at = text.indexOf(k.joined, at + 1)) found.push({ topic: k.topic, start: at, end: at + k.joined.length });
    }
  } else {
    const tokenBases = tokens.map((t) => bases(t.key));
    for (const k of c.keywords) {
      for (let i = 0; i + k.seq.length <= tokens.length; i++) {
        if (k.seq.every((part, j) => tokenBases[i + j]?.includes(part))) found.push({ topic: k.topic, start: i, end: i + k.seq.length });
      }
    }
  }
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || compare(a.topic, b.topic));
  // Each unit belongs to at most one topic; matches of the same topic may overlap.
  const taken = new Array<string | undefined>(units).fill(undefined);
  const topics = new Set<string>();
  for (const m of found) {
    if (taken.slice(m.start, m.end).some((t) => t !== undefined && t !== m.topic)) continue;
    taken.fill(m.topic, m.start, m.end);
    topics.add(m.topic);
  }
  const isTaken = (t: string | undefined): boolean => t !== undefined;
  const covered = unspaced(lang)
    ? tokens.map((t, i) => taken.slice(starts[i], (starts[i] ?? 0) + t.key.length).some(isTaken))
    : taken.map(isTaken);
  return { topics, covered };
}

class Tally {
  readonly counts = new Map<string, number>();
  /** Phrase key → its two word keys, so a word inside a phrase can be recognised. */
  readonly parts = new Map<string, [string, string]>();
  addAnswer(keys: Iterable<string>): void {
    for (const k of new Set(keys)) this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }
}

/** Per language; `forms`: key → how often each written form occurred (the most common is shown). */
class LanguageAcc {
  answers = 0;
  readonly words = new Tally();
  readonly phrases = new Tally();
  readonly ideaWords = new Tally();
  readonly ideaPhrases = new Tally();
  readonly forms = new Map<string, Map<string, number>>();
}

function addForm(acc: LanguageAcc, key: string, form: string): void {
  const forms = acc.forms.get(key) ?? new Map<string, number>();
  forms.set(form, (forms.get(form) ?? 0) + 1);
  acc.forms.set(key, forms);
}

function display(acc: LanguageAcc, key: string): string {
  const forms = [...(acc.forms.get(key) ?? new Map<string, number>())];
  forms.sort((a, b) => b[1] - a[1] || compare(b[0], a[0]));
  return forms[0]?.[0] ?? key;
}

function listed(acc: LanguageAcc, tally: Tally, options: OpenTextOptions): (TermCount & { key: string })[] {
  return [...tally.counts]
    .filter(([, count]) => count >= options.minCount)
    .map(([key, count]) => ({ key, term: display(acc, key), count }))
    .sort(byCountThenTerm);
}

/** Counts one answer's words, phrases and new-idea candidates (words outside keyword matches). */
function addAnswer(acc: LanguageAcc, tokens: Token[], lang: string, c: Compiled, covered: boolean[]): void {
  const stop = tokens.map((t) => isStop(t.key, c));
  for (const seq of c.stopPhrases) {
    for (let i = 0; i + seq.length <= tokens.length; i++) {
      if (seq.every((part, j) => tokens[i + j]?.key === part)) stop.fill(true, i, i + seq.length);
    }
  }
  const words: string[] = [];
  const ideaWords: string[] = [];
  const phrases: string[] = [];
  const ideaPhrases: string[] = [];
  const maxGap = phraseGap(lang);
  let prev = -1; // the previous non-stop word in this clause
  tokens.forEach((t, i) => {
    if (t.brk) prev = -1;
    if (stop[i]) return;
    words.push(t.key);
    addForm(acc, t.key, t.form);
    if (!covered[i]) ideaWords.push(t.key);
    const first = tokens[prev];
    if (first && i - prev - 1 <= maxGap) {
      const key = first.key + joiner(lang) + t.key;
      phrases.push(key);
      addForm(acc, key, tokens.slice(prev, i + 1).map((w) => w.form).join(joiner(lang)));
      acc.ideaPhrases.parts.set(key, [first.key, t.key]);
      if (!covered[i] && !covered[prev]) ideaPhrases.push(key);
    }
    prev = i;
  });
  acc.words.addAnswer(words);
  acc.phrases.addAnswer(phrases);
  acc.ideaWords.addAnswer(ideaWords);
  acc.ideaPhrases.addAnswer(ideaPhrases);
}

/** Phrases first, then words that are not merely part of a listed phrase with the same count. */
function newIdeas(acc: LanguageAcc, lang: string, options: OpenTextOptions): (NewIdea & { phrase: boolean })[] {
  const phrases = listed(acc, acc.ideaPhrases, options);
  const inPhrase = (key: string, count: number): boolean =>
    phrases.some((p) => p.count === count && acc.ideaPhrases.parts.get(p.key)?.includes(key) === true);
  const words = listed(acc, acc.ideaWords, options).filter((w) => !inPhrase(w.key, w.count));
  return [...phrases.map((p) => ({ ...p, phrase: true })), ...words.map((w) => ({ ...w, phrase: false }))]
    .sort((a, b) => b.count - a.count || Number(b.phrase) - Number(a.phrase) || compare(a.term, b.term))
    .slice(0, options.top)
    .map(({ term, count, phrase }) => ({ lang, term, count, phrase }));
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
 * `analyzeOpenText` one answer at a time, for callers that stream answers from the database:
 * it keeps counts per term, never the answers, so memory follows the vocabulary, not the
 * number of answers.
 */
export class OpenTextAnalyzer {
  private readonly opts: OpenTextOptions;
  private readonly compiled = new Map<string, Compiled>();
  private readonly accs = new Map<string, LanguageAcc>();
  private readonly topics = new Map<string, TopicMentions>();

  constructor(
    private readonly resources: OpenTextResources,
    options: Partial<OpenTextOptions> = {},
  ) {
    this.opts = { ...DEFAULT_OPEN_TEXT_OPTIONS, ...options };
  }

  add({ text, lang }: OpenTextAnswer): void {
    const tokens = segment(text, lang);
    if (!tokens.length) return;
    let c = this.compiled.get(lang);
    if (!c) this.compiled.set(lang, (c = compile(this.resources, lang)));
    let acc = this.accs.get(lang);
    if (!acc) this.accs.set(lang, (acc = new LanguageAcc()));
    acc.answers += 1;
    const { topics: mentioned, covered } = findMatches(tokens, lang, c);
    for (const topic of mentioned) {
      const t = this.topics.get(topic) ?? { topic, count: 0, langs: {} };
      t.count += 1;
      t.langs[lang] = (t.langs[lang] ?? 0) + 1;
      this.topics.set(topic, t);
    }
    addAnswer(acc, tokens, lang, c, covered);
  }

  result(): OpenTextAnalysis {
    const opts = this.opts;
    const languages = [...this.accs].map(([lang, acc]) => ({
      lang,
      answers: acc.answers,
      words: listed(acc, acc.words, opts).slice(0, opts.top).map(({ term, count }) => ({ term, count })),
      phrases: listed(acc, acc.phrases, opts).slice(0, opts.top).map(({ term, count }) => ({ term, count })),
    }));
    languages.sort((a, b) => b.answers - a.answers || compare(a.lang, b.lang));
    const ideas = [...this.accs].flatMap(([lang, acc]) => newIdeas(acc, lang, opts));
    ideas.sort((a, b) => b.count - a.count || Number(b.phrase) - Number(a.phrase) || compare(a.lang, b.lang) || compare(a.term, b.term));
    return {
      languages,
      topics: [...this.topics.values()].sort((a, b) => b.count - a.count || compare(a.topic, b.topic)),
      newIdeas: ideas.map(({ lang, term, count }) => ({ lang, term, count })),
    };
  }
}
