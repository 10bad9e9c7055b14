import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import type request from 'supertest';
import { SurveyModel } from '../../surveys/survey.model.js';
import { findSurvey } from '../../surveys/survey.service.js';
import { buildTestApp } from '../helpers/app.js';
import { csrfFrom, signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { buildDefinition, buildSurvey } from '../fixtures/builders.js';

type Agent = ReturnType<typeof request.agent>;

describe('survey builder: definition download and upload', () => {
  let app: Express;
  let staff: Agent;
  let token: string;
  before(async () => {
    ({ app } = await buildTestApp());
  });
  beforeEach(async () => {
    await clearDatabase();
    await buildSurvey();
    ({ agent: staff } = await signedInAgent(app, 'staff'));
    token = csrfFrom((await staff.get('/staff/surveys').expect(200)).text);
  });
  const upload = (file: Buffer, fields: Record<string, string> = {}, name = 'survey.json') => {
    let req = staff.post('/staff/surveys/upload').field('_csrf', token);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('definition', file, name);
  };

  it('download then upload as the next version gives the same survey; as a new survey (another slug) the same questions', async () => {
    const res = await staff.get('/staff/surveys/test-survey/definition.json').expect(200).expect('content-type', /application\/json/).expect('content-disposition', /^attachment; filename="?test-survey-v1\.json"?$/);
    const downloaded = JSON.parse(res.text);
    expect(downloaded).to.deep.equal((await findSurvey('test-survey'))!.definition);

    const asVersion = await upload(Buffer.from(res.text), { target: 'version' }).expect(303);
    expect(asVersion.headers.location).to.equal('/staff/surveys/test-survey/edit?notice=uploadedVersion');
    const v2 = (await findSurvey('test-survey'))!;
    expect(v2.version).to.equal(2);
    expect(v2.definition).to.deep.equal(downloaded);

    await upload(Buffer.from(res.text), { target: 'new', slug: 'test-survey-copy' }).expect(303);
    const copy = (await findSurvey('test-survey-copy'))!;
    expect(copy).to.include({ version: 1, status: 'closed' });
    expect(copy.definition).to.deep.equal({ ...downloaded, slug: 'test-survey-copy' });
  });

  it('upload as a draft stores the draft only; a second draft upload needs the replace box', async () => {
    const file = Buffer.from(JSON.stringify(buildDefinition({ title: { en: 'From a file' } })));
    await upload(file, { target: 'draft' }).expect(303);
    expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft.title).to.deep.equal({ en: 'From a file' });
    expect((await findSurvey('test-survey'))!.version).to.equal(1);
    const refused = cheerio.load((await upload(file, { target: 'draft' }).expect(422)).text);
    expect(refused('#replaceDraft').attr('aria-invalid')).to.equal('true');
    await upload(file, { target: 'draft', replaceDraft: '1' }).expect(303);
  });

  it('upload as a new survey with a slug that exists answers 422 and overwrites nothing', async () => {
    const file = Buffer.from(JSON.stringify(buildDefinition({ title: { en: 'Overwrite?' } })));
    const $ = cheerio.load((await upload(file, { target: 'new' }).expect(422)).text);
    expect($('#target-error').text()).to.contain('test-survey');
    expect((await findSurvey('test-survey'))!.definition.title.en).to.equal('Test survey');
  });

  it('upload of a definition whose conditions form a cycle answers 422 naming the path, and saves nothing', async () => {
    const def = buildDefinition({ slug: 'cyclic' });
    const questions = def.questions.map((q) => ({ ...q }));
    questions[6] = { ...questions[6]!, showIf: { question: 'grades', anyOf: ['high'] } } as (typeof questions)[number];
    const res = await upload(Buffer.from(JSON.stringify({ ...def, questions })), { target: 'new' }).expect(422);
    const $ = cheerio.load(res.text);
    const problems = $('.definition-problems li').map((_, el) => $(el).text()).get().join('\n');
    expect($('.definition-problems .path').map((_, el) => $(el).text()).get()).to.include('questions[6].showIf');
    expect(problems).to.contain('cycle');
    expect(await SurveyModel.countDocuments({ slug: 'cyclic' })).to.equal(0);
  });

  it('upload of an invalid definition lists every problem by path', async () => {
    const def = buildDefinition({ slug: 'broken', languages: ['es'] });
    const res = await upload(Buffer.from(JSON.stringify({ ...def, questions: [{ id: 'q', type: 'single', label: { en: 'Q' }, options: [] }] })), { target: 'new' }).expect(422);
    const $ = cheerio.load(res.text);
    expect($('.definition-problems .path').map((_, el) => $(el).text()).get()).to.include('questions[0].options');
  });

  it('upload of malformed JSON answers 422 with a clear message beside the file field', async () => {
    const $ = cheerio.load((await upload(Buffer.from('{ "slug": "x", '), { target: 'new' }).expect(422)).text);
    expect($('#definition-error').text()).to.contain('not valid JSON');
    expect($('#definition').attr('aria-invalid')).to.equal('true');
  });

  it('upload of a 2 MB file answers 413', async () => {
    const big = Buffer.from(`{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    const $ = cheerio.load((await upload(big, { target: 'new' }).expect(413)).text);
    expect($('#definition-error').text()).to.contain('1 MB');
  });

  it('upload without a file answers 422', async () => {
    await staff.post('/staff/surveys/upload').field('_csrf', token).field('target', 'new').expect(422);
  });

  it('upload without the CSRF token answers 403', async () => {
    await staff.post('/staff/surveys/upload').field('target', 'new').attach('definition', Buffer.from('{}'), 'x.json').expect(403);
  });
});
