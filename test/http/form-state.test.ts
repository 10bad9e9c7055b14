import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import type { Config } from '../../server/config.js';
import { formStateKey } from '../../server/form-secret.js';
import { sealState, type FormState } from '../../server/form-state.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { buildTestApp } from '../helpers/app.js';
import { clearDatabase } from '../helpers/db.js';
import { clears, cookieHeader, setCookies } from '../helpers/form-state.js';
import { buildDefinition, buildSurvey, pagedDefinition } from '../fixtures/builders.js';
import { fieldsOf, shownPage, type Form } from '../helpers/form-fields.js';

const KIOSK = '/kiosk/test-survey/answer';
/** The kiosk form at a location (kept in the form and in every address a step leads to). */
const AT_KIOSK = `${KIOSK}?location=Teen%20Room`;
const SHARED = '/s/test-survey?shared=1';

describe('kiosk and shared-computer forms without JavaScript: each step is a post, a 303 and a plain page (answers in a sealed cookie)', () => {
  let app: Express;
  let config: Config;
  before(async () => {
    ({ app, config } = await buildTestApp({ KIOSK_IDLE_SECONDS: '45' }));
  });
  beforeEach(async () => {
    await clearDatabase();
    await buildSurvey(pagedDefinition());
  });

  async function firstPage(path: string): Promise<Record<string, string | string[]>> {
    return fieldsOf((await request(app).get(path).expect(200)).text);
  }
  const post = (path: string, form: Record<string, string | string[]>) => request(app).post(path).type('form').send(form);
  const get = (url: string, cookie: string) => request(app).get(url).set('Cookie', cookie);

  it('kiosk Next with "no children": 303 to ?lang=en&location=…&p=3 with a sealed HttpOnly, SameSite=Lax cookie scoped to the form, lasting the kiosk idle time (45 s), with no answer in clear', async () => {
    const form: Form = { ...(await firstPage(AT_KIOSK)), 'q:interests': ['job-skills', 'other'], 'other:interests': 'Beekeeping club', 'q:children': 'no', step: 'next' };
    const res = await post(KIOSK, form).expect(303);
    expect(res.headers.location).to.equal(`${KIOSK}?lang=en&location=Teen%20Room&p=3`);
    expect(res.headers['cache-control']).to.contain('no-store');
    const lines = setCookies(res).filter((l) => l.startsWith('cn_form'));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^cn_form0=1\.[A-Za-z0-9_-]+; Max-Age=45; Path=\/kiosk\/test-survey\/answer; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    for (const clear of ['Beekeeping', 'job-skills', form.sid as string]) expect(lines[0], clear).to.not.contain(clear);
  });

  it('GET the page the step leads to with its cookie: page 3 of the kiosk form with every answer, the same submission id and form time, 200, no-store', async () => {
    const form: Form = { ...(await firstPage(AT_KIOSK)), 'q:interests': ['job-skills', 'other'], 'other:interests': 'Beekeeping club', 'q:children': 'no', step: 'next' };
    const step = await post(KIOSK, form).expect(303);
    const page = await get(step.headers.location!, cookieHeader(step)).expect(200);
    expect(page.headers['cache-control']).to.contain('no-store');
    const $ = cheerio.load(page.text);
    expect($('[data-kiosk-form]').length).to.equal(1);
    expect(shownPage($)).to.deep.equal(['page-more']);
    expect($('#q-interests-job-skills').is('[checked]')).to.equal(true);
    expect($('#q-children-no').is('[checked]')).to.equal(true);
    expect($('input[name="other:interests"]').val()).to.equal('Beekeeping club');
    expect($('input[name=sid]').val()).to.equal(form.sid);
    // The form time of the first page, so the spam check sees the whole filling.
    expect($('input[name=ft]').val()).to.equal(form.ft);
    expect($('input[name=reached]').val()).to.equal('2');
    expect($('#survey-form').is('[data-posted]')).to.equal(false);
  });

  it('Back and a language switch each answer 303; the pages they lead to keep every answer (Spanish, page 1)', async () => {
    const next = await post(KIOSK, { ...(await firstPage(AT_KIOSK)), 'q:interests': 'job-skills', 'q:children': 'no', step: 'next' }).expect(303);
    const third = await get(next.headers.location!, cookieHeader(next)).expect(200);
    const back = await post(KIOSK, { ...fieldsOf(third.text), 'q:name': 'Kim', step: 'back' }).set('Cookie', cookieHeader(next)).expect(303);
    expect(back.headers.location).to.equal(`${KIOSK}?lang=en&location=Teen%20Room&p=1`);
    const first = await get(back.headers.location!, cookieHeader(back)).expect(200);
    expect(shownPage(cheerio.load(first.text))).to.deep.equal(['page-start']);
    const switched = await post(KIOSK, { ...fieldsOf(first.text), switchLang: 'es' }).expect(303);
    expect(switched.headers.location).to.equal(`${KIOSK}?lang=es&location=Teen%20Room&p=1`);
    const es = cheerio.load((await get(switched.headers.location!, cookieHeader(switched)).expect(200)).text);
    expect(es('html').attr('lang')).to.equal('es');
    expect(es('#q-name-input').val()).to.equal('Kim');
    expect(es('#q-interests-job-skills').is('[checked]')).to.equal(true);
  });

  it('Next with a required answer missing: 303, then the page 422 with the error summary and what was typed', async () => {
    const res = await post(KIOSK, { ...(await firstPage(AT_KIOSK)), 'q:children': 'yes', step: 'next' }).expect(303);
    expect(res.headers.location).to.match(/&p=1$/);
    const page = await get(res.headers.location!, cookieHeader(res)).expect(422);
    const $ = cheerio.load(page.text);
    expect($('#error-summary a').attr('href')).to.equal('#q-interests');
    expect($('#q-children-yes').is('[checked]')).to.equal(true);
    expect($('title').text()).to.contain($('#error-summary-title').text());
  });

  it('a final kiosk answer with a problem: 303 to the page of that problem, shown 422 with its error; nothing stored', async () => {
    const res = await post(KIOSK, { ...(await firstPage(AT_KIOSK)), 'q:interests': 'job-skills', 'q:children': 'no', 'q:name': 'Far too long a name', page: '2' }).expect(303);
    expect(res.headers.location).to.match(/&p=3$/);
    const $ = cheerio.load((await get(res.headers.location!, cookieHeader(res)).expect(422)).text);
    expect(shownPage($)).to.deep.equal(['page-more']);
    expect($('#error-summary a').attr('href')).to.equal('#q-name');
    expect($('#q-name-input').val()).to.equal('Far too long a name');
    expect(await ResponseModel.countDocuments()).to.equal(0);
  });

  it('the final submit stores once and clears the cookie before the thank-you page; the address Back returns to then shows an empty first page', async () => {
    const step = await post(KIOSK, { ...(await firstPage(AT_KIOSK)), 'q:interests': 'job-skills', 'q:children': 'no', step: 'next' }).expect(303);
    const last = await get(step.headers.location!, cookieHeader(step)).expect(200);
    const sent = await post(KIOSK, { ...fieldsOf(last.text), 'q:name': 'Kim' }).set('Cookie', cookieHeader(step)).expect(303);
    expect(sent.headers.location).to.match(/^\/kiosk\/test-survey\/thanks/);
    const cleared = setCookies(sent).filter((l) => l.startsWith('cn_form'));
    expect(cleared).to.have.length.greaterThan(0);
    for (const line of cleared) expect(clears(line) && line.includes('Path=/kiosk/test-survey/answer'), line).to.equal(true);
    expect(await ResponseModel.countDocuments()).to.equal(1);
    const back = await request(app).get(step.headers.location!).expect(200);
    const $ = cheerio.load(back.text);
    expect(shownPage($)).to.deep.equal(['page-start']);
    expect(back.text).to.not.contain('Kim');
    expect($('input[type=checkbox][checked], input[type=radio][checked]').length).to.equal(0);
  });

  it('a cookie with one character changed, an expired one, or one sealed for another survey: the empty first page (200), and the cookie cleared', async () => {
    const step = await post(KIOSK, { ...(await firstPage(AT_KIOSK)), 'q:interests': 'job-skills', 'q:children': 'no', 'q:name': 'Kim', step: 'next' }).expect(303);
    const cookie = cookieHeader(step);
    const at = cookie.length - 10;
    const tampered = cookie.slice(0, at) + (cookie[at] === 'A' ? 'B' : 'A') + cookie.slice(at + 1);
    const sealed = (over: Partial<FormState>, bound: string): string =>
      `cn_form0=1.${sealState(formStateKey(config), bound, { slug: 'test-survey', channel: 'kiosk', expires: Date.now() + 60_000, submissionId: 'state-http-000000001', page: 2, reached: 2, lang: 'en', formToken: '', values: { 'q:interests': 'job-skills', 'q:children': 'no', 'q:name': 'Kim' }, ...over })}`;
    // The same sealing with a future expiry and this survey does open: the three below fail for their one difference.
    const control = await get(`${KIOSK}?lang=en&p=3`, sealed({}, 'kiosk|test-survey')).expect(200);
    expect(cheerio.load(control.text)('#q-name-input').val()).to.equal('Kim');
    for (const [what, bad] of [['tampered', tampered], ['expired', sealed({ expires: Date.now() - 1000 }, 'kiosk|test-survey')], ['other survey', sealed({ slug: 'other-survey' }, 'kiosk|other-survey')], ['web channel', sealed({ channel: 'web' }, 'web|test-survey')]] as const) {
      const res = await get(`${KIOSK}?lang=en&p=3`, bad).expect(200);
      const $ = cheerio.load(res.text);
      expect(shownPage($), what).to.deep.equal(['page-start']);
      expect($('#q-name-input').val(), what).to.equal('');
      expect(setCookies(res).some((l) => l.startsWith('cn_form0=') && clears(l)), what).to.equal(true);
    }
  });

  it('the kiosk start screen ("start again", the idle countdown) clears the cookies; the form without a page in its address is empty and clears them', async () => {
    const step = await post(KIOSK, { ...(await firstPage(AT_KIOSK)), 'q:interests': 'job-skills', 'q:children': 'no', 'q:name': 'Kim', step: 'next' }).expect(303);
    const start = await request(app).get('/kiosk/test-survey').expect(200);
    const lines = setCookies(start);
    expect(lines.map((l) => l.split('=')[0])).to.deep.equal(['cn_form0', 'cn_form1']);
    for (const line of lines) expect(clears(line) && line.includes('Path=/kiosk/test-survey/answer'), line).to.equal(true);
    const fresh = await get(`${KIOSK}?lang=en`, cookieHeader(step)).expect(200);
    expect(fresh.text).to.not.contain('Kim');
    expect(setCookies(fresh).some((l) => l.startsWith('cn_form0=') && clears(l))).to.equal(true);
  });

  it('Back in the history within the form (GET ?p=1 with the state of page 3) shows page 1 with the answers; a page not yet reached shows the state\'s own page', async () => {
    const step = await post(KIOSK, { ...(await firstPage(AT_KIOSK)), 'q:interests': 'job-skills', 'q:children': 'no', 'q:name': 'Kim', step: 'next' }).expect(303);
    const one = cheerio.load((await get(`${KIOSK}?lang=en&p=1`, cookieHeader(step)).expect(200)).text);
    expect(shownPage(one)).to.deep.equal(['page-start']);
    expect(one('#q-interests-job-skills').is('[checked]')).to.equal(true);
    const back = await post(KIOSK, { ...fieldsOf(one.html()), step: 'back' }).expect(303);
    const far = cheerio.load((await get(`${KIOSK}?lang=en&p=3`, cookieHeader(back)).expect(200)).text);
    expect(shownPage(far)).to.deep.equal(['page-more']);
  });

  it('a long open answer (about 9,000 characters) is sealed across two cookies, each under 4 KB, and comes back whole', async () => {
    const def = buildDefinition(pagedDefinition());
    await clearDatabase();
    await buildSurvey({ ...def, questions: def.questions.map((q) => (q.id === 'ideas' ? { ...q, maxLength: 10000 } : q)) });
    // Words drawn at random compress less than plain prose, as a real long answer in any language does not repeat.
    let seed = 7;
    const words = Array.from({ length: 1300 }, () => {
      seed = (seed * 48271) % 2147483647;
      return ['library', 'بيت', 'story', 'jobs', 'ليلى', 'café', 'teens', 'clinic', 'Zoë', 'budget', 'garden', 'robots'][seed % 12] + String(seed % 97);
    });
    const ideas = words.join(' ');
    const step = await post(KIOSK, { ...(await firstPage(AT_KIOSK)), 'q:interests': 'job-skills', 'q:children': 'no', 'q:ideas': ideas, step: 'next' }).expect(303);
    const pieces = setCookies(step).filter((l) => l.startsWith('cn_form'));
    expect(pieces.map((l) => l.split('=')[0])).to.deep.equal(['cn_form0', 'cn_form1']);
    for (const p of pieces) expect(p.split(';')[0]!.length).to.be.below(4000);
    const page = cheerio.load((await get(step.headers.location!, cookieHeader(step)).expect(200)).text);
    expect(page('#q-ideas-input').text()).to.equal(ideas);
  });

  it('an answer too long for two cookies: the step is answered with the page itself (200, no-store), as before', async () => {
    const def = buildDefinition(pagedDefinition());
    await clearDatabase();
    await buildSurvey({ ...def, questions: def.questions.map((q) => (q.id === 'ideas' ? { ...q, maxLength: 10000 } : q)) });
    let seed = 11;
    const ideas = Array.from({ length: 5000 }, () => {
      seed = (seed * 48271) % 2147483647;
      return String.fromCharCode(0x4e00 + (seed % 5000));
    }).join('');
    const res = await post(KIOSK, { ...(await firstPage(AT_KIOSK)), 'q:interests': 'job-skills', 'q:children': 'no', 'q:ideas': ideas, step: 'next' }).expect(200);
    expect(res.headers['cache-control']).to.contain('no-store');
    expect(setCookies(res).filter((l) => l.startsWith('cn_form'))).to.deep.equal([]);
    expect(shownPage(cheerio.load(res.text))).to.deep.equal(['page-more']);
  });

  it('shared computers (/s/:slug?shared=1): Next answers 303 to ?lang=en&shared=1&p=3 with a cookie for /s/test-survey lasting 15 minutes; the page keeps the mark and the answers', async () => {
    const step = await post(SHARED, { ...(await firstPage(SHARED)), 'q:interests': 'job-skills', 'q:children': 'no', step: 'next' }).expect(303);
    expect(step.headers.location).to.equal('/s/test-survey?lang=en&shared=1&p=3');
    expect(setCookies(step).find((l) => l.startsWith('cn_form0='))).to.match(/; Max-Age=900; Path=\/s\/test-survey; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const $ = cheerio.load((await get(step.headers.location!, cookieHeader(step)).expect(200)).text);
    expect(shownPage($)).to.deep.equal(['page-more']);
    expect($('input[name=shared]').val()).to.equal('1');
    expect($('#q-interests-job-skills').is('[checked]')).to.equal(true);
    const sent = await post(SHARED, { ...fieldsOf($.html()) }).set('Cookie', cookieHeader(step)).expect(303);
    expect(sent.headers.location).to.equal('/s/test-survey/thanks?lang=en&shared=1');
    expect(setCookies(sent).filter((l) => l.startsWith('cn_form')).every(clears)).to.equal(true);
    expect(setCookies(sent).filter((l) => l.startsWith('cn_form'))).to.have.length.greaterThan(0);
  });

  it('behind an HTTPS proxy the cookie is Secure', async () => {
    const { app: proxied } = await buildTestApp({ TRUST_PROXY: '1' });
    const page = fieldsOf((await request(proxied).get(KIOSK).set('X-Forwarded-Proto', 'https').expect(200)).text);
    const step = await request(proxied).post(KIOSK).set('X-Forwarded-Proto', 'https').type('form').send({ ...page, 'q:interests': 'job-skills', step: 'next' }).expect(303);
    expect(setCookies(step).find((l) => l.startsWith('cn_form0='))).to.match(/; Secure(;|$)/);
  });

  it("the person's own phone (/s/:slug, not shared) is unchanged: a step is answered 200 with the page, private, no-cache, and no state cookie", async () => {
    const res = await post('/s/test-survey', { ...(await firstPage('/s/test-survey')), 'q:interests': 'job-skills', 'q:children': 'no', step: 'next' }).expect(200);
    expect(res.headers['cache-control']).to.equal('private, no-cache');
    expect(setCookies(res).filter((l) => l.startsWith('cn_form'))).to.deep.equal([]);
    expect(shownPage(cheerio.load(res.text))).to.deep.equal(['page-more']);
  });
});
