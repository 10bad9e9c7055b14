/**
 * Seeded demo responses: a new install shows a full dashboard at once, and benchmarks stream
 * 10k–1M responses. No clock and no Math.random: response i depends only on (seed, i), so the
 * same options always give the same responses and a shorter run is a prefix of a longer one.
 * Inserting them directly bypasses the live tallies; rebuild or reconcile them afterwards.
 *
 * PLANTED GROUP DIFFERENCES (built-in `community-needs` template; the unit tests check them).
 * Each multiplies a topic's weight when a person picks their 2–6 interests, so the reach ratios
 * a dashboard shows differ from the multipliers (reach ratio measured on 100k responses, seed 7):
 *   - lang es vs en:           esl-citizenship ×6 (≈ 3.8×), job-skills ×2.5 (≈ 1.7×)
 *   - lang zh-Hans, vi, ar, ht: esl-citizenship ×3, cultural-heritage ×2
 *   - age 65-plus vs rest:     digital-literacy ×3 (≈ 2.4×), health-wellness ×3 (≈ 2.2×);
 *                              coding-tech and teen-programs ×0.3
 *   - age under-18 vs rest:    teen-programs ×6 (≈ 4.4×), coding-tech ×3 (≈ 2.5×);
 *                              early-literacy and caregiver-workshops ×0.2
 *   - age 18-24:               job-skills ×2
 *   - children yes vs no:      early-literacy, homework-tutoring, caregiver-workshops ×3.5 for yes,
 *                              ×0.4 for no (≈ 5–5.8×)
 *   - channel kiosk vs web:    outreach-access ×1.8 (≈ 1.65×)
 *   - neighborhood 02121:      public-safety ×6 (≈ 4.3× the other ZIP codes)
 * Also: non-English respondents rate satisfaction lower (mean ≈ 3.07 vs 3.43) and tick the
 * "language" barrier far more; 65+ prefer weekday mornings, parents weekends and evenings; paper
 * responses skew older and skip more; a third write an idea in their own language, with
 * recurring ideas outside the catalog: cooking classes, a quiet study room, later opening hours.
 * Shares: languages en 55 / es 22 / zh-Hans 8 / vi 7 / ar 4 / ht 4 %, channels web 60 / kiosk 30 /
 * paper 10 %, children in school "yes" ≈ 41 % of answers, ideas ≈ 33 %.
 */
import { fingerprint, isShown, OTHER, textLength, type AnswerValue } from './answers.js';
import { hasOptions, type Question, type SurveyDefinition } from './definition.schema.js';
import { isLanguageCode, type LanguageCode } from './languages.js';
import type { Channel, NewResponse } from './response.model.js';
import { rankableIds } from './rank-from.js';

/** Exactly the fields stored in `responses` (a language the app ships). */
export interface DemoResponse extends NewResponse {
  lang: LanguageCode;
}

export interface DemoOptions {
  definition: SurveyDefinition;
  version: number;
  count: number;
  /** Any integer; used modulo 2^32. */
  seed: number;
  /** Start of the window; the hour patterns assume it is a midnight. Day of week is taken in UTC. */
  start: Date;
  /** Whole days the responses spread over: submittedAt is in [start, start + days). */
  days: number;
  /** Begins every submission id: 1–24 of [A-Za-z0-9_-], default `demo`. */
  idPrefix?: string;
}

/** The neighborhood planted to care about public safety. */
export const DEMO_SAFETY_ZIP = '02121';

