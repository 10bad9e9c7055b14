import { expect } from 'chai';
import request from 'supertest';
import { generateResponses } from '../../surveys/demo-data.js';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
import type { SurveyDefinition } from '../../surveys/definition.schema.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { publishSurvey, seedBuiltInSurveys, setSurveyStatus, findSurvey } from '../../surveys/survey.service.js';
import { TallyModel } from '../../surveys/tally.model.js';
import { readTallies, rebuildTallies, talliesSettled } from '../../surveys/tally.service.js';
import { useTestApp } from '../helpers/hooks.js';
import { toFormFields } from '../fixtures/form-fields.js';

const sorted = (m: Map<string, number>): [string, number][] => [...m].filter(([, v]) => v !== 0).sort(([a], [b]) => a.localeCompare(b));

describe('tallies', function () {
  this.timeout(120000);
  const ctx = useTestApp(seedBuiltInSurveys);

  it('after a mixed workload (web and kiosk, six languages, retries, invalid and conflicting posts, a new version), rebuilt tallies equal the live ones', async () => {
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
      if (i % 13 === 0) await post(path, { ...body, sid: `invalid-${i}-xxxxxxxxxx`, 'q:household': '500' }).expect(422);
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
    const live = await readTallies('community-needs');
    expect(live.get('total')).to.equal(count);
    expect(count).to.be.within(stored - 6, stored); // conflicting posts may have replaced nothing
    expect(live.get('a:interests:cooking')).to.equal(1);
    expect(live.get('channel:kiosk')).to.be.above(10);

    const rebuilt = await rebuildTallies('community-needs', survey.definition);
    expect(sorted(rebuilt.all)).to.deep.equal(sorted(live));
    expect(sorted(await readTallies('community-needs'))).to.deep.equal(sorted(live));
  });

  it('seedDemoSurvey counts while inserting (nothing read back): its counters equal a rebuild from the stored responses', async () => {
    const demo = await seedDemoSurvey({ slug: 'demo-counted', count: 300, seed: 5, days: 20, end: new Date('2026-06-01T00:00:00Z') });
    const live = await readTallies(demo.slug);
    expect(live.get('total')).to.equal(300);
    expect(sorted((await rebuildTallies(demo.slug, demo.definition)).all)).to.deep.equal(sorted(live));
  });

  it('counter documents keep user text out of paths: one document per segment (<slug>|<segment>), counter keys escaped as field names and read back unchanged', async () => {
    await request(ctx.app).post('/kiosk/community-needs/answer').type('form').send({ sid: 'tally-keys-000000001', lang: 'en', location: '$where.evil', 'q:interests': 'job-skills', 'rank:priorities:1': 'job-skills' }).expect(303);
    await talliesSettled(); // the counters are written behind the answer
    const everyone = (await TallyModel.findById('community-needs|*').lean())!;
    expect(Object.keys(everyone).sort()).to.deep.equal(['_id', 'c', 'segment', 'segmentsCounted', 'survey']);
    expect(everyone.segmentsCounted).to.equal(true); // its segments were counted from the first answer
    expect(Object.keys((await TallyModel.findById('community-needs|lang=en').lean())!).sort()).to.deep.equal(['_id', 'c', 'segment', 'survey']);
    expect(everyone.c).to.include({ total: 1, 'loc:%24where%2Eevil': 1 });
    expect(Object.keys(everyone.c as object).filter((f) => f.includes('.') || f.startsWith('$'))).to.deep.equal([]);
    const place = (await TallyModel.findById('community-needs|location=$where.evil').lean())!;
    expect(place.segment).to.equal('location=$where.evil');
    expect((await readTallies('community-needs')).get('loc:$where.evil')).to.equal(1);
  });
});
