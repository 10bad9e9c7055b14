import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { ResponseModel } from '../../surveys/response.model.js';
import { SpamResponseModel } from '../../surveys/spam.model.js';
import { SurveyModel } from '../../surveys/survey.model.js';
import { UserModel } from '../../surveys/user.model.js';
import { buildTestApp } from '../helpers/app.js';
import { follow } from '../helpers/form-state.js';
import { signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { concretePath, listRoutes, type AppRoute } from '../helpers/routes.js';
import { buildSurvey } from '../fixtures/builders.js';

const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', 'مرحبا <script>alert(1)</script>', '你好"><img src=x onerror=alert(1)>'];
const PARAMS = { slug: 'test-survey', id: '0123456789abcdef01234567', lang: 'es', batch: 'x', importId: 'x', programId: '0123456789abcdef01234567' };
const valid = (sid: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ sid, lang: 'en', 'q:interests': ['job-skills'], 'rank:priorities:1': 'coding-tech', 'q:children': 'no', ...extra });

/** Counts of everything a hostile request could add or change. */
async function snapshot(): Promise<string> {
  const [responses, spam, users, surveys] = await Promise.all([
    ResponseModel.find({}, { _id: 0, submittedAt: 0 }).sort({ submissionId: 1 }).lean(),
    SpamResponseModel.countDocuments(),
    UserModel.countDocuments(),
    SurveyModel.find({}, { _id: 0 }).sort({ slug: 1 }).lean(),
  ]);
  return JSON.stringify({ responses, spam, users, surveys });
}