type Persona = {
  lang: LanguageCode; langIx: number; channel: Channel; channelIx: number; age: string; ageIx: number; children: string; childIx: number; zip: number; household: number;
  /** Weights of the definition's topics for this kind of person (cached, read-only). */
  topicW: Float64Array;
  /** Topics (by index) and untagged option ids picked among interests. */
  picked: Uint8Array; pickedIds: Set<string>;
};
type Plan = { q: Question; ids: string[]; topic: Int32Array; exclusive: number; excl: Uint8Array; hasTopics: boolean; skip: number; w: Float64Array; mask: Uint8Array; cache: Array<Float64Array | undefined> };
type Ctx = { rng: Rng; p: Persona; otherText: string | undefined; topics: string[]; ideaTopic: Record<LanguageCode, Int32Array>; ideaW: Float64Array };

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CHANNELS: Channel[] = ['web', 'kiosk', 'paper'];
const CHANNEL_W = [60, 30, 10];
const LANG_W: Record<LanguageCode, number> = { en: 55, es: 22, 'zh-Hans': 8, vi: 7, ar: 4, ht: 4 };
const HOME: Record<LanguageCode, string> = { en: 'en', es: 'es', 'zh-Hans': 'zh', vi: 'vi', ar: 'ar', ht: 'ht' };
const HOME_OTHER = ['Portuguese', 'Somali', 'French', 'Tagalog', 'Russian'];
const HOME_MINOR = ['zh', 'vi', 'ar', 'ht'];
const AGES = ['under-18', '18-24', '25-34', '35-44', '45-54', '55-64', '65-plus', 'no-answer'];
const AGE_W: Record<Channel, number[]> = { web: [5, 10, 22, 23, 17, 10, 9, 4], kiosk: [10, 9, 18, 20, 16, 11, 12, 4], paper: [2, 5, 14, 18, 17, 17, 23, 4] };
const CHILD_YES = [0.05, 0.2, 0.55, 0.74, 0.6, 0.18, 0.05, 0.3];
const CHILDREN = ['yes', 'no', 'no-answer'];
/** Household size: with children in school 3–7, 65+ without 1–3, others 1–4. */
const HOUSEHOLD_W = [[3, 4, 2, 1, 0.5], [5, 4, 1], [3, 3.5, 2, 1.5]];
/** Link tags on web responses: parents see school flyers, older people the newsletter, 25–44 Facebook. */
const TAGS = ['flyer-school', 'newsletter', 'facebook'];
const TAG_W = [[3, 0.8, 1.3], [0.6, 2.5, 1], [0.6, 0.8, 1.6], [0.6, 0.8, 1]];
/** Satisfaction 1–5: English / other languages, each plain and when the rating's topic is an interest. */
const SATISFACTION = [[0.05, 0.12, 0.33, 0.35, 0.15], [0.05, 0.12, 0.33, 0.65, 0.75], [0.09, 0.2, 0.36, 0.25, 0.1], [0.09, 0.2, 0.36, 0.55, 0.7]];
const GRADES_W: Record<string, number[]> = { '25-34': [5, 4, 0.7, 0.3], '35-44': [2, 4.5, 2.5, 1], '45-54': [0.3, 2, 3.5, 4.2] };
const ZIPS: Array<[zip: string, branch: string, weight: number]> = [
  ['02119', 'Main Branch', 1.2], [DEMO_SAFETY_ZIP, 'Eastside Branch', 1], ['02124', 'Eastside Branch', 1.1],
  ['02125', 'Main Branch', 0.9], ['02126', 'Westside Branch', 0.8], ['02130', 'Westside Branch', 1],
];
const ZIP_AFFINITY: Record<LanguageCode, Record<string, number>> = { en: {}, es: { '02119': 2.5, '02130': 2 }, 'zh-Hans': { '02125': 3 }, vi: { '02124': 4 }, ar: { '02130': 2.5 }, ht: { '02126': 4 } };
const BRANCHES = ['Main Branch', 'Eastside Branch', 'Westside Branch'];
const TOPIC_BASE: Record<string, number> = {
  'job-skills': 1, 'health-wellness': 1, 'coding-tech': 0.7, 'digital-literacy': 0.9, 'early-literacy': 0.6, 'caregiver-workshops': 0.5,
  'reading-culture': 1, 'homework-tutoring': 0.7, 'teen-programs': 0.5, 'esl-citizenship': 0.4, 'cultural-heritage': 0.6, 'arts-crafts': 0.9,
  sustainability: 0.6, 'financial-literacy': 0.7, 'public-safety': 0.35, 'outreach-access': 0.5, 'community-events': 0.7,
};
const otherLang = (p: Persona): boolean => p.lang !== 'en' && p.lang !== 'es';
// A predicate may read only lang, channel, age, children and zip: topic weights are cached by those.
type Boost = [who: (p: Persona) => boolean, topic: string, factor: number];
const PLANTED: Boost[] = [
  [(p) => p.lang === 'es', 'esl-citizenship', 6], [(p) => p.lang === 'es', 'job-skills', 2.5],
  [otherLang, 'esl-citizenship', 3], [otherLang, 'cultural-heritage', 2],
  [(p) => p.age === '65-plus', 'digital-literacy', 3], [(p) => p.age === '65-plus', 'health-wellness', 3],
  [(p) => p.age === '65-plus', 'coding-tech', 0.3], [(p) => p.age === '65-plus', 'teen-programs', 0.3],
  [(p) => p.age === 'under-18', 'teen-programs', 6], [(p) => p.age === 'under-18', 'coding-tech', 3],
  [(p) => p.age === 'under-18', 'early-literacy', 0.2], [(p) => p.age === 'under-18', 'caregiver-workshops', 0.2],
  [(p) => p.age === '18-24', 'job-skills', 2],
  ...['early-literacy', 'homework-tutoring', 'caregiver-workshops'].flatMap((t): Boost[] => [[(p) => p.children === 'yes', t, 3.5], [(p) => p.children === 'no', t, 0.4]]),
  [(p) => p.channel === 'kiosk', 'outreach-access', 1.8],
  [(p) => ZIPS[p.zip]?.[0] === DEMO_SAFETY_ZIP, 'public-safety', 6],
];
/** How many options a person ticks (weights for 1, 2, 3, ...). */
const PICKS: Record<string, number[]> = { generic: [50, 30, 20], interests: [0, 20, 27, 25, 16, 12], times: [50, 35, 15], formats: [60, 40], barriers: [65, 35], childGrades: [70, 30] };
/** Chance that an optional question is left blank (paper ×1.3). */
const SKIP: Record<string, number> = { times: 0.08, formats: 0.1, barriers: 0.12, satisfaction: 0.06, ideas: 0.65, age: 0.03, neighborhood: 0.1, homeLanguage: 0.05, visits: 0.05, children: 0.04, childGrades: 0.06, household: 0.08 };
const HOURS: Record<Channel, number[]> = {
  web: [0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1, 1, 1, 1.1, 1.5, 1.3, 1, 1, 1.1, 1.3, 1.6, 2.2, 2.4, 2, 1.3, 0.6],
  kiosk: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.6, 1, 1.1, 1.2, 1.1, 1.1, 1.8, 2, 1.7, 1.3, 1, 0, 0, 0, 0],
  paper: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1.2, 1.2, 0.6, 1.1, 1.2, 1.1, 0.8, 0, 0, 0, 0, 0, 0, 0], // staff typing them in
};
const WEEKDAYS: Record<Channel, number[]> = { web: [0.9, 1.2, 1.2, 1.15, 1.1, 1, 0.8], kiosk: [0.4, 1.1, 1.1, 1.1, 1.1, 1, 1.2], paper: [0, 1, 1.1, 1.1, 1, 0.9, 0.15] };
// Ideas in the person's language: [topic it matches ('' = a new idea outside the catalog), text].
const IDEAS: Record<LanguageCode, Array<[string, string]>> = {
  en: [['job-skills', 'Job search help and resume workshops in the evening'], ['esl-citizenship', 'English conversation classes for adults'], ['digital-literacy', 'Computer help for seniors, like email and video calls'], ['homework-tutoring', 'Homework help after school'], ['early-literacy', 'More storytime on Saturdays'], ['', 'Cooking classes for families'], ['', 'A quiet study room for students'], ['', 'Later opening hours on weekdays']],
  es: [['job-skills', 'Talleres para buscar trabajo y preparar el currículum'], ['esl-citizenship', 'Clases de inglés por la noche'], ['esl-citizenship', 'Preparación para el examen de ciudadanía'], ['digital-literacy', 'Ayuda con la computadora y el celular'], ['early-literacy', 'Cuentos en español para niños'], ['', 'Clases de cocina para familias'], ['', 'Una sala de estudio tranquila'], ['', 'Abrir más tarde entre semana']],
  'zh-Hans': [['job-skills', '找工作和写简历的讲座'], ['esl-citizenship', '成人英语课'], ['digital-literacy', '电脑和手机使用帮助'], ['', '烹饪课'], ['', '安静的自习室'], ['', '晚上开放时间更长']],
  vi: [['job-skills', 'Hỗ trợ tìm việc làm'], ['esl-citizenship', 'Lớp học tiếng Anh cho người lớn'], ['digital-literacy', 'Hướng dẫn sử dụng máy tính'], ['', 'Lớp học nấu ăn'], ['', 'Phòng học yên tĩnh'], ['', 'Mở cửa muộn hơn vào buổi tối']],
  ar: [['job-skills', 'ورش عمل للبحث عن وظيفة'], ['esl-citizenship', 'دروس اللغة الإنجليزية للكبار'], ['digital-literacy', 'مساعدة في استخدام الكمبيوتر'], ['', 'دروس طبخ للعائلات'], ['', 'غرفة هادئة للدراسة'], ['', 'ساعات عمل أطول في المساء']],
  ht: [['job-skills', 'Atelye pou chèche travay'], ['esl-citizenship', 'Kou angle pou granmoun'], ['digital-literacy', 'Èd ak konpitè'], ['', 'Kou pou aprann kwit manje'], ['', 'Yon sal etid ki trankil'], ['', 'Louvri pi ta nan aswè']],
};
const BARRIER_OTHER: Record<LanguageCode, string> = { en: 'My work schedule changes every week', es: 'Mi horario de trabajo cambia cada semana', 'zh-Hans': '我的工作时间每周都不一样', vi: 'Lịch làm việc của tôi thay đổi mỗi tuần', ar: 'جدول عملي يتغير كل أسبوع', ht: 'Orè travay mwen chanje chak semèn' };
const GENERIC_OTHER: Record<LanguageCode, string> = { en: 'Something else', es: 'Otra cosa', 'zh-Hans': '其他', vi: 'Khác', ar: 'شيء آخر', ht: 'Lòt bagay' };

