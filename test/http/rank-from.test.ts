import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { ResponseModel } from '../../surveys/response.model.js';
import { SurveyModel } from '../../surveys/survey.model.js';
import { seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { useStaffSession, useTestApp } from '../helpers/hooks.js';
import { buildDefinition, buildSurvey } from '../fixtures/builders.js';
import { follow } from '../helpers/form-state.js';

/** The built-in template: `priorities` ranks from `interests`, which has "None of these". */
const URL = '/s/community-needs';

function form(extra: Record<string, string | string[]>, sid = 'rank-from-submission-01'): Record<string, string | string[]> {
  return { sid, lang: 'en', ...extra };
}

describe('ranking what was chosen (rankFrom) and "none of these" on the template', () => {
  const ctx = useTestApp(() => seedBuiltInSurveys());

  const post = (body: Record<string, string | string[]>, path = URL): request.Test => request(ctx.app).post(path).type('form').send(body);

  it('GET /s/community-needs lists every topic in the ranking with a note, marks the ranking with data-rank-from and "None of these" as exclusive', async () => {
    const $ = cheerio.load((await request(ctx.app).get(URL).expect(200)).text);
    expect($('#q-priorities').attr('data-rank-from')).to.equal('interests');
    expect($('#q-priorities').attr('hidden')).to.equal(undefined);
    expect($('#q-priorities-rank-1 option[value]').filter((_, o) => $(o).attr('value') !== '')).to.have.length(17);
    expect($('#q-priorities .ranking__from').text()).to.contain('Rank only topics you ticked in “Which kinds of library programs');
    expect($('#q-interests-none').attr('data-exclusive')).to.equal('');
    expect($('label[for=q-interests-none]').text()).to.equal('None of these');
  });

  it('POST two interests and a rank of a third topic: 422 with the localized rankNotChosen error, the ranking now lists only the two chosen, and what was typed is kept', async () => {
    const res = await post(form({ 'q:interests': ['job-skills', 'health-wellness'], 'rank:priorities:1': 'coding-tech', 'q:ideas': 'More evening hours' })).expect(422);
    const $ = cheerio.load(res.text);
    expect($('#q-priorities-error').text()).to.contain('You can rank only topics you chose in “Which kinds of library programs');
    expect($('#q-priorities-error').text()).to.contain('“Coding and technology clubs” was not one of them');
    const offered = $('#q-priorities-rank-1 option').map((_, o) => $(o).attr('value')).get().filter(Boolean);
    expect(offered).to.deep.equal(['job-skills', 'health-wellness']);
    expect($('#q-priorities select')).to.have.length(2);
    expect($('#q-priorities').attr('data-rank-from')).to.equal('interests');
    expect(JSON.parse($('#q-priorities .ranking').attr('data-all-options')!)).to.have.length(17);
    expect($('#q-interests-job-skills').attr('checked')).to.equal('checked');
    expect($('textarea[name="q:ideas"]').text()).to.equal('More evening hours');
    expect(await ResponseModel.countDocuments()).to.equal(0);
  });

  it('POST the same mistake in Spanish: 422 with the error in Spanish', async () => {
    const res = await post(form({ lang: 'es', 'q:interests': ['job-skills', 'health-wellness'], 'rank:priorities:1': 'coding-tech' })).expect(422);
    expect(cheerio.load(res.text)('#q-priorities-error').text()).to.contain('Solo puede clasificar los temas que eligió en «');
  });

  it('POST as JSON (the offline queue) the same mistake: 422 with code rankNotChosen for priorities, not a 500', async () => {
    const res = await post(form({ 'q:interests': ['job-skills', 'health-wellness'], 'rank:priorities:1': 'coding-tech' })).set('Accept', 'application/json').expect(422);
    expect(res.body.error.problems).to.deep.equal([{ field: 'priorities', code: 'rankNotChosen', params: { option: 'coding-tech', question: 'interests' } }]);
  });

  it('POST three interests ranked in order: 303 and the ranking stored over the subset', async () => {
    await post(form({ 'q:interests': ['job-skills', 'health-wellness', 'coding-tech'], 'rank:priorities:1': 'health-wellness', 'rank:priorities:2': 'coding-tech', 'rank:priorities:3': 'job-skills' })).expect(303);
    const doc = (await ResponseModel.findOne().lean())!;
    expect(doc.answers.priorities).to.deep.equal(['health-wellness', 'coding-tech', 'job-skills']);
  });

  it('POST one interest and no ranking (the required ranking is not asked): 303 and that interest stored as first place', async () => {
    await post(form({ 'q:interests': ['esl-citizenship'] })).expect(303);
    const doc = (await ResponseModel.findOne().lean())!;
    expect(doc.answers.priorities).to.deep.equal(['esl-citizenship']);
  });

  it('POST "None of these" alone: 303, stored with no ranking', async () => {
    await post(form({ 'q:interests': ['none'] })).expect(303);
    const doc = (await ResponseModel.findOne().lean())!;
    expect(doc.answers.interests).to.deep.equal(['none']);
    expect(doc.answers).to.not.have.property('priorities');
  });

  it('POST "None of these" with a topic: 422 with the localized exclusive error in Arabic, nothing stored', async () => {
    const res = await post(form({ lang: 'ar', 'q:interests': ['none', 'job-skills'], 'rank:priorities:1': 'job-skills' })).expect(422);
    const $ = cheerio.load(res.text);
    expect($('#q-interests-error').text()).to.contain('لا يمكن الجمع بين «لا شيء مما سبق» وإجابات أخرى');
    expect(await ResponseModel.countDocuments()).to.equal(0);
  });

  it('POST a language switch after choosing one interest: the form comes back with the ranking hidden (not asked)', async () => {
    const res = await post(form({ switchLang: 'es', 'q:interests': ['job-skills'] })).expect(200);
    const $ = cheerio.load(res.text);
    expect($('html').attr('lang')).to.equal('es');
    expect($('#q-priorities').attr('hidden')).to.equal('hidden');
  });

  it('POST a kiosk answer ranking an unchosen topic: 303 to the kiosk form, shown 422 too', async () => {
    const step = await post(form({ 'q:interests': ['job-skills', 'teen-programs'], 'rank:priorities:1': 'arts-crafts' }), '/kiosk/community-needs/answer').expect(303);
    expect((await follow(ctx.app, step)).status).to.equal(422);
  });
});

describe('uploading a definition with a wrong rankFrom', () => {
  const session = useStaffSession(buildSurvey);
  const upload = (def: unknown, hl = 'en'): request.Test =>
    session.staff.post(`/staff/surveys/upload?hl=${hl}`).field('_csrf', session.token).field('target', 'new').attach('definition', Buffer.from(JSON.stringify(def)), 'survey.json');

  /** The fixture with `priorities` ranking from `interests` (its options as interests', topics kept). */
  function withRankFrom(rankFrom: string, slug: string): Record<string, unknown> {
    const def = buildDefinition({ slug }) as unknown as { questions: Record<string, unknown>[] } & Record<string, unknown>;
    const questions = def.questions.map((q) => ({ ...q }));
    questions[1] = { ...questions[1], rankFrom };
    return { ...def, questions };
  }

  it('upload ranking from a question with other topics: 422 naming questions[1].rankFrom rankFromOptionsDiffer in words, nothing saved', async () => {
    const $ = cheerio.load((await upload(withRankFrom('interests', 'rank-from-bad')).expect(422)).text);
    const item = $('.definition-problems li[data-code="rankFromOptionsDiffer"]');
    expect(item.find('.path').text()).to.equal('questions[1].rankFrom');
    expect(item.find('.problem-message').text()).to.equal('The ranking and “interests” must offer the same options with the same topics; “health-wellness” is not the same in both.');
    expect(await SurveyModel.countDocuments({ slug: 'rank-from-bad' })).to.equal(0);
  });

  it('upload ranking from a later question, in Spanish: 422 with rankFromLater in Spanish', async () => {
    const $ = cheerio.load((await upload(withRankFrom('rating', 'rank-from-later'), 'es').expect(422)).text);
    expect($('.definition-problems li[data-code="rankFromLater"] .problem-message').text()).to.equal('La clasificación toma sus opciones de «rating», que aparece más adelante en la encuesta. Solo puede usar una pregunta anterior.');
  });

  it('upload ranking from a question that does not exist: 422 with rankFromUnknownQuestion', async () => {
    const $ = cheerio.load((await upload(withRankFrom('hobbies', 'rank-from-unknown')).expect(422)).text);
    expect($('.definition-problems li[data-code="rankFromUnknownQuestion"] .path').text()).to.equal('questions[1].rankFrom');
  });
});
