import { expect } from 'chai';
import { fingerprint, parseAnswers, type AnswerValue } from '../../../surveys/answers.js';
import { getCatalog } from '../../../surveys/catalog.service.js';
import { DEMO_SAFETY_ZIP, generateResponses, type DemoOptions, type DemoResponse } from '../../../surveys/demo-data.js';
import type { SurveyDefinition, SurveyDefinitionInput } from '../../../surveys/definition.schema.js';
import { validateDefinition } from '../../../surveys/definition.service.js';
import { isSubmissionId } from '../../../surveys/response.service.js';
import { buildDefinition, templateDefinition } from '../../fixtures/builders.js';
import { toFormFields } from '../../fixtures/form-fields.js';

const START = new Date('2025-03-03T00:00:00Z'); // a Monday
const DAYS = 28;
const template = templateDefinition();

function generate(overrides: Partial<DemoOptions> = {}): DemoResponse[] {
  return [...generateResponses({ definition: template, version: 3, count: 200, seed: 2025, start: START, days: DAYS, ...overrides })];
}

/** A definition as the app holds it after validation (defaults filled in). */
function definition(overrides: Partial<SurveyDefinitionInput> = {}): SurveyDefinition {
  const result = validateDefinition(buildDefinition(overrides), getCatalog().topicIds);
  if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result.problems)}`);
  return result.definition;
}

/** Responses whose answers or other texts parseAnswers would not store exactly as generated. */
function invalid(def: SurveyDefinition, responses: DemoResponse[]): Array<{ id: string; problem: unknown }> {
  const bad: Array<{ id: string; problem: unknown }> = [];
  for (const r of responses) {
    const parsed = parseAnswers(def, toFormFields(def, r));
    if (parsed.problems.length) bad.push({ id: r.submissionId, problem: parsed.problems });
    else if (JSON.stringify([parsed.answers, parsed.other]) !== JSON.stringify([r.answers, r.other])) bad.push({ id: r.submissionId, problem: { parsed: parsed.answers, stored: r.answers } });
  }
  return bad;
}

const list = (v: AnswerValue | undefined): string[] => (Array.isArray(v) ? v : []);
const share = (rs: DemoResponse[], test: (r: DemoResponse) => boolean): number => rs.filter(test).length / rs.length;
const reach = (rs: DemoResponse[], topic: string): number => share(rs, (r) => list(r.answers.interests).includes(topic));
const meanOf = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

describe('generateResponses (demo data)', () => {
  let sample: DemoResponse[] = [];
  before(() => {
    sample = generate({ count: 5000 });
  });

  describe('determinism and identity', () => {
    it('runs twice with the same options and gets identical responses', () => {
      expect(generate()).to.deep.equal(generate());
    });

    it('runs with another seed and gets different ids, answers and dates', () => {
      const [a, b] = [generate(), generate({ seed: 2026 })];
      const ids = new Set(a.map((r) => r.submissionId));
      expect(b.filter((r) => ids.has(r.submissionId))).to.deep.equal([]);
      expect(a.map((r) => r.fingerprint)).not.to.deep.equal(b.map((r) => r.fingerprint));
      expect(a.map((r) => r.submittedAt.getTime())).not.to.deep.equal(b.map((r) => r.submittedAt.getTime()));
    });

    it('asks for 50 and for 500 with one seed and gets the first 50 of the 500 (a run is a prefix)', () => {
      expect(generate({ count: 50 })).to.deep.equal(generate({ count: 500 }).slice(0, 50));
    });

    it('generates 5,000 and gets 5,000 unique submission ids the form accepts, starting with the idPrefix', () => {
      expect(new Set(sample.map((r) => r.submissionId)).size).to.equal(5000);
      expect(sample.every((r) => isSubmissionId(r.submissionId))).to.equal(true);
      const prefixed = generate({ idPrefix: 'bench_1M', count: 20 });
      expect(prefixed.every((r) => r.submissionId.startsWith('bench_1M-') && isSubmissionId(r.submissionId))).to.equal(true);
      expect(generate({ idPrefix: 'x', count: 1 })[0]!.submissionId).to.have.length.of.at.least(16);
    });

    it('generates a response and gets exactly the stored fields, with the fingerprint of its answers', () => {
      const allowed = ['surveySlug', 'surveyVersion', 'submissionId', 'fingerprint', 'answers', 'other', 'lang', 'channel', 'location', 'tag', 'submittedAt'];
      for (const r of sample.slice(0, 500)) {
        expect(allowed).to.include.members(Object.keys(r));
        expect(r).to.include({ surveySlug: 'community-needs', surveyVersion: 3 });
        expect(r.fingerprint).to.equal(fingerprint(r.answers, r.other));
      }
    });

    it('asks for 0 responses and gets none; impossible options throw RangeError at the call', () => {
      expect(generate({ count: 0 })).to.deep.equal([]);
      expect(() => generateResponses({ definition: template, version: 1, count: -1, seed: 1, start: START, days: 7 })).to.throw(RangeError);
      expect(() => generateResponses({ definition: template, version: 1, count: 1, seed: 1, start: START, days: 0 })).to.throw(RangeError);
      expect(() => generateResponses({ definition: template, version: 1, count: 1, seed: 1, start: START, days: 7, idPrefix: 'no spaces' })).to.throw(RangeError);
      expect(() => generateResponses({ definition: template, version: 1, count: 1, seed: 1, start: new Date('nope'), days: 7 })).to.throw(RangeError);
    });
  });

  describe('valid for the survey', () => {
    it('turns 5,000 template responses back into form fields and parseAnswers gets no problems and the same answers and other texts', () => {
      expect(invalid(template, sample)).to.deep.equal([]);
    });

    it('generates 5,000 and gets childGrades only with children = yes, and on most of those', () => {
      expect(sample.filter((r) => r.answers.childGrades !== undefined && r.answers.children !== 'yes')).to.deep.equal([]);
      const parents = sample.filter((r) => r.answers.children === 'yes');
      expect(share(parents, (r) => r.answers.childGrades !== undefined)).to.be.above(0.85);
    });

    it('generates 5,000 over 28 days from a Monday and gets every date inside the window, evening and weekday bumps', () => {
      const end = START.getTime() + DAYS * 86_400_000;
      expect(sample.filter((r) => r.submittedAt.getTime() < START.getTime() || r.submittedAt.getTime() >= end)).to.deep.equal([]);
      const web = sample.filter((r) => r.channel === 'web');
      const hour = (r: DemoResponse): number => r.submittedAt.getUTCHours();
      expect(share(web, (r) => hour(r) >= 18 && hour(r) < 22)).to.be.above(2 * share(web, (r) => hour(r) >= 0 && hour(r) < 4));
      const weekday = share(sample, (r) => r.submittedAt.getUTCDay() === 2);
      expect(weekday).to.be.above(share(sample, (r) => r.submittedAt.getUTCDay() === 0));
      expect(sample.filter((r) => r.channel === 'kiosk' && (hour(r) < 9 || hour(r) >= 20))).to.deep.equal([]);
    });

    it('generates from a generic definition (every question type, a condition) and every response parses cleanly', () => {
      const def = definition();
      const rs = [...generateResponses({ definition: def, version: 1, count: 2000, seed: 7, start: START, days: 10, idPrefix: 'generic' })];
      expect(invalid(def, rs)).to.deep.equal([]);
      expect(new Set(rs.map((r) => r.lang))).to.deep.equal(new Set(['en', 'es', 'ar']));
      expect(rs.filter((r) => r.answers.grades !== undefined && r.answers.children !== 'yes')).to.deep.equal([]);
      expect(rs.filter((r) => r.answers.children === 'yes' && r.answers.grades === undefined)).to.deep.equal([]); // grades is required when shown
      expect(rs.every((r) => list(r.answers.interests).length > 0 && list(r.answers.priorities).length <= 2)).to.equal(true);
      for (const qid of ['rating', 'name', 'ideas', 'household', 'children', 'priorities']) expect(share(rs, (r) => r.answers[qid] !== undefined), qid).to.be.above(0.2);
    });

    it('generates from an edge-case definition (maxChoices 1, one-character limits, wide number range, ranking top 1) and every response parses cleanly', () => {
      const def = definition({
        slug: 'edge-cases',
        languages: ['vi', 'en'],
        questions: [
          { id: 'pick', type: 'multi', required: true, other: true, maxChoices: 1, label: { en: 'Pick' }, options: [{ id: 'a', label: { en: 'A' }, topic: 'arts-crafts' }, { id: 'b', label: { en: 'B' } }, { id: 'none', label: { en: 'None' }, exclusive: true }] },
          { id: 'one', type: 'single', required: true, other: true, label: { en: 'One' }, options: [{ id: 'x', label: { en: 'X' } }, { id: 'y', label: { en: 'Y' } }] },
          { id: 'top', type: 'ranking', top: 1, required: true, label: { en: 'Top' }, options: [{ id: 'a', label: { en: 'A' } }, { id: 'b', label: { en: 'B' }, topic: 'sustainability' }] },
          { id: 'short', type: 'shortText', required: true, maxLength: 1, label: { en: 'S' } },
          { id: 'long', type: 'longText', required: true, maxLength: 3, label: { en: 'L' } },
          { id: 'n', type: 'number', required: true, min: -5, max: 1000, label: { en: 'N' } },
          { id: 'r', type: 'rating', required: true, topic: 'arts-crafts', label: { en: 'R' }, scale: { min: 1, max: 5, labels: { 1: { en: '1' }, 2: { en: '2' }, 3: { en: '3' }, 4: { en: '4' }, 5: { en: '5' } } } },
        ],
      });
      const rs = [...generateResponses({ definition: def, version: 2, count: 1000, seed: 99, start: START, days: 3 })];
      expect(invalid(def, rs)).to.deep.equal([]);
      expect(rs.every((r) => Object.keys(r.answers).length === 7)).to.equal(true);
      expect(new Set(rs.map((r) => r.lang))).to.deep.equal(new Set(['vi', 'en']));
    });

    // Generation speed is measured by `npm run bench`, never by a timed test.
    it('streams 20,000 template responses, each with a fingerprint', function () {
      this.timeout(60000);
      let n = 0;
      for (const r of generateResponses({ definition: template, version: 1, count: 20000, seed: 5, start: START, days: DAYS })) n += r.fingerprint.length > 0 ? 1 : 0;
      expect(n).to.equal(20000);
    });
  });

  describe('realistic shares', () => {
    it('generates 5,000 and gets languages within ±3 points of en 55, es 22, zh-Hans 8, vi 7, ar 4, ht 4 %', () => {
      for (const [lang, pct] of Object.entries({ en: 55, es: 22, 'zh-Hans': 8, vi: 7, ar: 4, ht: 4 })) expect(share(sample, (r) => r.lang === lang) * 100, lang).to.be.closeTo(pct, 3);
    });

    it('generates 5,000 and gets channels within ±3 points of web 60, kiosk 30, paper 10 %; location on every kiosk response only; tags on some web responses only', () => {
      for (const [channel, pct] of Object.entries({ web: 60, kiosk: 30, paper: 10 })) expect(share(sample, (r) => r.channel === channel) * 100, channel).to.be.closeTo(pct, 3);
      expect(sample.every((r) => (r.channel === 'kiosk') === (r.location !== undefined))).to.equal(true);
      expect(sample.every((r) => r.tag === undefined || (r.channel === 'web' && ['flyer-school', 'newsletter', 'facebook'].includes(r.tag)))).to.equal(true);
      expect(share(sample.filter((r) => r.channel === 'web'), (r) => r.tag !== undefined)).to.be.within(0.3, 0.6);
    });

    it('generates 5,000 and gets 2–6 interests each (or "none of these" alone, about 3 %) and top-3 priorities drawn only from them (rankFrom)', () => {
      const none = sample.filter((r) => list(r.answers.interests).includes('none'));
      const chose = sample.filter((r) => !list(r.answers.interests).includes('none'));
      expect(share(sample, (r) => list(r.answers.interests).includes('none'))).to.be.within(0.01, 0.06);
      expect(none.every((r) => list(r.answers.interests).length === 1 && r.answers.priorities === undefined)).to.equal(true);
      expect(chose.every((r) => list(r.answers.interests).filter((id) => id !== 'other').length >= 2 && list(r.answers.interests).filter((id) => id !== 'other').length <= 6)).to.equal(true);
      const places = sample.flatMap((r) => list(r.answers.priorities).map((id) => list(r.answers.interests).includes(id)));
      expect(chose.every((r) => new Set(list(r.answers.priorities)).size === list(r.answers.priorities).length && list(r.answers.priorities).length >= 1)).to.equal(true);
      expect(places.every(Boolean)).to.equal(true);
      expect(share(sample, (r) => r.other.interests !== undefined)).to.be.within(0.01, 0.08);
    });

    it('generates 5,000 and gets ages leaning to 25–54, children yes about 40 %, household 1–7 and larger with children', () => {
      expect(share(sample, (r) => ['25-34', '35-44', '45-54'].includes(r.answers.age as string))).to.be.above(0.5);
      const withChildrenAnswer = sample.filter((r) => r.answers.children !== undefined);
      expect(share(withChildrenAnswer, (r) => r.answers.children === 'yes')).to.be.within(0.3, 0.5);
      const size = (rs: DemoResponse[]): number[] => rs.flatMap((r) => (typeof r.answers.household === 'number' ? [r.answers.household] : []));
      expect(size(sample).every((n) => n >= 1 && n <= 7)).to.equal(true);
      expect(meanOf(size(sample.filter((r) => r.answers.children === 'yes')))).to.be.above(meanOf(size(sample.filter((r) => r.answers.children === 'no'))) + 1);
    });

    it('generates 5,000 and gets satisfaction 1–5 centred on 3–4', () => {
      const ratings = sample.flatMap((r) => (typeof r.answers.satisfaction === 'number' ? [r.answers.satisfaction] : []));
      expect(ratings.every((n) => Number.isInteger(n) && n >= 1 && n <= 5)).to.equal(true);
      expect(meanOf(ratings)).to.be.within(3, 4);
      expect(share(sample.filter((r) => r.answers.satisfaction !== undefined), (r) => r.answers.satisfaction === 3 || r.answers.satisfaction === 4)).to.be.above(0.55);
    });

    it('generates 5,000 and gets home language matching the response language in most answers, with some "other" text', () => {
      const home: Record<string, string> = { en: 'en', es: 'es', 'zh-Hans': 'zh', vi: 'vi', ar: 'ar', ht: 'ht' };
      const answered = sample.filter((r) => r.answers.homeLanguage !== undefined);
      expect(share(answered, (r) => r.answers.homeLanguage === home[r.lang])).to.be.above(0.8);
      expect(answered.filter((r) => r.answers.homeLanguage === 'other').every((r) => (r.other.homeLanguage ?? '').length > 0)).to.equal(true);
    });

    it('generates 5,000 and gets neighborhoods from a handful of ZIP codes', () => {
      const zips = new Set(sample.flatMap((r) => (typeof r.answers.neighborhood === 'string' ? [r.answers.neighborhood] : [])));
      expect(zips.size).to.be.within(4, 8);
      expect([...zips].every((z) => /^\d{5}$/.test(z))).to.equal(true);
    });

    it('generates 5,000 and gets ideas from about 35 %, in the respondent\'s language, with recurring new ideas', () => {
      const ideas = sample.filter((r) => typeof r.answers.ideas === 'string');
      expect(ideas.length / sample.length).to.be.within(0.28, 0.42);
      const count = (text: string): number => ideas.filter((r) => r.answers.ideas === text).length;
      expect(count('Cooking classes for families')).to.be.above(40);
      expect(count('Clases de cocina para familias')).to.be.above(10);
      expect(count('A quiet study room for students') + count('Later opening hours on weekdays')).to.be.above(60);
      expect(ideas.filter((r) => r.lang === 'es').every((r) => !/^(Cooking|A quiet|Later|Job|English|Computer|Homework|More)/.test(r.answers.ideas as string))).to.equal(true);
    });
  });

  describe('planted group differences (see the comment at the top of surveys/demo-data.ts)', () => {
    const by = (test: (r: DemoResponse) => boolean): DemoResponse[] => sample.filter(test);

    it('compares Spanish with English respondents and gets esl-citizenship reach ≥ 2× and job-skills ≥ 1.4×', () => {
      const [es, en] = [by((r) => r.lang === 'es'), by((r) => r.lang === 'en')];
      expect(reach(es, 'esl-citizenship')).to.be.at.least(2 * reach(en, 'esl-citizenship'));
      expect(reach(es, 'job-skills')).to.be.at.least(1.4 * reach(en, 'job-skills'));
    });

    it('compares ages 65+ with everyone else and gets digital-literacy and health-wellness reach ≥ 1.5×', () => {
      const [old, rest] = [by((r) => r.answers.age === '65-plus'), by((r) => r.answers.age !== '65-plus')];
      for (const topic of ['digital-literacy', 'health-wellness']) expect(reach(old, topic), topic).to.be.at.least(1.5 * reach(rest, topic));
    });

    it('compares people with children in school with those without and gets early-literacy, homework-tutoring and caregiver-workshops reach ≥ 2×', () => {
      const [yes, no] = [by((r) => r.answers.children === 'yes'), by((r) => r.answers.children === 'no')];
      for (const topic of ['early-literacy', 'homework-tutoring', 'caregiver-workshops']) expect(reach(yes, topic), topic).to.be.at.least(2 * reach(no, topic));
    });

    it('compares under-18s with everyone else and gets teen-programs reach ≥ 2× and coding-tech ≥ 1.5×', () => {
      const [young, rest] = [by((r) => r.answers.age === 'under-18'), by((r) => r.answers.age !== 'under-18')];
      expect(reach(young, 'teen-programs')).to.be.at.least(2 * reach(rest, 'teen-programs'));
      expect(reach(young, 'coding-tech')).to.be.at.least(1.5 * reach(rest, 'coding-tech'));
    });

    it('compares kiosk with web respondents and gets outreach-access reach ≥ 1.2×', () => {
      expect(reach(by((r) => r.channel === 'kiosk'), 'outreach-access')).to.be.at.least(1.2 * reach(by((r) => r.channel === 'web'), 'outreach-access'));
    });

    it(`compares ZIP ${DEMO_SAFETY_ZIP} with the other ZIP codes and gets public-safety reach ≥ 2×`, () => {
      const [zip, others] = [by((r) => r.answers.neighborhood === DEMO_SAFETY_ZIP), by((r) => typeof r.answers.neighborhood === 'string' && r.answers.neighborhood !== DEMO_SAFETY_ZIP)];
      expect(zip.length).to.be.above(300);
      expect(reach(zip, 'public-safety')).to.be.at.least(2 * reach(others, 'public-safety'));
    });

    it('compares non-English with English respondents and gets lower satisfaction and far more "language" barriers', () => {
      const rating = (rs: DemoResponse[]): number => meanOf(rs.flatMap((r) => (typeof r.answers.satisfaction === 'number' ? [r.answers.satisfaction] : [])));
      const [en, other] = [by((r) => r.lang === 'en'), by((r) => r.lang !== 'en')];
      expect(rating(other)).to.be.below(rating(en) - 0.15);
      const language = (rs: DemoResponse[]): number => share(rs, (r) => list(r.answers.barriers).includes('language'));
      expect(language(other)).to.be.above(3 * language(en));
    });
  });
});
