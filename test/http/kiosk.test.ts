import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import { ResponseModel } from '../../surveys/response.model.js';
import { buildTestApp } from '../helpers/app.js';
import { clearDatabase } from '../helpers/db.js';
import { buildSurvey } from '../fixtures/builders.js';
import { clears, follow, setCookies } from '../helpers/form-state.js';

describe('kiosk /kiosk/:slug', () => {
  let app: Express;
  before(async () => {
    ({ app } = await buildTestApp({ KIOSK_IDLE_SECONDS: '30', KIOSK_COUNTDOWN_SECONDS: '5', KIOSK_LOCATION: 'Main Branch' }));
  });
  beforeEach(async () => {
    await clearDatabase();
    await buildSurvey();
  });

  it('GET the start screen invites people in every survey language with large links', async () => {
    const res = await request(app).get('/kiosk/test-survey').expect(200);
    const $ = cheerio.load(res.text);
    const choices = $('.kiosk-start__choices > li');
    expect(choices.map((_, li) => $(li).attr('lang')).get()).to.deep.equal(['en', 'es', 'ar']);
    expect(choices.eq(2).attr('dir')).to.equal('rtl');
    expect(choices.eq(1).find('a').attr('href')).to.equal('/kiosk/test-survey/answer?lang=es&location=Main%20Branch');
    // No cookie is kept: the start screen only clears what a person without JavaScript left (test/http/form-state.test.ts).
    expect(setCookies(res).every(clears)).to.equal(true);
    expect(res.headers['cache-control']).to.contain('no-store');
  });

  it('GET the start screen with ?location= uses that location in its links', async () => {
    const res = await request(app).get('/kiosk/test-survey?location=Teen%20Room').expect(200);
    expect(res.text).to.contain('location=Teen%20Room');
  });

  it('GET the kiosk form: no cookie, no caching, autocomplete off, idle settings from configuration', async () => {
    const res = await request(app).get('/kiosk/test-survey/answer?lang=es').set('Cookie', 'lang=ar').expect(200);
    const $ = cheerio.load(res.text);
    expect($('html').attr('lang')).to.equal('es');
    expect(res.headers['set-cookie']).to.equal(undefined);
    expect(res.headers['cache-control']).to.contain('no-store');
    expect($('#survey-form').attr('autocomplete')).to.equal('off');
    expect($('#survey-form').attr('action')).to.equal('/kiosk/test-survey/answer');
    expect($('[data-kiosk-form]').attr('data-idle-seconds')).to.equal('30');
    expect($('[data-kiosk-form]').attr('data-countdown-seconds')).to.equal('5');
    expect(JSON.parse($('[data-idle-message]').attr('data-messages')!)).to.have.length(6);
    expect($('#contact').length, 'no contact details on a public kiosk').to.equal(0);
    expect($('input[name=location]').val()).to.equal('Main Branch');
  });

  it('GET the kiosk form ignores the language cookie (each person starts fresh)', async () => {
    const res = await request(app).get('/kiosk/test-survey/answer').set('Cookie', 'lang=ar').expect(200);
    expect(cheerio.load(res.text)('html').attr('lang')).to.equal('en');
  });

  it('POST a kiosk answer stores channel kiosk and the location, then 303 to a thank-you page that returns to the start', async () => {
    const res = await request(app)
      .post('/kiosk/test-survey/answer')
      .type('form')
      .send({ sid: 'kiosk-submission-0001', lang: 'ar', location: 'Main Branch', 'q:interests': 'job-skills', 'q:children': 'no' })
      .expect(303);
    expect(res.headers.location).to.equal('/kiosk/test-survey/thanks?lang=ar&location=Main%20Branch');
    const doc = (await ResponseModel.findOne().lean())!;
    expect(doc).to.include({ channel: 'kiosk', location: 'Main Branch', lang: 'ar' });
    const thanks = await request(app).get(res.headers.location!).expect(200);
    const $ = cheerio.load(thanks.text);
    expect($('html').attr('dir')).to.equal('rtl');
    // No timed refresh (WCAG 2.2.1): "Finish" leads back to the start; kiosk.js counts down from data-seconds.
    expect($('meta[http-equiv=refresh]')).to.have.length(0);
    expect($('a[data-kiosk-start]').attr('href')).to.equal('/kiosk/test-survey?location=Main%20Branch');
    expect($('main[data-kiosk-thanks]').attr('data-seconds')).to.equal('15');
    expect($('[data-return-message]').text()).to.contain('إنهاء');
    expect(thanks.headers['cache-control']).to.contain('no-store');
  });

  it('each kiosk form gets a new submission id, so two people never share one', async () => {
    const a = cheerio.load((await request(app).get('/kiosk/test-survey/answer').expect(200)).text)('input[name=sid]').val();
    const b = cheerio.load((await request(app).get('/kiosk/test-survey/answer').expect(200)).text)('input[name=sid]').val();
    expect(a).to.not.equal(b);
  });

  it('POST an invalid kiosk answer: 303 to the form, shown 422 in the kiosk layout with answers kept', async () => {
    const res = await follow(app, await request(app).post('/kiosk/test-survey/answer').type('form').send({ sid: 'kiosk-submission-0002', lang: 'en', 'q:name': 'Jo' }).expect(303));
    expect(res.status).to.equal(422);
    const $ = cheerio.load(res.text);
    expect($('[data-kiosk-form]').length).to.equal(1);
    expect($('#q-name-input').val()).to.equal('Jo');
  });

  it('GET an unknown kiosk survey answers 404', async () => {
    await request(app).get('/kiosk/nope').expect(404);
  });
});
