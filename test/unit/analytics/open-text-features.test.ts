import { expect } from 'chai';
import {
  addFeatures,
  analyzeOpenText,
  answerFeatures,
  combineOpenText,
  emptyLanguageCounts,
  TERM_KINDS,
  type AnswerFeatures,
  type OpenTextAnswer,
  type OpenTextCounts,
  type OpenTextOptions,
  type OpenTextResources,
} from '../../../analytics/open-text.js';
import { getCatalog } from '../../../surveys/catalog.service.js';
import { generateResponses } from '../../../surveys/demo-data.js';
import { getOpenTextResources } from '../../../surveys/open-text-data.service.js';
import { loadTemplate } from '../../../surveys/templates/templates.js';
import { analyzeOpenText as referenceAnalysis } from './open-text-reference.js';
import { mulberry32 } from '../../../analytics/seeded-random.js';

const LANGS = ['en', 'es', 'zh-Hans', 'vi', 'ar', 'ht'] as const;

/** The unit tests' fixtures, in their languages (open-text.test.ts). */
const FIXTURES: OpenTextAnswer[] = [
  ...['I would like more books please', 'More books! Thank you', 'books books books', 'cooking classes for kids', 'Cooking classes, kids yoga', 'yoga for the kids', 'Online safety for seniors', 'resume and job interviews', 'English classes please', "I'd LOVE Résumé-writing classes!!", 'Résumé help and practice for job interviews, plus a book club for seniors.'].map((text) => ({ text, lang: 'en' })),
  ...['Clases de cocina', 'más clases de cocina, por favor', 'Inglés', 'inglés', 'ingles', 'Clases de ingles para adultos y ayuda con las tareas de los niños.', 'curriculum y entrevistas'].map((text) => ({ text, lang: 'es' })),
  ...['我想要中文书', '希望有中文书', '希望多开一些编程课和理财讲座。', '我想学英语和电脑。'].map((text) => ({ text, lang: 'zh-Hans' })),
  ...['Tôi muốn có lớp dạy lập trình cho con và chương trình khám sức khoẻ miễn phí.', 'sức khỏe, kỹ năng', 'Lớp học Tiếng Anh'].map((text) => ({ text, lang: 'vi' })),
  ...['نتمنى ورش عمل للأهل عن تربية الأطفال، ودروس في البرمجة للشباب.', 'وللأطفال', 'كتب للأطفال', 'لعب بالأطفال', 'اطفال', 'الإنجليزيّة', 'مكـتـبة إلى'].map((text) => ({ text, lang: 'ar' })),
  ...["M'ap chèche yon djòb.", 'Nou bezwen èd pou devwa lakay pou timoun yo, epi yon klib lekti pou granmoun.'].map((text) => ({ text, lang: 'ht' })),
];

const rng = mulberry32;

/** Demo answers (free text and "other") from the demo data generator, with their languages. */
function demoAnswers(count: number, seed: number): OpenTextAnswer[] {
  const def = { ...loadTemplate('community-needs', getCatalog().topicIds), slug: 'open-text-features' };
  const texts = new Set(def.questions.filter((q) => q.type === 'shortText' || q.type === 'longText').map((q) => q.id));
  const out: OpenTextAnswer[] = [];
  for (const r of generateResponses({ definition: def, version: 1, count, seed, start: new Date('2026-01-01T00:00:00Z'), days: 30 })) {
    for (const [q, v] of Object.entries(r.answers)) if (texts.has(q) && typeof v === 'string') out.push({ text: v, lang: r.lang });
    for (const v of Object.values(r.other ?? {})) out.push({ text: v, lang: r.lang });
  }
  return out;
}

/**
 * Answers recombined from the pool's words, keywords and stop words, with the separators,
 * capitals and missing accents people type: many shared terms, ties and phrase splits.
 */
function generated(pool: OpenTextAnswer[], resources: OpenTextResources, count: number, seed: number): OpenTextAnswer[] {
  const next = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const langs = LANGS.filter((l) => pool.some((a) => a.lang === l));
  const vocab = new Map<string, string[]>();
  for (const lang of langs) {
    const words = pool.filter((a) => a.lang === lang).flatMap((a) => a.text.split(/[\s,.!?;:،。，]+/u)).filter(Boolean);
    const keywords = Object.values(resources.keywords[lang] ?? {}).flat();
    vocab.set(lang, [...words, ...words, ...keywords, ...(resources.stopwords[lang] ?? []).slice(0, 40)]);
  }
  const seps = [' ', ' ', ' ', ', ', '. ', '\n', ' - ', '! '];
  const out: OpenTextAnswer[] = [];
  for (let i = 0; i < count; i++) {
    const lang = pick(langs);
    if (next() < 0.3) {
      out.push(pick(pool.filter((a) => a.lang === lang)));
      continue;
    }
    const n = 1 + Math.floor(next() * 9);
    let text = '';
    for (let j = 0; j < n; j++) {
      let w = pick(vocab.get(lang)!);
      if (next() < 0.15) w = w.toUpperCase();
      if (next() < 0.2) w = w.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      text += (j === 0 ? '' : lang === 'zh-Hans' && next() < 0.7 ? '' : pick(seps)) + w;
    }
    out.push({ text: next() < 0.02 ? '  !!! ' : text, lang });
  }
  return out;
}