/** Raw `<script` or an unescaped event-handler tag from user input must never reach the page. */
function expectEscaped(html: string): void {
  expect(html).to.not.contain('<script>alert(1)');
  expect(html).to.not.contain('<img src=x onerror');
  expect(html).to.not.match(/href="javascript:/i);
}

describe('adversarial input against every respondent and staff route', () => {
  let app: Express;
  let routes: AppRoute[];
  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    routes = listRoutes(app);
  });
  beforeEach(async () => {
    await clearDatabase();
    await buildSurvey();
  });
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').to.equal(undefined);
  });

  it('lists the app routes from the router stack, including every respondent and staff area', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    for (const r of ['GET /s/:slug', 'POST /s/:slug', 'GET /kiosk/:slug/answer', 'POST /kiosk/:slug/answer', 'GET /staff/surveys/:slug', 'GET /api/surveys/:slug/topics', 'GET /staff/surveys/:slug/spam', 'POST /login']) expect(names).to.include(r);
    expect(routes.length).to.be.greaterThan(60);
  });

  describe('respondent form posts (/s/:slug and /kiosk/:slug/answer)', () => {
    const posts = ['/s/test-survey', '/kiosk/test-survey/answer'];

    it('XSS in every text field (short, long, other, contact, location, tag, sid), also in Arabic and Chinese: the form comes back escaped', async () => {
      for (const path of posts) {
        for (const [i, payload] of XSS.entries()) {
          const res = await request(app)
            .post(`${path}?ch=${encodeURIComponent(payload)}`)
            .type('form')
            .send({ sid: `xss-form-${i}-0000000000`, lang: payload, location: payload, ch: payload, 'q:interests': ['other', 'job-skills'], 'other:interests': payload, 'q:name': payload, 'q:ideas': payload, 'contact:email': payload, 'contact:phone': payload, 'q:household': payload, [`q:${i}`]: payload });
          // The kiosk redirects to the form page (answers in a sealed cookie); the page it shows is what matters.
          const page = await follow(app, res);
          expect(page.status, `${path} ${payload}`).to.equal(422);
          expectEscaped(page.text);
          expect(cheerio.load(page.text)('input[name="q:name"]').val()).to.equal(payload);
          const sid = await follow(app, await request(app).post(path).type('form').send({ sid: payload, 'q:interests': 'job-skills' }));
          expect(sid.status).to.equal(400);
          expectEscaped(sid.text);
        }
      }
      expect(await ResponseModel.countDocuments()).to.equal(0);
    });

    it('XSS answers that are valid text are stored as typed and shown escaped on the dashboard, the open-text API and the spam review', async () => {
      for (const [i, payload] of XSS.entries()) {
        await request(app).post('/s/test-survey').type('form').send(valid(`xss-stored-${i}-0000000000`, { 'q:ideas': payload, 'q:interests': ['other'], 'other:interests': payload })).expect(303);
      }
      await request(app).post('/s/test-survey').type('form').send(valid('xss-spam-00000000000', { 'q:ideas': XSS[0], website: XSS[1] })).expect(303);
      const { agent } = await signedInAgent(app, 'admin');
      for (const page of ['/staff/surveys/test-survey', '/staff/surveys/test-survey/spam', '/reports/test-survey/summary']) {
        const res = await agent.get(page).expect(200);
        expectEscaped(res.text);
      }
      const api = await agent.get('/api/surveys/test-survey/open-text').expect(200);
      expect(api.headers['content-type']).to.match(/^application\/json/);
      expect(JSON.stringify(api.body)).to.contain('<script>alert(1)</script>'); // JSON carries the text as data
    });

    it('NoSQL operators in JSON and urlencoded fields answer 4xx with a code and store nothing', async () => {
      const before = await snapshot();
      const hostile: Record<string, unknown>[] = [
        valid('nosql-json-00000001', { 'q:interests': { $gt: '' } }),
        valid('nosql-json-00000002', { 'q:children': { $ne: null } }),
        valid('nosql-json-00000003', { sid: { $ne: null } }),
        valid('nosql-json-00000004', { 'q:household': { $where: 'sleep(1000)' } }),
        valid('nosql-json-00000005', { 'q:$where': 'x' }),
      ];
      for (const path of posts) {
        for (const body of hostile) {
          const res = await request(app).post(path).set('Accept', 'application/json').send(body);
          expect(res.status, JSON.stringify(body)).to.be.within(400, 499);
          expect(res.body.error.code).to.be.a('string');
        }
        const bracket = await request(app).post(path).set('Accept', 'application/json').type('form').send('sid=nosql-form-0000001&lang=en&q:interests=job-skills&q:children[$ne]=x&q:household[$gt]=');
        expect(bracket.status).to.equal(422);
        expect(bracket.body.error.code).to.equal('validation');
      }
      expect(await snapshot()).to.equal(before);
    });

    it('prototype-pollution keys in JSON and urlencoded bodies: no pollution; as answers 422, as JSON objects 400, beside answers ignored and never stored', async () => {
      const before = await snapshot();
      for (const [n, path] of posts.entries()) {
        for (const key of ['__proto__', 'constructor', 'prototype']) {
          const asAnswer = await request(app).post(path).set('Accept', 'application/json').type('form').send(`sid=proto-answer-${n}-${key.length}00000&lang=en&q:${key}=x&q:interests=job-skills`);
          expect(asAnswer.status, key).to.equal(422);
        }
        const json = await request(app).post(path).set('Accept', 'application/json').set('Content-Type', 'application/json').send(`{"lang":"en","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"q:interests":{"__proto__":{"polluted":"yes"}}}`);
        // Objects are not form fields: refused as a whole before any route reads them.
        expect(json.status).to.equal(400);
        expect(json.body.error.code).to.equal('badRequest');
      }
      expect(await snapshot()).to.equal(before);
      const form = await request(app).post('/s/test-survey').type('form').send('sid=proto-form-00000001&lang=en&q:interests=job-skills&__proto__[polluted]=yes&constructor[prototype][polluted]=yes&__proto__.polluted=yes');
      expect(form.status).to.equal(303);
      const stored = (await ResponseModel.findOne({ submissionId: 'proto-form-00000001' }).lean())!;
      expect(Object.keys(stored.answers as object)).to.deep.equal(['interests']);
      expect(JSON.stringify(stored)).to.not.contain('polluted');
    });

    it('overlong strings, lone surrogates, overlong UTF-8 (%C0%AF) and NUL: 4xx or cleaned, never 500', async () => {
      const cases = [
        valid('long-000000000000001', { 'q:name': 'x'.repeat(5000), 'q:ideas': 'y'.repeat(60000) }),
        valid('surrogate-0000000001', { 'q:name': '\ud800abc', 'q:ideas': 'a\udfffb' }),
        valid('nul-0000000000000001', { 'q:name': 'a\u0000b', 'q:ideas': 'c\u0000d' }),
        valid('sid-overlong-\u0000-000001'),
      ];
      for (const path of posts) {
        for (const body of cases) {
          const res = await request(app).post(path).set('Accept', 'application/json').send(body);
          expect(res.status, JSON.stringify(body).slice(0, 80)).to.be.oneOf([200, 413, 422, 400]);
        }
        const bytes = await request(app).post(path).type('form').send('sid=overlong-utf8-000001&lang=en&q:interests=job-skills&q:children=no&q:name=%C0%AF%ED%A0%80%00&q:ideas=%FF%FE');
        expect(bytes.status).to.be.oneOf([303, 400, 422]);
      }
      for (const doc of await ResponseModel.find().lean()) {
        const text = JSON.stringify(doc.answers);
        expect(text).to.not.match(/\\u0000|\\ud800|\\udfff/i);
        expect(String((doc.answers as Record<string, unknown>).name ?? '').length).to.be.at.most(10);
      }
      const path = await request(app).get('/s/%C0%AF').expect((r) => expect(r.status).to.be.within(400, 499));
      expect(path.text).to.match(/errors|surveyNotFound|badRequest/);
    });

    it('wrong content types (text/plain, application/xml, multipart) answer 415 with code unsupportedMediaType, storing nothing', async () => {
      for (const path of posts) {
        for (const [type, body] of [['text/plain', 'sid=ct-plain-00000001&q:interests=job-skills'], ['application/xml', '<form><sid>ct-xml</sid></form>']] as const) {
          const res = await request(app).post(path).set('Content-Type', type).set('Accept', 'application/json').send(body).expect(415);
          expect(res.body.error.code).to.equal('unsupportedMediaType');
        }
        const multipart = await request(app).post(path).field('sid', 'ct-multipart-000001').field('q:interests', 'job-skills').expect(415);
        expect(multipart.text).to.contain('unsupportedMediaType');
      }
      expect(await ResponseModel.countDocuments()).to.equal(0);
    });

    it('huge bodies (urlencoded, JSON, too many fields) answer 413 payloadTooLarge', async () => {
      for (const path of posts) {
        const big = await request(app).post(path).type('form').set('Accept', 'application/json').send(`sid=huge-0000000000001&q:ideas=${'a'.repeat(200_000)}`).expect(413);
        expect(big.body.error.code).to.equal('payloadTooLarge');
        await request(app).post(path).set('Accept', 'application/json').send({ sid: 'huge-json-000000001', 'q:ideas': 'b'.repeat(200_000) }).expect(413);
        const many = Array.from({ length: 1000 }, (_, i) => `f${i}=1`).join('&');
        await request(app).post(path).type('form').set('Accept', 'application/json').send(many).expect(413);
      }
      expect(await ResponseModel.countDocuments()).to.equal(0);
    });
  });

  describe('staff, report and API routes', () => {
    const isStaffArea = (r: AppRoute): boolean => /^\/(staff|reports|api)(\/|$)/.test(r.path);

    it('POST without a CSRF token to every staff form answers 403 csrf (signed in as admin) and changes nothing', async () => {
      const { agent } = await signedInAgent(app, 'admin');
      const before = await snapshot();
      const staffPosts = routes.filter((r) => r.method === 'POST' && (isStaffArea(r) || ['/logout', '/setup'].includes(r.path)));
      expect(staffPosts.length).to.be.greaterThan(20);
      for (const r of staffPosts) {
        const res = await agent.post(concretePath(r.path, PARAMS)).type('form').set('Accept', 'application/json').send({ name: 'x', status: 'closed' });
        expect(res.status, r.path).to.equal(403);
        expect(res.body.error.code, r.path).to.equal('csrf');
      }
      expect(await snapshot()).to.equal(before);
    });

    it('anonymous requests to every staff, report and API page: 303 to sign-in (HTML) or 401 (API), never the page', async () => {
      for (const r of routes.filter((x) => x.method === 'GET' && isStaffArea(x))) {
        const res = await request(app).get(concretePath(r.path, PARAMS));
        if (r.path.startsWith('/api/')) {
          expect(res.status, r.path).to.equal(401);
          expect(res.body.error.code).to.equal('unauthenticated');
        } else {
          expect(res.status, r.path).to.equal(303);
          expect(res.headers.location, r.path).to.match(/^\/login\?next=/);
        }
      }
    });

    it('each role against every staff, report and API page: never a 500 or a sign-in redirect, and the expected answer on the key pages', async () => {
      const agents = {
        board: (await signedInAgent(app, 'board')).agent,
        staff: (await signedInAgent(app, 'staff')).agent,
        admin: (await signedInAgent(app, 'admin')).agent,
      };
      const expected: Record<string, Record<keyof typeof agents, number>> = {
        '/staff/surveys/test-survey': { board: 200, staff: 200, admin: 200 },
        '/api/surveys/test-survey/topics': { board: 200, staff: 200, admin: 200 },
        '/reports/test-survey/summary': { board: 200, staff: 200, admin: 200 },
        '/staff/surveys/test-survey/spam': { board: 403, staff: 200, admin: 200 },
        '/staff/surveys/test-survey/data': { board: 403, staff: 200, admin: 200 },
        '/staff/queue': { board: 403, staff: 200, admin: 200 },
        '/staff/users': { board: 403, staff: 403, admin: 200 },
        '/staff/settings': { board: 403, staff: 403, admin: 200 },
      };
      for (const [role, agent] of Object.entries(agents) as [keyof typeof agents, (typeof agents)['board']][]) {
        for (const r of routes.filter((x) => x.method === 'GET' && isStaffArea(x))) {
          const path = concretePath(r.path, PARAMS);
          const res = await agent.get(path);
          expect(res.status, `${role} ${path}`).to.be.below(500);
          if (res.status === 303) expect(res.headers.location, `${role} ${path}`).to.not.match(/^\/login/);
          if (expected[path]) expect(res.status, `${role} ${path}`).to.equal(expected[path]![role]);
          if (res.status === 403) expect(res.text, `${role} ${path}`).to.contain('forbidden');
        }
      }
    });

    it('staff query strings with operators, pollution keys and malformed dates answer 400 with a code, never 500', async () => {
      const { agent } = await signedInAgent(app, 'board');
      const queries = ['q.children[$ne]=x', 'q.children=%24ne', '__proto__[polluted]=1', 'constructor[prototype][polluted]=1', 'from=2024-13-45', 'to=%00', 'q.%24where=1', `lang=${'x'.repeat(5000)}`];
      for (const q of queries) {
        const res = await agent.get(`/api/surveys/test-survey/topics?${q}`);
        expect(res.status, q).to.be.oneOf([200, 400]);
        if (res.status === 400) expect(res.body.error.code, q).to.match(/^(invalidFilter|unknownFilter|invalidDate|badRequest)$/);
      }
    });

    it('XSS in a staff search and in sign-in fields comes back escaped', async () => {
      const { agent: staff } = await signedInAgent(app, 'staff');
      for (const payload of XSS) {
        const agent = request.agent(app);
        const login = await agent.get('/login').expect(200);
        const csrf = cheerio.load(login.text)('input[name=_csrf]').val() as string;
        const res = await agent.post('/login').type('form').send({ _csrf: csrf, email: payload, password: payload });
        expect(res.status).to.be.within(400, 499);
        expectEscaped(res.text);
      }
      for (const payload of XSS) expectEscaped((await staff.get(`/staff/partners?q=${encodeURIComponent(payload)}`).expect(200)).text);
    });
  });

  after(async () => {
    // Leave nothing behind for the next file.
    await mongoose.connection.db?.collection('rate_limits').deleteMany({});
  });
});
