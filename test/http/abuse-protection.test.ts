import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import type { Config } from '../../server/config.js';
import { formSecret } from '../../server/form-secret.js';
import { MongoRateLimitStore, RateLimitModel, removeExpiredRateLimits } from '../../server/middleware/rate-limit-store.js';
import { importQueueFile } from '../../surveys/queue-import.service.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { SpamResponseModel } from '../../surveys/spam.model.js';
import { formToken, minimumFillMs, MS_PER_ANSWER, MS_PER_PAGE } from '../../surveys/spam-token.js';
import { copyTotals } from '../../surveys/insights/analytics-copy.js';
import { buildTestApp } from '../helpers/app.js';
import { signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { buildSurvey } from '../fixtures/builders.js';

const answers = (sid: string, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({ sid, lang: 'en', 'q:interests': ['job-skills'], 'rank:priorities:1': 'coding-tech', 'q:children': 'no', 'q:name': 'Ana', ...extra });
const total = async (): Promise<number> => (await copyTotals(['test-survey'])).get('test-survey') ?? 0;

describe('abuse protection: honeypot and minimum fill time', () => {
  let app: Express;
  let config: Config;
  const oldToken = (): string => formToken(formSecret(config), 'test-survey', Date.now() - 60_000);
  before(async () => {
    ({ app, config } = await buildTestApp({ MIN_FILL_SECONDS: '3', LOGIN_RATE_LIMIT: '1000' }));
  });
  beforeEach(async () => {
    await clearDatabase();
    await buildSurvey();
  });

  it('GET the form: a signed time stamp and a honeypot hidden from people (aria-hidden wrapper, tabindex -1, autocomplete off, labelled)', async () => {
    const $ = cheerio.load((await request(app).get('/s/test-survey').expect(200)).text);
    expect($('input[name=ft]').val()).to.match(/^\d+\.[A-Za-z0-9_-]{43}$/);
    const hp = $('input[name=website]');
    expect(hp.attr('tabindex')).to.equal('-1');
    expect(hp.attr('autocomplete')).to.equal('off');
    expect(hp.closest('.form-extra').attr('aria-hidden')).to.equal('true');
    expect($(`label[for="${hp.attr('id')}"]`).text()).to.equal('Leave this field empty');
  });

  it('POST right after the page was shown: 303 thank-you as usual, kept apart as tooFast, not counted', async () => {
    const $ = cheerio.load((await request(app).get('/s/test-survey').expect(200)).text);
    const res = await request(app).post('/s/test-survey').type('form').send(answers('spam-fast-0000000001', { ft: String($('input[name=ft]').val()) })).expect(303);
    expect(res.headers.location).to.equal('/s/test-survey/thanks?lang=en');
    expect(await ResponseModel.countDocuments()).to.equal(0);
    const spam = await SpamResponseModel.find().lean();
    expect(spam).to.have.length(1);
    expect(spam[0]!.spam?.reasons).to.deep.equal(['tooFast']);
    expect(await total()).to.equal(0);
  });

  it('POST with the honeypot filled, a forged, a future or no time stamp: each kept apart with its reason', async () => {
    const secret = formSecret(config);
    const [stamp, sig] = oldToken().split('.') as [string, string];
    const cases: [Record<string, string>, string[]][] = [
      [{ ft: oldToken(), website: 'http://spam.example' }, ['honeypot']],
      [{ ft: `${Number(stamp) - 1000}.${sig}` }, ['badToken']],
      [{ ft: formToken('another-secret-another-secret-another-secret', 'test-survey', Date.now() - 60_000) }, ['badToken']],
      [{ ft: formToken(secret, 'other-survey', Date.now() - 60_000) }, ['badToken']],
      [{ ft: formToken(secret, 'test-survey', Date.now() + 3_600_000) }, ['badToken']],
      [{}, ['noToken']],
    ];
    for (const [i, [extra, reasons]] of cases.entries()) {
      const sid = `spam-case-${String(i).padStart(10, '0')}`;
      await request(app).post('/s/test-survey').type('form').send(answers(sid, extra)).expect(303);
      expect((await SpamResponseModel.findOne({ submissionId: sid }).lean())?.spam?.reasons, JSON.stringify(extra)).to.deep.equal(reasons);
    }
    expect(await ResponseModel.countDocuments()).to.equal(0);
  });

  it('POST with a time stamp older than MIN_FILL_SECONDS and an empty honeypot: stored and counted', async () => {
    await request(app).post('/s/test-survey').type('form').send(answers('human-000000000001', { ft: oldToken(), website: '' })).expect(303);
    expect(await ResponseModel.countDocuments()).to.equal(1);
    expect(await SpamResponseModel.countDocuments()).to.equal(0);
    expect(await total()).to.equal(1);
  });

  it('POST answering only the one required question 1 s after the page was shown: a quick person, stored (the least time follows what was answered)', async () => {
    const ft = formToken(formSecret(config), 'test-survey', Date.now() - 1000);
    await request(app).post('/s/test-survey').type('form').send({ sid: 'quick-person-000000001', lang: 'en', 'q:interests': 'job-skills', ft, website: '' }).expect(303);
    expect(await ResponseModel.countDocuments()).to.equal(1);
    expect(await SpamResponseModel.countDocuments()).to.equal(0);
  });

  it('POST answering seven questions 1 s after the page was shown: kept apart as tooFast (seven answers take a person longer)', async () => {
    const ft = formToken(formSecret(config), 'test-survey', Date.now() - 1000);
    const many = answers('many-fast-000000000001', { ft, 'q:rating': '4', 'q:ideas': 'More books', 'q:household': '3', 'q:children': 'yes', 'q:grades': 'high' });
    await request(app).post('/s/test-survey').type('form').send(many).expect(303);
    expect((await SpamResponseModel.findOne({ submissionId: 'many-fast-000000000001' }).lean())?.spam?.reasons).to.deep.equal(['tooFast']);
    expect(await ResponseModel.countDocuments()).to.equal(0);
  });

  it('minimumFillMs: a tap per answer and a glance per page turned, at most MIN_FILL_SECONDS, 0 when the check is off', () => {
    expect(minimumFillMs(3, 1, 1)).to.equal(MS_PER_ANSWER);
    expect(minimumFillMs(3, 0, 1)).to.equal(MS_PER_ANSWER);
    expect(minimumFillMs(3, 2, 4)).to.equal(2 * MS_PER_ANSWER + 3 * MS_PER_PAGE);
    expect(minimumFillMs(3, 14, 4)).to.equal(3000);
    expect(minimumFillMs(0, 14, 4)).to.equal(0);
  });

  it('an invalid form re-shown after a quick post keeps its original time stamp, so fixing it is not "too fast"', async () => {
    const ft = oldToken();
    const res = await request(app).post('/s/test-survey').type('form').send(answers('fix-000000000000001', { ft, 'q:interests': [] })).expect(422);
    expect(cheerio.load(res.text)('input[name=ft]').val()).to.equal(ft);
  });

  it('the offline queue replays the form much later (JSON) and an exported queue file posted at once: neither is flagged', async () => {
    const res = await request(app).post('/s/test-survey').type('form').set('Accept', 'application/json').send(answers('queued-00000000000001', { ft: oldToken(), website: '' })).expect(200);
    expect(res.body.status).to.equal('stored');
    const fresh = formToken(formSecret(config), 'test-survey', Date.now());
    const body = new URLSearchParams({ sid: 'exported-000000000001', lang: 'en', 'q:interests': 'job-skills', 'q:children': 'no', ft: fresh, website: '' }).toString();
    const result = await importQueueFile({ format: 'community-needs-queue', version: 1, items: [{ sid: 'exported-000000000001', action: '/s/test-survey', body }] }, 'test-contact-key');
    expect(result).to.deep.equal({ stored: 1, duplicate: 0, rejected: 0 });
    expect(await ResponseModel.countDocuments()).to.equal(2);
    expect(await SpamResponseModel.countDocuments()).to.equal(0);
  });

  it('a retried spam post (same id, same answers) is acknowledged once; the same id with other answers is 409', async () => {
    const body = answers('spam-retry-000000001', { website: 'x' });
    await request(app).post('/s/test-survey').type('form').send(body).expect(303);
    await request(app).post('/s/test-survey').type('form').send(body).expect(303);
    await request(app).post('/s/test-survey').type('form').send({ ...body, 'q:name': 'Other' }).expect(409);
    expect(await SpamResponseModel.countDocuments()).to.equal(1);
  });

  describe('staff review at /staff/surveys/:slug/spam', () => {
    beforeEach(async () => {
      await request(app).post('/s/test-survey').type('form').send(answers('review-0000000000001', { website: 'x', 'q:name': '<b>hi</b>', 'contact:email': 'a@b.org', 'contact:consent': 'yes' })).expect(303);
    });

    it('anonymous → 303 to sign-in; board → 403; staff sees the answers escaped, the reason and the count', async () => {
      const anon = await request(app).get('/staff/surveys/test-survey/spam').expect(303);
      expect(anon.headers.location).to.match(/^\/login\?next=/);
      const board = await signedInAgent(app, 'board');
      await board.agent.get('/staff/surveys/test-survey/spam').expect(403);
      const { agent } = await signedInAgent(app, 'staff');
      const res = await agent.get('/staff/surveys/test-survey/spam').expect(200);
      expect(res.text).to.contain('&lt;b&gt;hi&lt;/b&gt;').and.not.contain('<b>hi</b>');
      expect(res.text).to.contain('a field hidden from people was filled in');
      expect(res.text).to.contain('1 submission waiting for review.');
    });

    it('"Not spam" moves it into the responses, counts it and files the contact apart; "Delete" removes it', async () => {
      const { agent, csrf } = await signedInAgent(app, 'staff');
      const id = String((await SpamResponseModel.findOne().lean())!._id);
      await agent.post(`/staff/surveys/test-survey/spam/${id}/release`).type('form').send({}).expect(403);
      const res = await agent.post(`/staff/surveys/test-survey/spam/${id}/release`).type('form').send({ _csrf: await csrf() }).expect(303);
      expect(res.headers.location).to.equal('/staff/surveys/test-survey/spam?done=released');
      const moved = await ResponseModel.find().lean();
      expect(moved.map((r) => r.submissionId)).to.deep.equal(['review-0000000000001']);
      expect(moved[0]).to.not.have.property('spam');
      expect(moved[0]).to.not.have.property('contact');
      expect(await total()).to.equal(1);
      expect(await SpamResponseModel.countDocuments()).to.equal(0);
      await agent.post(`/staff/surveys/test-survey/spam/${id}/release`).type('form').send({ _csrf: await csrf() }).expect(404);

      await request(app).post('/s/test-survey').type('form').send(answers('review-0000000000002', { website: 'x' })).expect(303);
      const second = String((await SpamResponseModel.findOne().lean())!._id);
      await agent.post(`/staff/surveys/test-survey/spam/${second}/delete`).type('form').send({ _csrf: await csrf() }).expect(303);
      expect(await SpamResponseModel.countDocuments()).to.equal(0);
      expect(await ResponseModel.countDocuments()).to.equal(1);
      await agent.post('/staff/surveys/test-survey/spam/not-an-id/delete').type('form').send({ _csrf: await csrf() }).expect(404);
    });
  });
});

describe('abuse protection: rate limits kept in MongoDB', () => {
  beforeEach(async () => {
    await clearDatabase();
    await buildSurvey();
  });

  it('over RATE_LIMIT_SUBMITS: 429 with the form filled in and a banner; JSON gets code tooManyRequests; no raw address is stored', async () => {
    const { app } = await buildTestApp({ RATE_LIMIT_SUBMITS: '2' });
    for (const i of [1, 2]) await request(app).post('/s/test-survey').type('form').send(answers(`limit-${i}-00000000000`)).expect(303);
    const res = await request(app).post('/s/test-survey?lang=es').type('form').send(answers('limit-3-00000000000', { lang: 'es', 'q:name': 'Zoë' })).expect(429);
    const $ = cheerio.load(res.text);
    expect($('html').attr('lang')).to.equal('es');
    expect($('.banner--warning').text()).to.contain('Espere un momento');
    expect($('input[name="q:name"]').val()).to.equal('Zoë');
    expect($('input[name=sid]').val()).to.equal('limit-3-00000000000');
    const json = await request(app).post('/s/test-survey').type('form').set('Accept', 'application/json').send(answers('limit-4-00000000000')).expect(429);
    expect(json.body.error.code).to.equal('tooManyRequests');
    expect(await ResponseModel.countDocuments()).to.equal(2);
    const docs = await RateLimitModel.find().lean();
    expect(docs.length).to.be.greaterThan(0);
    expect(JSON.stringify(docs)).to.not.match(/127\.0\.0\.1|::1|ffff/);
  });

  it('over RATE_LIMIT_PAGES: GET /s/:slug answers 429 with the localized error page', async () => {
    const { app } = await buildTestApp({ RATE_LIMIT_PAGES: '2' });
    await request(app).get('/s/test-survey').expect(200);
    await request(app).get('/s/test-survey/thanks').expect(200);
    const res = await request(app).get('/s/test-survey?lang=es').expect(429);
    expect(res.text).to.contain('tooManyRequests');
    expect(res.headers['retry-after']).to.match(/^\d+$/);
  });

  it('30 page loads at once with RATE_LIMIT_PAGES=10: exactly 10 answer 200 and 20 answer 429; the window holds all 30 hits', async () => {
    const { app } = await buildTestApp({ RATE_LIMIT_PAGES: '10' });
    const statuses = await Promise.all(Array.from({ length: 30 }, () => request(app).get('/s/test-survey').then((r) => r.status)));
    expect(statuses.filter((s) => s === 200), statuses.join(',')).to.have.length(10);
    expect(statuses.filter((s) => s === 429)).to.have.length(20);
    // Hits that arrived while a write was in flight are written by the next one.
    let hits = 0;
    for (let i = 0; i < 50 && hits < 30; i++) {
      hits = (await RateLimitModel.find({ key: /^pages:/ }).lean()).reduce((sum, d) => sum + d.hits, 0);
      if (hits < 30) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(hits).to.equal(30);
  });

  it('a second app instance on the same database shares the counters', async () => {
    const env = { RATE_LIMIT_PAGES: '2', FORM_SECRET: 'x'.repeat(40) };
    const { app: one } = await buildTestApp(env);
    const { app: two } = await buildTestApp(env);
    await request(one).get('/s/test-survey').expect(200);
    await request(two).get('/s/test-survey').expect(200);
    await request(one).get('/s/test-survey').expect(429);
  });

  it('kiosks are not locked out by the personal limits, and each saved location has its own kiosk allowance', async () => {
    const { app } = await buildTestApp({ RATE_LIMIT_PAGES: '1', RATE_LIMIT_SUBMITS: '1', RATE_LIMIT_KIOSK: '4', KIOSK_LOCATION: 'Main Branch' });
    for (let i = 0; i < 4; i++) await request(app).post('/kiosk/test-survey/answer').type('form').send(answers(`kiosk-main-${i}-000000`, { location: 'Main Branch' })).expect(303);
    const limited = await request(app).post('/kiosk/test-survey/answer').type('form').send(answers('kiosk-main-9-000000', { location: 'Main Branch', 'q:name': 'Kim' })).expect(429);
    expect(cheerio.load(limited.text)('input[name="q:name"]').val()).to.equal('Kim');
    // Unknown locations share one allowance: inventing names gives no fresh ones.
    for (let i = 0; i < 4; i++) await request(app).get(`/kiosk/test-survey?location=made-up-${i}`).expect(200);
    await request(app).get('/kiosk/test-survey?location=made-up-99').expect(429);
    expect(await ResponseModel.countDocuments({ channel: 'kiosk' })).to.equal(4);
  });

  it('the store counts with $inc upserts per window, decrements, resets a key, and the periodic delete removes ended windows', async () => {
    const store = new MongoRateLimitStore('unit');
    store.init({ windowMs: 60_000 } as never);
    expect((await store.increment('k')).totalHits).to.equal(1);
    // Two first hits at once on a new key: neither fails on the upsert race.
    const [a, b] = await Promise.all([store.increment('race'), store.increment('race')]);
    expect(Math.max(a.totalHits, b.totalHits)).to.be.within(1, 2);
    expect((await store.increment('k')).totalHits).to.equal(2);
    expect((await store.increment('k')).totalHits).to.equal(3);
    await store.decrement('k');
    expect((await store.get('k'))?.totalHits).to.equal(2);
    await store.resetKey('k');
    expect(await store.get('k')).to.equal(undefined);
    await store.increment('k');
    expect(await removeExpiredRateLimits(new Date(Date.now() + 120_000))).to.equal(2);
    store.shutdown();
  });
});
