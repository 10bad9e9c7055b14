import { expect } from 'chai';
import request from 'supertest';
import { generateResponses } from '../../surveys/demo-data.js';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
import type { SurveyDefinition } from '../../surveys/definition.schema.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { publishSurvey, seedBuiltInSurveys, setSurveyStatus, findSurvey } from '../../surveys/survey.service.js';
import { tallyFor } from '../../surveys/insights.service.js';
import { NO_FILTER, recount, sortedTallies } from '../helpers/recount.js';
import { useTestApp } from '../helpers/hooks.js';
import { toFormFields } from '../fixtures/form-fields.js';

const sorted = sortedTallies;

describe('counters from the analytical copy', function () {
  this.timeout(120000);
  const ctx = useTestApp(seedBuiltInSurveys);

  it('after a mixed workload (web and kiosk, six languages, retries, invalid and conflicting posts, a new version), the copy\'s counters equal a recount of the stored responses', async () => {
    let survey = (await findSurvey('community-needs'))!;
    const post = (path: string, body: Record<string, unknown>): request.Test => request(ctx.app).post(path).type('form').send(body as Record<string, string>);
    const generated = [...generateResponses({ definition: survey.definition, version: 1, count: 70, seed: 3, start: new Date('2026-10-01T00:00:00Z'), days: 10 })];
    let stored = 0;
    for (const [i, r] of generated.entries()) {
      const kiosk = i % 3 === 0;
      const path = kiosk ? '/kiosk/community-needs/answer' : '/s/community-needs';
      const body = { sid: `mixed-workload-${i.toString().padStart(4, '0')}`, lang: r.lang, ...(kiosk ? { location: i % 2 ? 'Main Branch' : 'Eastside' } : {}), ...toFormFields(survey.definition, r) };
      await post(path, body).expect(303);
      stored++;
      if (i % 7 === 0) await post(path, body).expect(303); // a retry of the same submission
      if (i % 11 === 0) await post(path, { ...body, 'q:satisfaction': '5', 'q:household': '3', 'q:visits': 'weekly' }).expect((res) => expect(res.status).to.be.oneOf([303, 409]));
      if (i % 13 === 0) await post(path, { ...body, sid: `invalid-${i}-xxxxxxxxxx`, 'q:household': '500' }).expect(kiosk ? 303 : 422); // a kiosk redirects to the form shown with the error
      if (i === 35) {
        // Publish version 2 (a new interest option); later responses answer it.
        const def = structuredClone(survey.definition) as SurveyDefinition;
        const interests = def.questions.find((q) => q.id === 'interests')!;
        if (interests.type === 'multi') interests.options.push({ id: 'cooking', label: { en: 'Cooking classes' } });
        survey = await publishSurvey(def);
        expect(survey.version).to.equal(2);
      }
    }
    await post('/s/community-needs', { sid: 'with-new-option-0001', lang: 'en', 'q:interests': ['cooking', 'job-skills'], 'rank:priorities:1': 'job-skills' }).expect(303);
    stored++;
    await setSurveyStatus('community-needs', 'closed');
    await post('/s/community-needs', { sid: 'after-closing-000001', lang: 'en', 'q:interests': 'job-skills', 'rank:priorities:1': 'job-skills' }).expect(410);

    const count = await ResponseModel.countDocuments({ surveySlug: 'community-needs' });
    const live = await tallyFor(survey, NO_FILTER);
    expect(live.get('total')).to.equal(count);
    expect(count).to.be.within(stored - 6, stored); // conflicting posts may have replaced nothing
    expect(live.get('a:interests:cooking')).to.equal(1);
    expect(live.get('channel:kiosk')).to.be.above(10);

    expect(sorted(await recount(survey))).to.deep.equal(sorted(live));
  });

  it('seedDemoSurvey (inserting directly): the copy\'s counters equal a recount of the stored responses', async () => {
    const demo = await seedDemoSurvey({ slug: 'demo-counted', count: 300, seed: 5, days: 20, end: new Date('2026-06-01T00:00:00Z') });
    const live = await tallyFor(demo, NO_FILTER);
    expect(live.get('total')).to.equal(300);
    expect(sorted(await recount(demo))).to.deep.equal(sorted(live));
  });

  it('a location with "$" and "." is counted under its own name', async () => {
    await request(ctx.app).post('/kiosk/community-needs/answer').type('form').send({ sid: 'tally-keys-000000001', lang: 'en', location: '$where.evil', 'q:interests': 'job-skills', 'rank:priorities:1': 'job-skills' }).expect(303);
    const survey = (await findSurvey('community-needs'))!;
    expect((await tallyFor(survey, NO_FILTER)).get('loc:$where.evil')).to.equal(1);
    expect((await tallyFor(survey, { answers: {}, location: '$where.evil', weighted: false })).get('total')).to.equal(1);
  });
});
