import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import { generateResponses } from '../../surveys/demo-data.js';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
import type { SurveyDefinition } from '../../surveys/definition.schema.js';
import { parseFilter } from '../../surveys/filters.js';
import { countMatching, tallyFor } from '../../surveys/insights.service.js';
import { reconcileAll } from '../../surveys/reconcile.service.js';
import { TallyModel } from '../../surveys/tally.model.js';
import { findSurvey, publishSurvey, seedBuiltInSurveys, type SurveySnapshot } from '../../surveys/survey.service.js';
import { readSegmentTallies, rebuildTallies, talliesSettled } from '../../surveys/tally.service.js';
import { filterSegment } from '../../surveys/tally-segments.js';
import { useTestApp } from '../helpers/hooks.js';
import { toFormFields } from '../fixtures/form-fields.js';

const sorted = (m: Map<string, number>): [string, number][] => [...m].filter(([, v]) => v !== 0).sort(([a], [b]) => a.localeCompare(b));
const HOSTILE_PLACE = 'St. Mary’s $hall.2 %2E';

/** Every one-condition filter the survey's answers allow (one per language, channel, location, option, rating and household size). */
function oneConditionFilters(def: SurveyDefinition): Record<string, string>[] {
  const filters: Record<string, string>[] = [];
  for (const lang of ['en', 'es', 'zh-Hans', 'vi', 'ar', 'ht']) filters.push({ lang });
  for (const channel of ['web', 'kiosk', 'paper']) filters.push({ channel });
  for (const location of ['Main Branch', HOSTILE_PLACE, 'Nowhere']) filters.push({ location });
  for (const q of def.questions) {
    if ('options' in q) for (const o of [...q.options.map((x) => x.id), ...('other' in q && q.other ? ['other'] : [])]) filters.push({ [`q.${q.id}`]: o });
  }
  for (const v of ['1', '2', '3', '4', '5']) filters.push({ 'q.satisfaction': v });
  for (const v of ['1', '2', '03', '4']) filters.push({ 'q.household': v });
  return filters;
}

async function expectSegmentsEqualCounting(survey: SurveySnapshot): Promise<number> {
  let nonEmpty = 0;
  for (const query of oneConditionFilters(survey.definition)) {
    const filter = parseFilter(survey.definition, query);
    const segment = filterSegment(survey.definition, filter);
    expect(segment, JSON.stringify(query)).to.be.a('string');
    const live = await readSegmentTallies(survey.slug, segment!);
    expect(live, `segment ${segment} is complete`).to.be.instanceOf(Map);
    const counted = await countMatching(survey, filter);
    expect(sorted(live!), `segment ${segment}`).to.deep.equal(sorted(counted));
    expect(sorted(await tallyFor(survey, filter))).to.deep.equal(sorted(counted));
    if ((counted.get('total') ?? 0) > 0) nonEmpty++;
  }
  return nonEmpty;
}

