// Open-text tokens: how an answer, a keyword and a stop word become comparable words, per
// language (segmentation, case, accents, Arabic letter variants and articles, Vietnamese spelling).
// Pure, like the analysis that uses them (open-text.ts).

/**
 * `key`: normalised, counted and compared; `form`: as written (lower case, no punctuation or
 * Arabic diacritics), shown to staff; `brk`: punctuation or a new line comes first (phrases stop).
 */
export interface Token { key: string; form: string; brk: boolean }

// Arabic harakat, Quranic marks and superscript alef, plus tatweel (U+0640).
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
export const ARABIC_START = /^[\u0600-\u06FF]/;
/** Proclitics a keyword may carry in running Arabic text (conjunction, preposition, article). */
export const ARABIC_PROCLITICS = ['ال', 'وال', 'فال', 'بال', 'كال', 'لل', 'ولل', 'و', 'ف', 'ب', 'ل', 'ك', 'وب', 'ول', 'فب', 'فل'];
/** The unambiguous ones, safe to look through when deciding whether a word is a stop word. */
export const ARABIC_STOP_PROCLITICS = ['و', 'ف', 'وال', 'فال', 'بال', 'كال', 'لل', 'ولل'];
/** Separators other than spaces, hyphens and apostrophes end a clause. */
const CLAUSE_BREAK = /[^\s\-\u2010\u2011']|[\n\r]/u;

export const unspaced = (lang: string): boolean => /^(zh|ja)(-|$)/i.test(lang);
/** Latin-script languages whose accents people often leave out when typing on a phone. */
const foldsAccents = (lang: string): boolean => /^(en|es|ht|fr)(-|$)/i.test(lang);
export const joiner = (lang: string): string => (unspaced(lang) ? '' : ' ');
/**
 * Stop words a phrase may span, shown as written ("clases de cocina", "books for kids": most
 * languages join nouns with a small word). None for Chinese and Vietnamese, whose segments are
 * often parts of one word, so only truly adjacent ones make a phrase.
 */
export const phraseGap = (lang: string): number => (unspaced(lang) || /^vi(-|$)/i.test(lang) ? 0 : 1);

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
export function stripArticle(key: string, min: number): string {
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

export function segment(text: string, lang: string): Token[] {
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
