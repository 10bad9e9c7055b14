import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { NAMESPACES, readLocale } from '../../../server/i18n.js';
import { fromRoot } from '../../../server/paths.js';
import { LANGUAGE_CODES, type LanguageCode } from '../../../surveys/languages.js';
import { extractStrings } from '../../../surveys/translation.js';
import { templateDefinition } from '../../fixtures/builders.js';
import { flattenLocale, PLURAL } from '../../helpers/locales.js';

// What the style guides in docs/style/ ask of respondent texts, where a machine can check it.
// Respondent texts: the form, kiosk, thank-you and error pages a respondent can meet, the printed
// paper form and poster, and the built-in template. A new key under one of these prefixes is
// checked without changing this file.
const RESPONDENT: Partial<Record<(typeof NAMESPACES)[number], RegExp>> = {
  common: /^(app|language|home|form|ranking|contact|validation|thanks|kiosk)\.|^errors\.(backHome|tryAgain|code|notFound|surveyNotFound|surveyClosed|badRequest|malformedBody|payloadTooLarge|unsupportedMediaType|conflict|submissionMissing|validation|unavailable|server|csrf|crossSite|tooManyRequests)(\.|$)/,
  data: /^print\.(how|other|thanks)$|^paper\.(tick\w*|write\w*|onlyIf|quoted|or)$/,
  distribution: /^poster\.(invite|note)$/,
  settings: /^public\./,
};
type Lang = LanguageCode;

/** Every respondent text of a language, keyed `namespace:key` (template texts as `template:key`). */
function respondentTexts(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [ns, pattern] of Object.entries(RESPONDENT)) {
    for (const [key, value] of Object.entries(flattenLocale(readLocale(lang, ns as (typeof NAMESPACES)[number])))) if (pattern.test(key)) out[`${ns}:${key}`] = value;
  }
  for (const [key, value] of Object.entries(extractStrings(templateDefinition(), lang))) out[`template:${key}`] = value;
  return out;
}

interface Names {
  everywhere: Record<string, string>;
  perLanguage: Partial<Record<Lang, Record<string, string>>>;
  sameWord: Partial<Record<Lang, Record<string, string>>>;
}
const NAMES = JSON.parse(readFileSync(fromRoot('docs', 'style', 'names.json'), 'utf8')) as Names;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text without placeholders, e-mail examples, allowed names (docs/style/names.json) and digits. */
function withoutNames(text: string, lang: Lang): string {
  const names = [NAMES.everywhere, NAMES.perLanguage[lang], NAMES.sameWord[lang]].flatMap((list) => Object.keys(list ?? {})).sort((a, b) => b.length - a.length);
  let out = text.replace(/\{\{\s*\w+\s*\}\}/g, ' ').replace(/\S+@\S+\.\w+/g, ' ');
  for (const name of names) out = out.replace(new RegExp(`(?<![\\p{Script=Latin}\\d-])${escape(name)}(?![\\p{Script=Latin}\\d-])`, 'giu'), ' ');
  return out;
}

// Words that are English and not also words of Spanish, Vietnamese or Haitian Creole.
const ENGLISH = new Set('the and you your of please with this that what which library survey school middle high answer answers other will are here from have our their about choose tap finish thank thanks not kit kits'.split(' '));