describe('segment counters', function () {
  this.timeout(180000);
  const ctx = useTestApp(seedBuiltInSurveys);

  it('after web and kiosk answers in six languages at two locations (one named with ".", "$" and "%"), "other" answers and a new version, every one-condition view reads its segment, equal to counting the matching responses, and a rebuild gives the same', async () => {
    let survey = (await findSurvey('community-needs'))!;
    const generated = [...generateResponses({ definition: survey.definition, version: 1, count: 60, seed: 11, start: new Date('2026-10-01T00:00:00Z'), days: 10 })];
    for (const [i, r] of generated.entries()) {
      const kiosk = i % 3 === 0;
      const body = { sid: `segment-workload-${i.toString().padStart(4, '0')}`, lang: r.lang, ...(kiosk ? { location: i % 2 ? 'Main Branch' : HOSTILE_PLACE } : {}), ...toFormFields(survey.definition, r) };
      if (i % 5 === 0) Object.assign(body, { 'other:interests': 'Knitting circle' });
      await request(ctx.app).post(kiosk ? '/kiosk/community-needs/answer' : '/s/community-needs').type('form').send(body).expect(303);
      if (i === 30) {
        const def = structuredClone(survey.definition) as SurveyDefinition;
        const interests = def.questions.find((q) => q.id === 'interests')!;
        if (interests.type === 'multi') interests.options.push({ id: 'cooking', label: { en: 'Cooking classes' } });
        survey = await publishSurvey(def);
      }
    }
    await request(ctx.app).post('/s/community-needs').type('form').send({ sid: 'segment-new-option-01', lang: 'en', 'q:interests': ['cooking', 'job-skills'], 'rank:priorities:1': 'job-skills' }).expect(303);
    await talliesSettled();

    const nonEmpty = await expectSegmentsEqualCounting(survey);
    expect(nonEmpty).to.be.above(30);
    expect((await readSegmentTallies('community-needs', 'q.interests=cooking'))!.get('total')).to.equal(1);
    expect((await readSegmentTallies('community-needs', `location=${HOSTILE_PLACE}`))!.get('total')).to.be.above(3);
    const hostile = (await TallyModel.findById(`community-needs|location=${HOSTILE_PLACE}`).lean())!;
    expect(Object.keys(hostile.c as object).every((field) => !field.includes('.') && !field.startsWith('$'))).to.equal(true);

    const before = await TallyModel.countDocuments({ survey: 'community-needs' });
    await rebuildTallies('community-needs', survey.definition);
    expect(await TallyModel.countDocuments({ survey: 'community-needs' })).to.equal(before);
    expect(await expectSegmentsEqualCounting(survey)).to.equal(nonEmpty);
  });

  it("answers another instance has counted in everyone's counters but not yet in the segments (its segment writes pause while busy) do not make the segments look incomplete", async () => {
    const demo = await seedDemoSurvey({ slug: 'demo-two-instances', count: 120, seed: 9, days: 10, end: new Date('2026-06-01T00:00:00Z') });
    // The other instance's write of everyone's counters (3 more answers) has landed, its segment write has not.
    await TallyModel.collection.updateOne({ _id: `${demo.slug}|*` as never }, { $inc: { 'c.total': 3 } });
    const spanish = parseFilter(demo.definition, { lang: 'es' });
    const counted = await countMatching(demo, spanish);
    expect(counted.get('total')).to.be.above(5);
    expect(sorted((await readSegmentTallies(demo.slug, 'lang=es'))!)).to.deep.equal(sorted(counted));
    expect(sorted(await tallyFor(demo, spanish))).to.deep.equal(sorted(counted));
  });

  it('a survey counted before segments existed: one-condition views count the responses (still right), and reconciliation adds the segments', async () => {
    const demo = await seedDemoSurvey({ slug: 'demo-before-segments', count: 250, seed: 8, days: 15, end: new Date('2026-06-01T00:00:00Z') });
    await TallyModel.deleteMany({ survey: demo.slug, segment: mongoose.trusted({ $ne: '*' }) }); // everyone's counters stay
    await TallyModel.collection.updateOne({ _id: `${demo.slug}|*` as never }, { $unset: { segmentsCounted: 1 } }); // as written before segments
    const spanish = parseFilter(demo.definition, { lang: 'es' });
    expect(await readSegmentTallies(demo.slug, 'lang=es')).to.equal(null);
    const counted = await countMatching(demo, spanish);
    expect(counted.get('total')).to.be.above(10);
    expect(sorted(await tallyFor(demo, spanish))).to.deep.equal(sorted(counted));

    const { rebuilt } = await reconcileAll();
    expect(rebuilt).to.include(demo.slug);
    expect(sorted((await readSegmentTallies(demo.slug, 'lang=es'))!)).to.deep.equal(sorted(counted));
    expect((await reconcileAll()).rebuilt).not.to.include(demo.slug);
  });
});
