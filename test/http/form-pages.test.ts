import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import { pageWeight } from '../../bench/pages.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { buildTestApp } from '../helpers/app.js';
import { clearDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/hooks.js';
import { buildSurvey, pagedDefinition } from '../fixtures/builders.js';
import { fieldsOf, shownPage, type Form } from '../helpers/form-fields.js';
import { follow } from '../helpers/form-state.js';

const SID = 'paged-submission-0001';

describe('respondent form in pages, without JavaScript (ordinary posts)', () => {
  let app: Express;
  before(async () => {
    ({ app } = await buildTestApp());
  });
  beforeEach(async () => {
    await clearDatabase();
    await buildSurvey(pagedDefinition());
  });

  async function first(): Promise<Form> {
    const res = await request(app).get('/s/test-survey').expect(200);
    return fieldsOf(res.text);
  }

  function post(form: Form, path = '/s/test-survey') {
    return request(app).post(path).type('form').send(form);
  }

  it('GET shows the first page: "Page 1 of 2" (the children page waits on an answer), Next, no Back, no Send, other pages hidden', async () => {
    const res = await request(app).get('/s/test-survey').expect(200);
    const $ = cheerio.load(res.text);
    expect(shownPage($)).to.deep.equal(['page-start']);
    expect($('[data-progress-text]').text()).to.equal('Page 1 of 2');
    expect($('progress').attr('value')).to.equal('1');
    expect($('progress').attr('max')).to.equal('2');
    expect($('title').text()).to.contain('Page 1 of 2');
    expect($('#page-start h2').text()).to.equal('Your interests');
    expect($('[data-next]').is('[hidden]')).to.equal(false);
    expect($('[data-send]').is('[hidden]')).to.equal(true);
    expect($('[data-back]').is('[hidden]')).to.equal(true);
    expect($('[data-form-end]').is('[hidden]')).to.equal(true);
    expect($('input[name=page]').val()).to.equal('0');
  });

  it('POST step=next with a required answer missing: 422 on the same page with the error summary and the error in place; nothing stored', async () => {
    const form = { ...(await first()), step: 'next' };
    const res = await post(form).expect(422);
    const $ = cheerio.load(res.text);
    expect(shownPage($)).to.deep.equal(['page-start']);
    expect($('#error-summary a').attr('href')).to.equal('#q-interests');
    expect($('#q-interests .question__error').text()).to.contain('Please answer this question.');
    expect(await ResponseModel.countDocuments()).to.equal(0);
  });

  it('POST step=next leaving a valid page checks only that page (a bad answer on a later page is not reported yet)', async () => {
    const form = { ...(await first()), 'q:interests': ['job-skills'], 'q:children': 'no', 'q:household': '999', step: 'next' };
    const res = await post(form).expect(200);
    const $ = cheerio.load(res.text);
    expect(shownPage($)).to.deep.equal(['page-more']);
    expect($('.question__error').length).to.equal(0);
  });

  it('POST step=next with children "no" skips the children page: page 3 is "Page 2 of 2", the last, with Send, Back and the contact block; answers so far kept in the hidden page', async () => {
    const form = { ...(await first()), 'q:interests': ['job-skills', 'coding-tech'], 'q:children': 'no', step: 'next' };
    const res = await post(form).expect(200);
    const $ = cheerio.load(res.text);
    expect(shownPage($)).to.deep.equal(['page-more']);
    expect($('[data-progress-text]').text()).to.equal('Page 2 of 2');
    expect($('input[name=page]').val()).to.equal('2');
    expect($('[data-send]').is('[hidden]')).to.equal(false);
    expect($('[data-next]').is('[hidden]')).to.equal(true);
    expect($('[data-back]').is('[hidden]')).to.equal(false);
    expect($('[data-form-end]').is('[hidden]')).to.equal(false);
    expect($('#q-interests-job-skills').is('[checked]')).to.equal(true);
    expect($('#q-interests-coding-tech').is('[checked]')).to.equal(true);
    expect($('#q-children-no').is('[checked]')).to.equal(true);
    expect(res.headers['set-cookie'] ?? []).to.satisfy((cookies: string[]) => cookies.every((c) => !/session/i.test(c)));
    expect(await ResponseModel.countDocuments()).to.equal(0);
  });

  it('POST step=next with children "yes" goes to the children page ("Page 2 of 3"); Next there with no grade: 422 on that page', async () => {
    const onKids = await post({ ...(await first()), 'q:interests': 'job-skills', 'q:children': 'yes', step: 'next' }).expect(200);
    let $ = cheerio.load(onKids.text);
    expect(shownPage($)).to.deep.equal(['page-kids']);
    expect($('[data-progress-text]').text()).to.equal('Page 2 of 3');
    const res = await post({ ...fieldsOf(onKids.text), step: 'next' }).expect(422);
    $ = cheerio.load(res.text);
    expect(shownPage($)).to.deep.equal(['page-kids']);
    expect($('#error-summary a').attr('href')).to.equal('#q-grades');
  });

  it('POST step=back from the last page goes to the first (skipping the hidden children page) without checking the page left', async () => {
    const last = await post({ ...(await first()), 'q:interests': 'job-skills', 'q:children': 'no', step: 'next' }).expect(200);
    const res = await post({ ...fieldsOf(last.text), 'q:household': 'lots', step: 'back' }).expect(200);
    const $ = cheerio.load(res.text);
    expect(shownPage($)).to.deep.equal(['page-start']);
    expect($('.question__error').length).to.equal(0);
    expect($('#q-household-input').val()).to.equal('lots');
    expect($('[data-progress-text]').text()).to.equal('Page 1 of 2');
  });

  it('POST switchLang=es on the last page: the same page comes back in Spanish with every answer kept', async () => {
    const last = await post({ ...(await first()), 'q:interests': 'coding-tech', 'q:children': 'yes', 'q:grades': 'high', step: 'next' }).expect(200);
    const onMore = await post({ ...fieldsOf(last.text), step: 'next' }).expect(200);
    const res = await post({ ...fieldsOf(onMore.text), 'q:name': 'Ana', switchLang: 'es' }).expect(200);
    const $ = cheerio.load(res.text);
    expect($('html').attr('lang')).to.equal('es');
    expect(shownPage($)).to.deep.equal(['page-more']);
    expect($('[data-progress-text]').text()).to.equal('Página 3 de 3');
    expect($('#q-name-input').val()).to.equal('Ana');
    expect($('#q-interests-coding-tech').is('[checked]')).to.equal(true);
    expect($('#q-grades-high').is('[checked]')).to.equal(true);
    expect($('#page-kids h2').text()).to.equal('Sus hijos');
  });

  it('the last page posted without a step stores exactly one response (303 to thanks); posted again with the same id, 303 and still one', async () => {
    const last = await post({ ...(await first()), sid: SID, 'q:interests': ['job-skills'], 'rank:priorities:1': 'coding-tech', 'q:children': 'no', step: 'next' }).expect(200);
    expect(await ResponseModel.countDocuments()).to.equal(0);
    const final: Form = { ...fieldsOf(last.text), 'q:household': '3' };
    expect(final.sid).to.equal(SID);
    const res = await post(final).expect(303);
    expect(res.headers.location).to.equal('/s/test-survey/thanks?lang=en');
    await post(final).expect(303);
    const stored = await ResponseModel.find().lean();
    expect(stored).to.have.length(1);
    expect(stored[0]!.answers).to.deep.equal({ interests: ['job-skills'], priorities: ['coding-tech'], children: 'no', household: 3 });
  });

  it('a final post with a problem on an earlier page comes back 422 on that page with the error', async () => {
    const res = await post({ ...(await first()), 'q:children': 'no', 'q:household': '3', page: '2' }).expect(422);
    const $ = cheerio.load(res.text);
    expect(shownPage($)).to.deep.equal(['page-start']);
    expect($('#error-summary a').attr('href')).to.equal('#q-interests');
    expect(await ResponseModel.countDocuments()).to.equal(0);
  });

  it('a page number out of range or not a number is read as the first page', async () => {
    const res = await post({ ...(await first()), page: '99', step: 'next' }).expect(422);
    expect(shownPage(cheerio.load(res.text))).to.deep.equal(['page-start']);
    const odd = await post({ ...(await first()), page: 'x', 'q:interests': 'job-skills', step: 'back' }).expect(200);
    expect(shownPage(cheerio.load(odd.text))).to.deep.equal(['page-start']);
  });

  it('the kiosk form steps through the same pages and stores with channel kiosk', async () => {
    const page = await request(app).get('/kiosk/test-survey/answer').expect(200);
    // A kiosk step answers 303 to a plain page (answers in a sealed cookie: test/http/form-state.test.ts).
    const last = await follow(app, await post({ ...fieldsOf(page.text), 'q:interests': 'job-skills', 'q:children': 'no', step: 'next' }, '/kiosk/test-survey/answer').expect(303));
    expect(last.status).to.equal(200);
    expect(shownPage(cheerio.load(last.text))).to.deep.equal(['page-more']);
    await post(fieldsOf(last.text), '/kiosk/test-survey/answer').expect(303);
    const stored = await ResponseModel.find().lean();
    expect(stored.map((r) => r.channel)).to.deep.equal(['kiosk']);
  });

  it('a link marked for shared computers (?shared=1) keeps the mark through the pages, turns off drafts and autofill of contact fields', async () => {
    const res = await request(app).get('/s/test-survey?shared=1').expect(200);
    let $ = cheerio.load(res.text);
    expect($('input[name=shared]').val()).to.equal('1');
    expect($('#survey-form').attr('action')).to.equal('/s/test-survey?shared=1');
    expect($('#survey-form').is('[data-drafts]')).to.equal(false);
    expect($('#survey-form').is('[data-shared]')).to.equal(true);
    expect($('#draft-offer').length).to.equal(0);
    const last = await follow(app, await post({ ...fieldsOf(res.text), 'q:interests': 'job-skills', 'q:children': 'no', step: 'next' }).expect(303));
    $ = cheerio.load(last.text);
    expect($('input[name=shared]').val()).to.equal('1');
    expect($('#contact-email').attr('autocomplete')).to.equal('off');
    expect(last.headers['cache-control']).to.contain('no-store');
    const sent = await post({ ...fieldsOf(last.text), 'q:household': '2' }).expect(303);
    expect(sent.headers.location).to.equal('/s/test-survey/thanks?lang=en&shared=1');
    const thanks = cheerio.load((await request(app).get(sent.headers.location!).expect(200)).text);
    expect(thanks('a.button[href^="/s/test-survey"]').attr('href')).to.equal('/s/test-survey?lang=en&shared=1');
    const plain = cheerio.load((await request(app).get('/s/test-survey').expect(200)).text);
    expect(plain('#survey-form').is('[data-drafts]')).to.equal(true);
    expect(plain('input[name=shared]').length).to.equal(0);
  });

  it('a page answering a post is kept only in the person\'s own browser (private, no-cache: Back from thanks shows it without resending); kiosk and shared-computer steps redirect to no-store pages', async () => {
    const form = { ...(await first()), 'q:interests': 'job-skills', 'q:children': 'no', step: 'next' };
    expect((await post(form).expect(200)).headers['cache-control']).to.equal('private, no-cache');
    for (const step of [await post({ ...form, shared: '1' }).expect(303), await post(form, '/kiosk/test-survey/answer').expect(303)]) {
      expect(step.headers['cache-control']).to.contain('no-store');
      expect((await follow(app, step)).headers['cache-control']).to.contain('no-store');
    }
    expect((await request(app).get('/s/test-survey').expect(200)).headers['cache-control']).to.contain('no-store');
  });
});

describe('respondent form in pages: a question waiting on an earlier page', () => {
  it('without JavaScript, the grades question on page 2 is hidden after "no children" on page 1 and shown after "yes"', async () => {
    const { app } = await buildTestApp();
    await clearDatabase();
    const base = pagedDefinition();
    await buildSurvey({ ...base, pages: [{ id: 'start', questions: ['interests', 'priorities', 'children'] }, { id: 'more', questions: ['grades', 'rating', 'name', 'ideas', 'household'] }] });
    const first = fieldsOf((await request(app).get('/s/test-survey').expect(200)).text);
    for (const [children, hidden] of [['no', true], ['yes', false]] as const) {
      const res = await request(app).post('/s/test-survey').type('form').send({ ...first, 'q:interests': 'job-skills', 'q:children': children, step: 'next' }).expect(200);
      const $ = cheerio.load(res.text);
      expect(shownPage($)).to.deep.equal(['page-more']);
      expect($('#q-grades').is('[hidden]'), children).to.equal(hidden);
    }
  });
});

describe('respondent form without pages', () => {
  it('GET renders one page exactly as before: no progress, no Next or Back, Send and the contact block shown', async () => {
    const { app } = await buildTestApp();
    await clearDatabase();
    await buildSurvey();
    const $ = cheerio.load((await request(app).get('/s/test-survey').expect(200)).text);
    expect($('.form-progress').length).to.equal(0);
    expect($('[data-next], [data-back]').length).to.equal(0);
    expect($('[data-send]').is('[hidden]')).to.equal(false);
    expect($('[data-form-end]').is('[hidden]')).to.equal(false);
    expect($('section.form-page').length).to.equal(1);
    expect($('section.form-page h2').length).to.equal(0);
  });
});

describe('respondent form page weight', () => {
  it('a first visit to the four-page template (HTML, styles, scripts and the modules they import, gzip) stays within 30 KB, as the bench counts it', async function () {
    this.timeout(30_000);
    const { app } = await buildTestApp();
    await clearDatabase();
    await seedBuiltInSurveys();
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const { port } = server.address() as AddressInfo;
      const weight = await pageWeight(`http://127.0.0.1:${port}`, '/s/community-needs');
      const urls = weight.assets.map((a) => a.url);
      expect(urls).to.include.members(['/public/js/form.js', '/public/js/form-pages.js', '/public/js/form-drafts.js']);
      expect(weight.assets.every((a) => a.status < 400), JSON.stringify(weight.assets)).to.equal(true);
      expect(weight.totalBytes, JSON.stringify(weight.assets.map((a) => [a.url, a.bytes]))).to.be.at.most(30 * 1024);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the built-in template in pages, without JavaScript: the ranking on page 2 ranks the topics chosen on page 1 (rankFrom)', () => {
  const ctx = useTestApp(() => seedBuiltInSurveys());
  const post = (form: Form) => request(ctx.app).post('/s/community-needs').type('form').send(form);
  const optionsOf = ($: cheerio.CheerioAPI, selector: string): string[] => $(selector).map((_, o) => $(o).attr('value')).get().filter(Boolean);

  it('GET: the hidden page 2 lists every topic with a note; Next with two topics ticked: page 2 lists only those two, one select each, "put them in order", no note; ranked and sent through pages 3 and 4, stored in that order', async () => {
    const get = await request(ctx.app).get('/s/community-needs?lang=en').expect(200);
    let $ = cheerio.load(get.text);
    expect($('#page-taking-part').is('[hidden]')).to.equal(true);
    expect($('#q-priorities .ranking__from').text()).to.contain('Rank only topics you ticked in');
    expect(optionsOf($, '#q-priorities-rank-1 option').length).to.be.greaterThan(10);
    const two = await post({ ...fieldsOf(get.text), 'q:interests': ['coding-tech', 'job-skills'], step: 'next' }).expect(200);
    $ = cheerio.load(two.text);
    expect(shownPage($)).to.deep.equal(['page-taking-part']);
    expect($('[data-progress-text]').text()).to.equal('Page 2 of 4');
    expect($('#q-priorities').is('[hidden]')).to.equal(false);
    expect($('#q-priorities select')).to.have.length(2);
    expect(optionsOf($, '#q-priorities-rank-1 option')).to.have.members(['coding-tech', 'job-skills']).and.to.have.length(2);
    expect($('#q-priorities .ranking__from')).to.have.length(0);
    expect($('#q-priorities .ranking__instructions').text()).to.equal('Put the topics you chose in order, the most important first.');
    const three = await post({ ...fieldsOf(two.text), 'rank:priorities:1': 'coding-tech', 'rank:priorities:2': 'job-skills', step: 'next' }).expect(200);
    const four = await post({ ...fieldsOf(three.text), step: 'next' }).expect(200);
    expect(shownPage(cheerio.load(four.text))).to.deep.equal(['page-about-you']);
    await post({ ...fieldsOf(four.text), sid: 'template-ranked-000001' }).expect(303);
    const stored = await ResponseModel.find({ surveySlug: 'community-needs' }).lean();
    expect(stored).to.have.length(1);
    expect(stored[0]!.answers.priorities).to.deep.equal(['coding-tech', 'job-skills']);
  });

  it('Next with "None of these" or with one topic: page 2 is shown without the ranking (nothing to put in order); with three, three places', async () => {
    const first = fieldsOf((await request(ctx.app).get('/s/community-needs?lang=es').expect(200)).text);
    const cases: [string | string[], boolean, number][] = [['none', true, 0], ['job-skills', true, 0], [['job-skills', 'coding-tech', 'health-wellness'], false, 3]];
    for (const [interests, hidden, places] of cases) {
      const $ = cheerio.load((await post({ ...first, lang: 'es', 'q:interests': interests, step: 'next' }).expect(200)).text);
      expect(shownPage($), String(interests)).to.deep.equal(['page-taking-part']);
      expect($('#q-priorities').is('[hidden]'), String(interests)).to.equal(hidden);
      if (places) expect(optionsOf($, '#q-priorities-rank-3 option')).to.have.length(3);
      expect($('#q-times').is('[hidden]')).to.equal(false);
    }
  });
});