/** English left in a text of `lang`, word by word; [] when there is none. */
function englishIn(text: string, lang: Lang, english: string | undefined): string[] {
  const rest = withoutNames(text, lang);
  const latin = rest.match(/\p{Script=Latin}[\p{Script=Latin}\p{M}'’-]*/gu) ?? [];
  if (english !== undefined && latin.length && withoutNames(english, lang).trim() === rest.trim()) return [`the English text itself: "${text}"`];
  if (lang === 'zh-Hans' || lang === 'ar') return latin;
  return latin.filter((w) => ENGLISH.has(w.toLowerCase()));
}

const words = (text: string): string[] => text.split(/[\s\p{P}\p{S}\d]+/u).filter(Boolean);

// Arabic: respondents are addressed in the plural (أنتم), buttons use the verbal noun. These are
// the masculine-singular imperatives and second-person-singular forms the review found or that a
// translator reaches for first.
const ARABIC_SINGULAR = new Set([
  'اضغط', 'اترك', 'اختر', 'أجب', 'اكتب', 'ضع', 'افتح', 'امسح', 'ارجع', 'انقر', 'ساهم', 'اعرف', 'زر', 'زُر', 'استخدم', 'اطبع', 'تأكد', 'أدخل', 'املأ', 'انتظر', 'راجع', 'شارك',
  'إجاباتك', 'إجابتك', 'حسابك', 'أمانك', 'مكتبتك', 'هاتفك', 'اختيارك', 'اختياراتك', 'اختياريك', 'لديك', 'يمكنك', 'لك', 'اسمك', 'لغتك', 'خصوصيتك', 'جهازك', 'عائلتك', 'ترغب', 'تريد', 'كنت', 'أنت',
]);
function arabicSingular(text: string): string[] {
  // A one-letter prefix (and, so, with, for) only in front of a word of three letters or more:
  // وضع ("placing") and بضع ("a few") are words of their own, not و/ب + ضع.
  return words(text).filter((w) => ARABIC_SINGULAR.has(w) || (/^[وفبل]/.test(w) && w.length > 3 && ARABIC_SINGULAR.has(w.slice(1))));
}

const english = respondentTexts('en');
const offending = (lang: Lang, find: (text: string, key: string) => string[]): string[] =>
  Object.entries(respondentTexts(lang)).flatMap(([key, text]) => find(text, key).map((hit) => `${key}: ${hit}`));

describe('respondent texts follow the style guides (docs/style/)', () => {
  for (const lang of LANGUAGE_CODES.filter((l) => l !== 'en')) {
    it(`${lang}: no English left in a respondent text, unless it is a name in docs/style/names.json`, () => {
      expect(offending(lang, (text, key) => englishIn(text, lang, english[key] ?? english[key.replace(PLURAL, '_other')]))).to.deep.equal([]);
    });
  }

  it('every respondent text is there in all six languages (plural forms as each language needs)', () => {
    const base = (keys: string[]): string[] => [...new Set(keys.map((k) => k.replace(PLURAL, '')))].sort();
    for (const lang of LANGUAGE_CODES) expect(base(Object.keys(respondentTexts(lang))), lang).to.deep.equal(base(Object.keys(english)));
  });

  it('zh-Hans: the survey is 问卷 everywhere (never 调查), in every namespace and the template', () => {
    const all = { ...respondentTexts('zh-Hans'), ...Object.fromEntries(NAMESPACES.flatMap((ns) => Object.entries(flattenLocale(readLocale('zh-Hans', ns))).map(([k, v]) => [`${ns}:${k}`, v]))) };
    expect(Object.entries(all).filter(([, v]) => v.includes('调查')).map(([k, v]) => `${k}: ${v}`)).to.deep.equal([]);
    expect(all['common:app.name']).to.contain('问卷');
  });

  it('vi: respondents are "quý vị", never "bạn"', () => {
    expect(offending('vi', (text) => words(text).filter((w) => w.toLowerCase() === 'bạn'))).to.deep.equal([]);
    expect(respondentTexts('vi')['template:intro']).to.contain('quý vị');
  });

  it('ar: no masculine-singular imperative or second-person-singular form on the respondent side', () => {
    expect(offending('ar', (text) => arabicSingular(text))).to.deep.equal([]);
  });

  it('the checks find what they are for (each catches a known bad text)', () => {
    expect(englishIn('Middle school', 'ht', 'Middle school')).to.have.length(1);
    expect(englishIn('Escuela intermedia (middle school)', 'es', undefined)).to.deep.equal(['middle', 'school']);
    expect(englishIn('رمز QR للعنوان {{url}}', 'ar', undefined)).to.deep.equal([]);
    expect(englishIn('الحضانة (Pre-K)', 'ar', undefined)).to.deep.equal(['Pre-K']);
    expect(arabicSingular('عند الانتهاء، اضغط على «إنهاء».')).to.deep.equal(['اضغط']);
    expect(arabicSingular('حفاظًا على أمان حسابكم، وإجاباتك هنا')).to.deep.equal(['وإجاباتك']);
    expect(arabicSingular('اضغطوا على «إنهاء»، إجاباتكم هنا، يُرجى وضع علامة، بضع مرات')).to.deep.equal([]);
  });
});