/**
 * What the copy's SQL returns: counts summed in another order (it groups, it does not stream),
 * terms below minCount left out with their forms and parts, parts from the last answer.
 */
function asTheCopySumsThem(features: AnswerFeatures[], minCount: number): OpenTextCounts {
  const all: OpenTextCounts = { languages: new Map(), topics: new Map() };
  for (const f of [...features].reverse()) addFeatures(all, { ...f, parts: [] });
  const pruned: OpenTextCounts = { languages: new Map(), topics: new Map([...all.topics].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, langs]) => [t, new Map([...langs].sort(([a], [b]) => (a < b ? -1 : 1)))])) };
  for (const [lang, acc] of all.languages) {
    const out = emptyLanguageCounts();
    out.answers = acc.answers;
    for (const kind of TERM_KINDS) out.terms[kind] = new Map([...acc.terms[kind]].filter(([, n]) => n >= minCount));
    const listedKeys = new Set(TERM_KINDS.flatMap((kind) => [...out.terms[kind].keys()]));
    out.forms = new Map([...acc.forms].filter(([key]) => listedKeys.has(key)));
    for (const f of features) if (f.lang === lang) for (const [key, a, b] of f.parts) if (out.terms.ideaPhrases.has(key)) out.parts.set(key, [a, b]);
    pruned.languages.set(lang, out);
  }
  return pruned;
}

describe('open-text analysis as per-answer features summed and combined', function () {
  this.timeout(60000);
  const resources = getOpenTextResources();
  const pool = [...demoAnswers(1500, 7), ...FIXTURES];
  const answers = [...pool, ...generated(pool, resources, 1500, 42)];
  const features = answers.map((a) => answerFeatures(a, resources));
  const optionSets: Partial<OpenTextOptions>[] = [{}, { top: 5, minCount: 3 }, { top: 60, minCount: 1 }, { top: 1, minCount: 40 }];

  it('sends demo, fixture and generated answers in six languages and gets the analysis the streaming analyzer always gave', () => {
    expect(new Set(answers.map((a) => a.lang))).to.have.all.keys(...LANGS);
    for (const options of optionSets) {
      const want = referenceAnalysis(answers, resources, options);
      expect(analyzeOpenText(answers, resources, options), JSON.stringify(options)).to.deep.equal(want);
      expect(combineOpenText(asTheCopySumsThem(features, options.minCount ?? 2), options), JSON.stringify(options)).to.deep.equal(want);
    }
  });

  it('sends 12 random subsets (a filter) and gets, for each, the same analysis from pruned sums as from streaming', () => {
    const next = rng(5);
    for (let i = 0; i < 12; i++) {
      const share = next() / 2;
      const picked = answers.map(() => next() < share);
      const options = optionSets[i % optionSets.length]!;
      const want = referenceAnalysis(answers.filter((_, j) => picked[j]), resources, options);
      expect(combineOpenText(asTheCopySumsThem(features.filter((_, j) => picked[j]), options.minCount ?? 2), options), `subset ${i}`).to.deep.equal(want);
    }
  });

  it('sends the small English vocabulary of the unit tests and gets the same lists, new ideas and topics', () => {
    const small: OpenTextResources = {
      stopwords: { en: ['i', 'would', 'like', 'more', 'please', 'for', 'the', 'and', 'a', 'my', 'thank you'] },
      keywords: { en: { 'job-skills': ['resume', 'job interviews'], 'esl-citizenship': ['english classes'], 'digital-literacy': ['online safety'], 'public-safety': ['safety'] } },
    };
    const en = generated(FIXTURES.filter((a) => a.lang === 'en'), small, 500, 9);
    const enFeatures = en.map((a) => answerFeatures(a, small));
    for (const options of optionSets) expect(combineOpenText(asTheCopySumsThem(enFeatures, options.minCount ?? 2), options)).to.deep.equal(referenceAnalysis(en, small, options));
  });

  it('sends one Chinese phrase split two ways (大学生 活, 大学 生活) in both orders and gets the parts of the last answer read, as streaming did', () => {
    const none: OpenTextResources = { stopwords: {}, keywords: {} };
    const zh = (...texts: string[]): OpenTextAnswer[] => texts.map((text) => ({ text, lang: 'zh-Hans' }));
    const results = [zh('大学生活', '大学生 活', '活'), zh('大学生 活', '大学生活', '活')].map((order) => {
      const want = referenceAnalysis(order, none, { minCount: 1 });
      expect(combineOpenText(asTheCopySumsThem(order.map((a) => answerFeatures(a, none)), 1), { minCount: 1 })).to.deep.equal(want);
      return want.newIdeas.map((i) => i.term);
    });
    // "活" hides behind the phrase only when the last split read contains it.
    expect(results[0]).to.not.include('活');
    expect(results[1]).to.include('活');
  });

  it('sends blank and punctuation-only answers and gets features that count nowhere', () => {
    const f = answerFeatures({ text: ' !!! ', lang: 'es' }, resources);
    expect(f.counted).to.equal(false);
    expect(f.words).to.deep.equal([]);
  });
});
