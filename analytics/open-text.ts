// Open-text analysis: frequent words and two-word phrases per language, topic matching through
// per-language keyword lists, and frequent phrases that match no topic ("new ideas").
// Pure: the data layer passes the stop-word and keyword lists in (analytics/data/*).

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

/**
 * `key`: normalised, counted and compared; `form`: as written (lower case, no punctuation or
 * Arabic diacritics), shown to staff; `brk`: punctuation or a new line comes first (phrases stop).
 */
interface Token { key: string; form: string; brk: boolean }

// Arabic harakat, Quranic marks and superscript alef, plus tatweel (U+0640).
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
const ARABIC_START = /^[\u0600-\u06FF]/;
/** Proclitics a keyword may carry in running Arabic text (conjunction, preposition, article). */
const ARABIC_PROCLITICS = ['ال', 'وال', 'فال', 'بال', 'كال', 'لل', 'ولل', 'و', 'ف', 'ب', 'ل', 'ك', 'وب', 'ول', 'فب', 'فل'];
/** The unambiguous ones, safe to look through when deciding whether a word is a stop word. */
const ARABIC_STOP_PROCLITICS = ['و', 'ف', 'وال', 'فال', 'بال', 'كال', 'لل', 'ولل'];
/** Separators other than spaces, hyphens and apostrophes end a clause. */
const CLAUSE_BREAK = /[^\s\-\u2010\u2011']|[\n\r]/u;

const unspaced = (lang: string): boolean => /^(zh|ja)(-|$)/i.test(lang);
/** Latin-script languages whose accents people often leave out when typing on a phone. */
const foldsAccents = (lang: string): boolean => /^(en|es|ht|fr)(-|$)/i.test(lang);
const joiner = (lang: string): string => (unspaced(lang) ? '' : ' ');
/**
 * Stop words a phrase may span, shown as written ("clases de cocina", "books for kids": most
 * languages join nouns with a small word). None for Chinese and Vietnamese, whose segments are
 * often parts of one word, so only truly adjacent ones make a phrase.
 */
const phraseGap = (lang: string): number => (unspaced(lang) || /^vi(-|$)/i.test(lang) ? 0 : 1);
const byCountThenTerm = (a: TermCount, b: TermCount): number => b.count - a.count || compare(a.term, b.term);
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function safeLocale(lang: string): string {
  try {
    return Intl.getCanonicalLocales(lang)[0] ?? 'und';
  } catch {
    return 'und';
  }
}

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) segmenters.set(locale, (s = new Intl.Segmenter(locale, { granularity: 'word' })));
  return s;
}

/** Drops a leading Arabic article while at least `min` letters remain (repeated: "الال..." typos). */
function stripArticle(key: string, min: number): string {
  while (key.startsWith('ال') && key.length - 2 >= min) key = key.slice(2);
  return key;
}

const VI_TONE = '[\u0300\u0301\u0303\u0309\u0323]';
const VI_OLD_TONE = new RegExp(`(o)(${VI_TONE})([ae])$|(u)(${VI_TONE})(y)$`);
const VI_FINAL_Y = new RegExp(`^(b|ch|d|đ|g|gh|h|k|kh|l|m|n|nh|ng|ngh|p|ph|r|s|t|th|tr|v|x)y(${VI_TONE}?)$`);

/** Both accepted Vietnamese spellings of a syllable become one: hòa/hoà → hoà, kỹ/kĩ → kĩ. */
function vietnameseSpelling(syllable: string): string {
  return syllable.normalize('NFD').replace(VI_OLD_TONE, '$1$4$3$6$2$5').replace(VI_FINAL_Y, '$1i$2').normalize('NFC');
}

/**
 * The comparable form of one word: Arabic alef, taa marbuta and yaa variants unified and the
 * article dropped; acute, grave and diaeresis dropped where accents are optional in practice
 * (ñ and ç stay); Vietnamese spelling variants unified.
 */