function hash32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** sfc32 (Doty-Humphrey's Small Fast Counting generator), reseeded per response from (seed, index). */
class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 1;
  reseed(seed: number, index: number): void {
    [this.a, this.b, this.d] = [hash32(seed ^ 0x9e3779b9), hash32(index ^ 0x632be5ab), 1];
    this.c = hash32(this.a ^ (this.b + 0x85ebca6b));
    for (let i = 0; i < 12; i++) this.next();
  }
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (((this.c << 21) | (this.c >>> 11)) + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** An index drawn in proportion to `w[0..n)`, or -1 when they are all zero. */
  draw(w: ArrayLike<number>, n = w.length): number {
    let total = 0;
    for (let i = 0; i < n; i++) total += w[i]!;
    let r = this.next() * total;
    let last = -1;
    for (let i = 0; i < n; i++) {
      if (w[i]! <= 0) continue;
      last = i;
      if ((r -= w[i]!) < 0) return i;
    }
    return last;
  }
  /** An index from cumulative weights (binary search, for long tables such as days). */
  fromCdf(cdf: Float64Array): number {
    const r = this.next() * cdf[cdf.length - 1]!;
    let [lo, hi] = [0, cdf.length - 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function cumulative(weights: number[]): Float64Array {
  const out = new Float64Array(weights.length);
  const allZero = weights.every((w) => w <= 0);
  weights.reduce((sum, w, i) => (out[i] = sum + (allZero ? 1 : w)), 0);
  return out;
}

/** A launch peak, a steady tail and a reminder bump at 60% of the window, times the weekday pattern. */
function dayCdf(days: number, startDow: number, channel: Channel): Float64Array {
  const tau = Math.max(1, days / 6);
  const sigma = Math.max(1, days / 20);
  return cumulative(Array.from({ length: days }, (_, d) => WEEKDAYS[channel][(startDow + d) % 7]! * (0.55 + Math.exp(-d / tau) + 0.5 * Math.exp(-(((d - 0.6 * days) / sigma) ** 2)))));
}

/** Fits text to a question's limit the way the form would keep it (code points, trimmed). */
function fit(text: string, max: number): string | undefined {
  return (textLength(text) <= max ? text : [...text].slice(0, max).join('').trim()) || undefined;
}

/** Template option weights; may read only age, children, English or not, and channel (the cache key). */
function optionWeight(qid: string, oid: string, p: Persona): number {
  const older = p.age === '65-plus' || p.age === '55-64';
  const parent = p.children === 'yes';
  switch (`${qid}:${oid}`) {
    case 'times:weekday-morning': return p.age === '65-plus' ? 3.5 : older ? 1.5 : 0.6;
    case 'times:weekday-afternoon': return p.age === 'under-18' ? 3 : 1;
    case 'times:weekday-evening': return parent ? 2.5 : older ? 0.8 : 1.8;
    case 'times:weekend': return parent ? 2.8 : 1.3;
    case 'times:not-sure': return 0.25;
    case 'formats:in-person': return 2.2;
    case 'formats:online': return older ? 0.5 : 1.3;
    case 'formats:in-community': return p.lang === 'en' ? 0.8 : 1.6;
    case 'formats:take-home': return parent ? 2 : 0.5;
    case 'barriers:transport': return older ? 2 : 1;
    case 'barriers:time': return parent ? 2.5 : 1.5;
    case 'barriers:language': return p.lang === 'en' ? 0.08 : 3;
    case 'barriers:awareness': return 1.8;
    case 'barriers:childcare': return parent ? 2 : 0.1;
    case 'barriers:accessibility': return p.age === '65-plus' ? 1.5 : 0.2;
    case 'visits:weekly': return p.channel === 'kiosk' ? 3 : 1;
    case 'visits:monthly': return 1.4;
    case 'visits:few-times-year': return 1.3;
    case 'visits:rarely': return p.channel === 'paper' ? 1.6 : 0.9;
  }
  if (qid === 'childGrades') return GRADES_W[p.age]?.[['pre-k', 'elementary', 'middle', 'high'].indexOf(oid)] ?? 1;
  return 1;
}

function plan(q: Question, topics: string[]): Plan {
  const options = hasOptions(q) ? q.options : [];
  const topic = Int32Array.from(options, (o) => (o.topic ? topics.indexOf(o.topic) : -1));
  const n = options.length;
  const skip = SKIP[q.id] ?? (q.type === 'longText' ? 0.65 : 0.1);
  return {
    q, ids: options.map((o) => o.id), topic, exclusive: q.type === 'multi' ? options.findIndex((o) => o.exclusive) : -1,
    excl: Uint8Array.from(options, (o) => (q.type === 'multi' && o.exclusive ? 1 : 0)), hasTopics: topic.some((t) => t >= 0),
    skip: q.required ? 0 : skip, w: new Float64Array(n), mask: new Uint8Array(n), cache: [],
  };
}

function personaChoice(qid: string, ctx: Ctx): string | undefined {
  const { p, rng } = ctx;
  if (qid === 'age') return p.age;
  if (qid === 'children') return p.children;
  if (qid !== 'homeLanguage') return undefined;
  if (p.lang !== 'en') return rng.chance(0.93) ? HOME[p.lang] : 'en';
  const r = rng.next();
  if (r < 0.03) ctx.otherText = HOME_OTHER[Math.floor(rng.next() * HOME_OTHER.length)]!;
  return r < 0.03 ? OTHER : r < 0.85 ? 'en' : r < 0.92 ? 'es' : HOME_MINOR[Math.floor(rng.next() * HOME_MINOR.length)];
}

/** Loads the option weights for this person into `pl.w`: topic weights, or the cached option table. */
function loadWeights(pl: Plan, p: Persona): void {
  if (pl.hasTopics) {
    for (let j = 0; j < pl.ids.length; j++) pl.w[j] = pl.excl[j] ? 0 : pl.topic[j]! >= 0 ? p.topicW[pl.topic[j]!]! : 0.3;
    return;
  }
  const key = ((p.ageIx * 3 + p.childIx) * 2 + (p.lang === 'en' ? 0 : 1)) * 3 + p.channelIx;
  pl.w.set((pl.cache[key] ??= Float64Array.from(pl.ids, (id, j) => (pl.excl[j] ? 0 : optionWeight(pl.q.id, id, p)))));
}

function markPicked(pl: Plan, j: number, p: Persona): void {
  if (pl.topic[j]! >= 0) p.picked[pl.topic[j]!] = 1;
  else p.pickedIds.add(pl.ids[j]!);
}

function choose(pl: Plan, ctx: Ctx): string[] | string | undefined {
  const { q } = pl;
  const { p, rng } = ctx;
  if (q.type !== 'single' && q.type !== 'multi') return undefined;
  if (q.type === 'single') {
    const id = personaChoice(q.id, ctx);
    if (id === OTHER && q.other) return id;
    if (id !== undefined && pl.ids.includes(id)) return id;
  } else if (pl.exclusive >= 0 && rng.chance(q.id === 'barriers' ? (p.lang === 'en' ? 0.25 : 0.1) : 0.03)) return [pl.ids[pl.exclusive]!];
  loadWeights(pl, p);
  const wantsOther = q.other && rng.chance(pl.hasTopics ? 0.04 : q.id === 'barriers' ? 0.03 : 0.02);
  if (wantsOther) ctx.otherText = pl.hasTopics ? fit(pickIdea(ctx, true), 200)! : q.id === 'barriers' ? BARRIER_OTHER[p.lang] : GENERIC_OTHER[p.lang];
  if (q.type === 'single') {
    const j = wantsOther ? -1 : rng.draw(pl.w);
    if (j >= 0 && pl.hasTopics) markPicked(pl, j, p);
    return j >= 0 ? pl.ids[j] : OTHER;
  }
  const k = Math.min(1 + rng.draw(PICKS[q.id] ?? PICKS.generic!), (q.maxChoices ?? Infinity) - (wantsOther ? 1 : 0));
  pl.mask.fill(0);
  for (let i = 0; i < k; i++) {
    const j = rng.draw(pl.w);
    if (j < 0) break;
    pl.mask[j] = 1;
    pl.w[j] = 0;
  }
  const picked: string[] = [];
  for (let j = 0; j < pl.ids.length; j++) {
    if (!pl.mask[j]) continue;
    picked.push(pl.ids[j]!);
    if (pl.hasTopics) markPicked(pl, j, p);
  }
  if (wantsOther) picked.push(OTHER);
  return picked.length ? picked : pl.exclusive >= 0 ? [pl.ids[pl.exclusive]!] : undefined;
}

/** Places filled mostly (92% each) from the person's interests, stronger interests first. */
function rank(pl: Plan, { p, rng }: Ctx): string[] {
  if (pl.q.type !== 'ranking') return [];
  let places = Math.min(pl.q.top, pl.ids.length);
  if (places > 1 && rng.chance(0.05)) places--;
  pl.mask.fill(0);
  const out: string[] = [];
  for (let place = 0; place < places; place++) {
    const onlyInterests = rng.chance(0.92);
    let any = false;
    for (let j = 0; j < pl.ids.length; j++) {
      const t = pl.topic[j]!;
      const interest = t >= 0 ? p.picked[t] === 1 : p.pickedIds.has(pl.ids[j]!);
      pl.w[j] = pl.mask[j] || (onlyInterests && !interest) ? 0 : t >= 0 ? p.topicW[t]! : 0.5;
      any ||= pl.w[j]! > 0;
    }
    if (!any) for (let j = 0; j < pl.ids.length; j++) pl.w[j] = pl.mask[j] ? 0 : 0.5;
    const j = rng.draw(pl.w);
    pl.mask[j] = 1;
    out.push(pl.ids[j]!);
  }
  return out;
}

/** An idea in the person's language: recurring new ideas, and topic ideas more often when they picked that topic. */
function pickIdea({ p, rng, ideaTopic, ideaW }: Ctx, newOnly = false): string {
  const topics = ideaTopic[p.lang];
  for (let i = 0; i < topics.length; i++) ideaW[i] = topics[i] === -1 ? 1.2 : newOnly ? 0 : p.picked[topics[i]!] ? 2.4 : 0.6;
  return IDEAS[p.lang][rng.draw(ideaW, topics.length)]![1];
}

/** The options a `rankFrom` ranking may rank, given the source question's answer. */
function rankableFrom(q: Extract<Question, { type: 'ranking' }>, source: AnswerValue | undefined): string[] {
  return rankableIds(q, Array.isArray(source) ? source : []);
}

function answer(pl: Plan, ctx: Ctx): AnswerValue | undefined {
  const { q } = pl;
  const { p, rng } = ctx;
  switch (q.type) {
    case 'single':
    case 'multi':
      return choose(pl, ctx);
    case 'ranking':
      return rank(pl, ctx);
    case 'rating': {
      const ix = q.topic === undefined ? -1 : ctx.topics.indexOf(q.topic);
      return 1 + rng.draw(SATISFACTION[(p.lang === 'en' ? 0 : 2) + (ix >= 0 && p.picked[ix] ? 1 : 0)]!);
    }
    case 'number': {
      const n = q.id === 'household' ? p.household : q.min + Math.floor(rng.next() ** 2 * Math.min(10, q.max - q.min + 1));
      return Math.min(q.max, Math.max(q.min, n));
    }
    case 'shortText':
      return fit(q.id === 'neighborhood' ? ZIPS[p.zip]![0] : pickIdea(ctx, true), q.maxLength);
    case 'longText':
      return fit(pickIdea(ctx), q.maxLength);
  }
}

function check(o: DemoOptions): void {
  const bad = (what: string): never => {
    throw new RangeError(`generateResponses: ${what}`);
  };
  if (!Number.isInteger(o.count) || o.count < 0) bad('count must be a whole number ≥ 0');
  if (!Number.isInteger(o.days) || o.days < 1) bad('days must be a whole number ≥ 1');
  if (!Number.isInteger(o.seed)) bad('seed must be an integer');
  if (!Number.isInteger(o.version) || o.version < 1) bad('version must be a whole number ≥ 1');
  if (Number.isNaN(o.start.getTime())) bad('start must be a valid date');
  if (o.idPrefix !== undefined && !/^[A-Za-z0-9_-]{1,24}$/.test(o.idPrefix)) bad('idPrefix must be 1–24 of [A-Za-z0-9_-]');
}

const byChannel = (f: (c: Channel) => Float64Array): Float64Array[] => CHANNELS.map(f);

/**
 * Streams `count` realistic responses for a survey definition: the built-in template gets the
 * personas and planted differences described at the top of this file; any other definition is
 * answered generically by question type, honouring `required`, `showIf`, `maxChoices`,
 * exclusive options and text limits, so every response passes `parseAnswers`.
 * Throws RangeError for impossible options (before the first response).
 */
export function generateResponses(options: DemoOptions): Generator<DemoResponse> {
  check(options);
  const { definition: def, version, count, days } = options;
  const seed = options.seed >>> 0;
  const langs = def.languages.filter(isLanguageCode);
  if (!langs.length) langs.push('en');
  const langCdf = cumulative(langs.map((l) => LANG_W[l]));
  const topics = [...new Set(def.questions.flatMap((q) => [...(hasOptions(q) ? q.options.map((o) => o.topic) : []), q.type === 'rating' ? q.topic : undefined]).filter((t) => t !== undefined))];
  const planted = PLANTED.map(([who, t, f]) => [who, topics.indexOf(t), f] as const).filter(([, ix]) => ix >= 0);
  const plans = def.questions.map((q) => plan(q, topics));
  const startDow = options.start.getUTCDay();
  const dayCdfs = byChannel((c) => dayCdf(days, startDow, c));
  const hourCdfs = byChannel((c) => cumulative(HOURS[c]));
  const ageCdfs = byChannel((c) => cumulative(AGE_W[c]));
  const zipCdfs = langs.map((l) => cumulative(ZIPS.map(([zip, , w]) => w * (ZIP_AFFINITY[l][zip] ?? 1))));
  const channelCdf = cumulative(CHANNEL_W);
  const topicCache: Array<Float64Array | undefined> = [];
  const idStem = `${options.idPrefix ?? 'demo'}-${seed.toString(16).padStart(8, '0')}-`;
  const startMs = options.start.getTime();
  const p: Persona = { lang: 'en', langIx: 0, channel: 'web', channelIx: 0, age: '', ageIx: 0, children: '', childIx: 0, zip: 0, household: 1, topicW: new Float64Array(0), picked: new Uint8Array(topics.length), pickedIds: new Set() };
  const ideaTopic = Object.fromEntries(Object.entries(IDEAS).map(([l, bank]) => [l, Int32Array.from(bank, ([t]) => (t === '' ? -1 : topics.indexOf(t) >= 0 ? topics.indexOf(t) : topics.length))])) as Record<LanguageCode, Int32Array>;
  const ctx: Ctx = { rng: new Rng(), p, otherText: undefined, topics, ideaTopic, ideaW: new Float64Array(16) };
  const { rng } = ctx;

  function persona(): void {
    p.langIx = rng.fromCdf(langCdf);
    p.lang = langs[p.langIx]!;
    p.channelIx = rng.fromCdf(channelCdf);
    p.channel = CHANNELS[p.channelIx]!;
    p.ageIx = rng.fromCdf(ageCdfs[p.channelIx]!);
    p.age = AGES[p.ageIx]!;
    p.childIx = rng.chance(0.04) ? 2 : rng.chance(CHILD_YES[p.ageIx]!) ? 0 : 1;
    p.children = CHILDREN[p.childIx]!;
    p.zip = rng.fromCdf(zipCdfs[p.langIx]!);
    p.household = (p.childIx === 0 ? 3 : 1) + rng.draw(HOUSEHOLD_W[p.childIx === 0 ? 0 : p.age === '65-plus' ? 1 : 2]!);
    const key = (((p.langIx * 3 + p.channelIx) * AGES.length + p.ageIx) * 3 + p.childIx) * ZIPS.length + p.zip;
    let w = topicCache[key];
    if (!w) {
      w = Float64Array.from(topics, (t) => TOPIC_BASE[t] ?? 0.6);
      for (const [who, ix, f] of planted) if (who(p)) w[ix]! *= f;
      topicCache[key] = w;
    }
    p.topicW = w;
    p.picked.fill(0);
    p.pickedIds.clear();
  }

  function one(index: number): DemoResponse {
    rng.reseed(seed, index);
    persona();
    const answers: Record<string, AnswerValue> = {};
    const other: Record<string, string> = {};
    const skipFactor = p.channel === 'paper' ? 1.3 : 1;
    for (const pl of plans) {
      const q = pl.q;
      if (q.showIf && !isShown(q, answers)) continue;
      // A ranking of one earlier choice is not asked: that choice is its first place (as parseAnswers records it).
      const only = q.type === 'ranking' && q.rankFrom ? rankableFrom(q, answers[q.rankFrom]) : undefined;
      if (only && only.length < 2) {
        if (only.length === 1) answers[q.id] = only;
        continue;
      }
      if (pl.skip > 0 && rng.chance(Math.min(0.9, pl.skip * skipFactor))) continue;
      ctx.otherText = undefined;
      let value = answer(pl, ctx);
      if (only && Array.isArray(value)) value = value.filter((id) => only.includes(id));
      if (only && Array.isArray(value) && value.length === 0 && q.required) value = only.slice(0, 1);
      if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
      answers[q.id] = value;
      if (ctx.otherText !== undefined && (Array.isArray(value) ? value.includes(OTHER) : value === OTHER)) other[q.id] = ctx.otherText;
    }
    const r: DemoResponse = {
      surveySlug: def.slug,
      surveyVersion: version,
      submissionId: idStem + index.toString(36).padStart(7, '0'),
      fingerprint: fingerprint(answers, other),
      answers,
      other,
      lang: p.lang,
      channel: p.channel,
      submittedAt: new Date(startMs + rng.fromCdf(dayCdfs[p.channelIx]!) * DAY_MS + rng.fromCdf(hourCdfs[p.channelIx]!) * HOUR_MS + Math.floor(rng.next() * HOUR_MS)),
    };
    if (p.channel === 'kiosk') r.location = rng.chance(0.75) ? ZIPS[p.zip]![1] : BRANCHES[Math.floor(rng.next() * BRANCHES.length)]!;
    if (p.channel === 'web' && rng.chance(0.45)) r.tag = TAGS[rng.draw(TAG_W[p.childIx === 0 ? 0 : p.ageIx >= 5 && p.ageIx <= 6 ? 1 : p.ageIx >= 2 && p.ageIx <= 3 ? 2 : 3]!)];
    return r;
  }

  return (function* stream(): Generator<DemoResponse> {
    for (let i = 0; i < count; i++) yield one(i);
  })();
}
