// What the open-text analysis counts of one answer, computed once per answer (when it enters the
// analytical copy), so a view only sums these features over the matching answers (open-text.ts).
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
} from './open-text-tokens.js';

/** One free-text answer; `lang` is a BCP 47 code as the app ships them (en, es, zh-Hans, vi, ar, ht). */
export interface OpenTextAnswer { text: string; lang: string }

export interface OpenTextResources {
  /** Per language: words and multi-word phrases that carry no meaning in these answers. */
  stopwords: Readonly<Record<string, readonly string[]>>;
  /** Per language, per topic id: words and phrases that mean the topic. */
  keywords: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/**
 * One answer's contribution to the analysis. Term lists hold each key once (an answer counts a
 * term once however often it says it); `forms` and `parts` keep what the display needs.
 */
export interface AnswerFeatures {
  lang: string;
  /** False when the answer has no words: it then counts nowhere, not even for its language. */
  counted: boolean;
  words: string[];
  phrases: string[];
  /** Words and phrases outside every keyword match (new-idea candidates). */
  ideaWords: string[];
  ideaPhrases: string[];
  /** Topics the answer mentions. */
  topics: string[];
  /** [word or phrase key, written form, occurrences in this answer]: the most written form is shown. */
  forms: [string, string, number][];
  /**
   * [phrase key, first word key, second word key], from the phrase's last occurrence in the
   * answer; only where the key does not show them (Chinese, joined without a space: 大学生+活 and
   * 大学+生活 are one key). Elsewhere the key is the two word keys, which hold no space, around one.
   */
  parts: [string, string, string][];
}

export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Keyword { topic: string; seq: string[]; joined: string }
interface Compiled {
  stopWords: Set<string>;
  stopPhrases: string[][];
  keywords: Keyword[];
  /** Keywords by their first word, so a token is compared only with keywords that can start there. */
  byFirst: Map<string, Keyword[]>;
}

function compile(resources: OpenTextResources, lang: string): Compiled {
  const stopWords = new Set<string>();
  const stopPhrases: string[][] = [];
  for (const entry of resources.stopwords[lang] ?? []) {
    const seq = tokenize(entry, lang);
    if (seq.length === 1) stopWords.add(seq[0] as string);
    else if (seq.length > 1) stopPhrases.push(seq);
  }
  const keywords: Keyword[] = [];
  const byFirst = new Map<string, Keyword[]>();
  for (const [topic, list] of Object.entries(resources.keywords[lang] ?? {})) {
    for (const entry of list) {
      // Arabic text tokens may carry proclitics (matched below), so keywords drop theirs.
      const seq = tokenize(entry, lang).map((k) => (ARABIC_START.test(k) ? stripArticle(k, 2) : k));
      if (!seq.length) continue;
      const k = { topic, seq, joined: seq.join(joiner(lang)) };
      keywords.push(k);
      byFirst.set(seq[0]!, [...(byFirst.get(seq[0]!) ?? []), k]);
    }
  }
  return { stopWords, stopPhrases, keywords, byFirst };
}

// Resources are loaded once per process and never changed, so their compiled form is kept with them.
const compiledCache = new WeakMap<OpenTextResources, Map<string, Compiled>>();
function compiled(resources: OpenTextResources, lang: string): Compiled {
  let byLang = compiledCache.get(resources);
  if (!byLang) compiledCache.set(resources, (byLang = new Map()));
  let c = byLang.get(lang);
  if (!c) byLang.set(lang, (c = compile(resources, lang)));
  return c;
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
    // A token's bases are distinct, so each keyword is tried at most once per position.
    tokenBases.forEach((first, i) => {
      for (const b of first) {
        for (const k of c.byFirst.get(b) ?? []) {
          if (i + k.seq.length <= tokens.length && k.seq.every((part, j) => tokenBases[i + j]?.includes(part))) found.push({ topic: k.topic, start: i, end: i + k.seq.length });
        }
      }
    });
  }
  // A total order (equal matches are interchangeable), so the order they were found in does not matter.
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

/**
 * What the analysis counts of one answer (method: see `analyzeOpenText`): its non-stop words,
 * the pairs of them within a clause with at most `phraseGap` stop words between, those outside
 * every keyword match, the topics whose keywords it contains, and how each term was written.
 */
export function answerFeatures({ text, lang }: OpenTextAnswer, resources: OpenTextResources): AnswerFeatures {
  const tokens = segment(text, lang);
  const none: AnswerFeatures = { lang, counted: false, words: [], phrases: [], ideaWords: [], ideaPhrases: [], topics: [], forms: [], parts: [] };
  if (!tokens.length) return none;
  const c = compiled(resources, lang);
  const { topics, covered } = findMatches(tokens, lang, c);
  const stop = tokens.map((t) => isStop(t.key, c));
  for (const seq of c.stopPhrases) {
    for (let i = 0; i + seq.length <= tokens.length; i++) {
      if (seq.every((part, j) => tokens[i + j]?.key === part)) stop.fill(true, i, i + seq.length);
    }
  }
  const words = new Set<string>();
  const ideaWords = new Set<string>();
  const phrases = new Set<string>();
  const ideaPhrases = new Set<string>();
  const forms = new Map<string, Map<string, number>>();
  const parts = new Map<string, [string, string, string]>();
  const addForm = (key: string, form: string): void => {
    const seen = forms.get(key) ?? new Map<string, number>();
    seen.set(form, (seen.get(form) ?? 0) + 1);
    forms.set(key, seen);
  };
  const maxGap = phraseGap(lang);
  let prev = -1; // the previous non-stop word in this clause
  tokens.forEach((t, i) => {
    if (t.brk) prev = -1;
    if (stop[i]) return;
    words.add(t.key);
    addForm(t.key, t.form);
    if (!covered[i]) ideaWords.add(t.key);
    const first = tokens[prev];
    if (first && i - prev - 1 <= maxGap) {
      const key = first.key + joiner(lang) + t.key;
      phrases.add(key);
      addForm(key, tokens.slice(prev, i + 1).map((w) => w.form).join(joiner(lang)));
      // Without a space (Chinese) two splits can give one key; the last one seen is kept.
      if (!joiner(lang)) parts.set(key, [key, first.key, t.key]);
      if (!covered[i] && !covered[prev]) ideaPhrases.add(key);
    }
    prev = i;
  });
  return {
    ...none,
    counted: true,
    words: [...words],
    phrases: [...phrases],
    ideaWords: [...ideaWords],
    ideaPhrases: [...ideaPhrases],
    topics: [...topics],
    forms: [...forms].flatMap(([key, seen]) => [...seen].map(([form, n]): [string, string, number] => [key, form, n])),
    parts: [...parts.values()],
  };
}