function toKey(form: string, lang: string): string {
  let key = form.replace(/[أإآٱ]/g, 'ا').replace(/ة/g, 'ه').replace(/[ىی]/g, 'ي').replace(/ک/g, 'ك');
  if (foldsAccents(lang)) key = key.normalize('NFD').replace(/[\u0300\u0301\u0308]/g, '').normalize('NFC');
  if (/^vi(-|$)/i.test(lang)) key = vietnameseSpelling(key);
  return ARABIC_START.test(key) ? stripArticle(key, 3) : key;
}

function segment(text: string, lang: string): Token[] {
  const locale = safeLocale(lang);
  const prepared = text.normalize('NFKC').replace(/[\u2018\u2019\u02BC`]/g, "'").toLocaleLowerCase(locale).replace(ARABIC_MARKS, '');
  const tokens: Token[] = [];
  let brk = false;
  for (const s of segmenter(locale).segment(prepared)) {
    if (!s.isWordLike) {
      brk ||= CLAUSE_BREAK.test(s.segment);
      continue;
    }
    const form = s.segment.replace(/[^\p{L}\p{M}\p{N}']/gu, '').replace(/^'+|'+$/g, '');
    if (!form) continue;
    tokens.push({ key: toKey(form, lang), form, brk });
    brk = false;
  }
  return tokens;
}

/**
 * Splits an answer into normalised words: NFKC, locale-aware lower case, punctuation dropped,
 * words found by `Intl.Segmenter` (ICU dictionaries segment Chinese, which has no spaces;
 * Vietnamese comes out as syllables), then each word normalised as described at `toKey`.
 */
export function tokenize(text: string, lang: string): string[] {
  return segment(text, lang).map((t) => t.key);
}

/**
 * The normaliser shared by answers, keywords and stop words: the tokens of `term` joined by a
 * space (without one for Chinese, whose keywords match as substrings).
 */
export function normalizeTerm(term: string, lang: string): string {
  return tokenize(term, lang).join(joiner(lang));
}

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
  answers: readonly OpenTextAnswer[],
  resources: OpenTextResources,
  options: Partial<OpenTextOptions> = {},
): OpenTextAnalysis {
  const opts: OpenTextOptions = { ...DEFAULT_OPEN_TEXT_OPTIONS, ...options };
  const compiled = new Map<string, Compiled>();
  const accs = new Map<string, LanguageAcc>();
  const topics = new Map<string, TopicMentions>();
  for (const { text, lang } of answers) {
    const tokens = segment(text, lang);
    if (!tokens.length) continue;
    let c = compiled.get(lang);
    if (!c) compiled.set(lang, (c = compile(resources, lang)));
    let acc = accs.get(lang);
    if (!acc) accs.set(lang, (acc = new LanguageAcc()));
    acc.answers += 1;
    const { topics: mentioned, covered } = findMatches(tokens, lang, c);
    for (const topic of mentioned) {
      const t = topics.get(topic) ?? { topic, count: 0, langs: {} };
      t.count += 1;
      t.langs[lang] = (t.langs[lang] ?? 0) + 1;
      topics.set(topic, t);
    }
    addAnswer(acc, tokens, lang, c, covered);
  }
  const languages = [...accs].map(([lang, acc]) => ({
    lang,
    answers: acc.answers,
    words: listed(acc, acc.words, opts).slice(0, opts.top).map(({ term, count }) => ({ term, count })),
    phrases: listed(acc, acc.phrases, opts).slice(0, opts.top).map(({ term, count }) => ({ term, count })),
  }));
  languages.sort((a, b) => b.answers - a.answers || compare(a.lang, b.lang));
  const ideas = [...accs].flatMap(([lang, acc]) => newIdeas(acc, lang, opts));
  ideas.sort((a, b) => b.count - a.count || Number(b.phrase) - Number(a.phrase) || compare(a.lang, b.lang) || compare(a.term, b.term));
  return {
    languages,
    topics: [...topics.values()].sort((a, b) => b.count - a.count || compare(a.topic, b.topic)),
    newIdeas: ideas.map(({ lang, term, count }) => ({ lang, term, count })),
  };
}
