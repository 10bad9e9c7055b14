import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { PartnerModel } from '../../surveys/partner.model.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { SettingsModel } from '../../surveys/settings.model.js';
import { SpamResponseModel } from '../../surveys/spam.model.js';
import { SurveyModel } from '../../surveys/survey.model.js';
import { UserModel } from '../../surveys/user.model.js';
import { buildTestApp, testI18n } from '../helpers/app.js';
import { csrfFrom, signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { concretePath, listRoutes, type AppRoute } from '../helpers/routes.js';
import { buildDefinition, buildSurvey } from '../fixtures/builders.js';
import { buildPartner } from '../fixtures/partners.js';

type Agent = ReturnType<typeof request.agent>;

/** Every field name the app's forms send (one value each), plus the list fields. */
const SINGLE_FIELDS = ['email', 'password', 'current', 'confirm', 'name', 'role', 'disabled', 'title', 'intro', 'newType', 'newLabel', 'back', 'status', 'closesAt', 'slug', 'direction', 'hidden', 'reach', 'priority', 'intensity', 'reset', 'target', 'replaceDraft', 'language', 'batch', 'sid', 'action', 'type', 'notes', 'date', 'libraryName', 'thankYouUrl', 'kioskIdleSeconds', 'kioskLocations', 'source', 'template', 'defaultLanguage', 'label', 'lang', 'location', 'ch', 'contact', 'phone', 'website', 'next'];
const LIST_FIELDS = ['languages', 'defaultLanguages', 'topics', 'anyOf', 'q:interests'];
const OPERATORS = [{ $ne: null }, { $gt: '' }, { $where: 'sleep(1000)' }, { $regex: '.*' }, { $in: ['admin'] }];

/** Routes that take multipart/form-data. */
const MULTIPART = ['/staff/surveys/upload', '/staff/surveys/:slug/translations/:lang', '/staff/surveys/:slug/translations/:lang/import', '/staff/surveys/:slug/import', '/staff/partners/import', '/staff/queue/import', '/staff/settings/logo'];

async function snapshot(): Promise<string> {
  const strip = { _id: 0, updatedAt: 0, lastLoginAt: 0, failedLogins: 0 };
  const [responses, spam, users, surveys, partners, settings] = await Promise.all([
    ResponseModel.find({}, { _id: 0 }).sort({ submissionId: 1 }).lean(),
    SpamResponseModel.countDocuments(),
    UserModel.find({}, strip).sort({ email: 1 }).lean(),
    SurveyModel.find({}, { _id: 0 }).sort({ slug: 1 }).lean(),
    PartnerModel.find({}, { _id: 0 }).sort({ name: 1 }).lean(),
    SettingsModel.find({}, { _id: 0 }).lean(),
  ]);
  return JSON.stringify({ responses, spam, users, surveys, partners, settings });
}

describe('injection: every body and query is form fields; operators and "$" names never reach a query or an update', function () {
  this.timeout(120000);
  let app: Express;
  let routes: AppRoute[];
  let admin: Agent;
  let token: string;
  let params: Record<string, string>;
  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '100000' }));
    routes = listRoutes(app);
  });
  beforeEach(async () => {
    await clearDatabase();
    await buildSurvey();
    const partner = await buildPartner();
    ({ agent: admin } = await signedInAgent(app, 'admin'));
    token = csrfFrom((await admin.get('/staff/surveys').expect(200)).text);
    params = { slug: 'test-survey', id: partner.id, qid: 'name', lang: 'es', batch: '0123456789abcdef01234567', importId: '0123456789abcdef01234567', programId: '0123456789abcdef01234567' };
  });
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').to.equal(undefined);
  });

  const url = (r: AppRoute): string => concretePath(r.path, params);
  const expectRefused = (res: request.Response, what: string): void => {
    expect(res.status, `${what}: ${res.text.slice(0, 200)}`).to.equal(400);
    expect(res.body.error?.code, what).to.equal('badRequest');
  };

  it('Mongoose sanitizeFilter and strictQuery are on: an operator object in a filter is taken as a value, never as an operator', async () => {
    expect(mongoose.get('sanitizeFilter')).to.equal(true);
    expect(mongoose.get('strictQuery')).to.equal(true);
    expect(await UserModel.countDocuments()).to.equal(1);
    // The operator becomes a value ({ $eq: { $ne: null } }), which no email can equal: the query is refused, never widened.
    const outcome = (query: Promise<unknown>): Promise<unknown> => query.then((v) => v, (err: Error) => err.name);
    expect(await outcome(UserModel.findOne({ email: { $ne: null } } as never).lean())).to.be.oneOf([null, 'CastError']);
    expect(await outcome(UserModel.countDocuments({ email: { $gt: '' } } as never))).to.be.oneOf([0, 'CastError']);
    expect(await outcome(UserModel.findOne({ passwordHash: { $regex: '.*' } } as never).lean())).to.be.oneOf([null, 'CastError']);
  });

  it('every POST route, sent JSON with operator objects in each field, answers 400 badRequest (as admin, with the CSRF token) and changes nothing', async () => {
    const before = await snapshot();
    const posts = routes.filter((r) => r.method === 'POST');
    expect(posts.length).to.be.greaterThan(40);
    for (const r of posts) {
      for (const [i, op] of OPERATORS.entries()) {
        const body = Object.fromEntries([...SINGLE_FIELDS, ...LIST_FIELDS].map((f) => [f, op]));
        const res = await admin.post(url(r)).set('Accept', 'application/json').set('X-CSRF-Token', token).send({ ...body, _csrf: token, sid: `inj-json-${i}-000000000` });
        expectRefused(res, `${r.path} ${JSON.stringify(op)}`);
      }
      expectRefused(await admin.post(url(r)).set('Accept', 'application/json').set('X-CSRF-Token', token).send([{ email: 'x' }]), `${r.path} array body`);
    }
    expect(await snapshot()).to.equal(before);
  });

  it('every POST route, sent a form field named "$where" or "$set", or one of its single fields twice, answers 400 and changes nothing', async () => {
    const before = await snapshot();
    const twice = SINGLE_FIELDS.map((f) => `${f}=a&${f}=b`).join('&');
    for (const r of routes.filter((x) => x.method === 'POST')) {
      for (const body of [`$where=1&_csrf=${token}`, `$set[role]=admin&_csrf=${token}`, `${twice}&_csrf=${token}`]) {
        expectRefused(await admin.post(url(r)).set('Accept', 'application/json').set('X-CSRF-Token', token).type('form').send(body), `${r.path} ${body.slice(0, 40)}`);
      }
    }
    // Each single field on its own (the check is the same for every route).
    for (const f of SINGLE_FIELDS) expectRefused(await admin.post('/staff/partners').set('Accept', 'application/json').set('X-CSRF-Token', token).type('form').send(`${f}=a&${f}=b&_csrf=${token}`), `${f} twice`);
    expect(await snapshot()).to.equal(before);
  });

  it('every multipart route, sent "a[$ne]" (read as an object), "$where" or a single field twice, answers 400 and changes nothing', async () => {
    const before = await snapshot();
    const multipart = routes.filter((r) => r.method === 'POST' && MULTIPART.includes(r.path));
    expect(multipart.map((r) => r.path)).to.have.members(MULTIPART);
    for (const r of multipart) {
      for (const [name, value] of [['target[$ne]', 'x'], ['$where', '1'], ['lang[__proto__][polluted]', 'yes'], ['t:title[$set]', 'x']]) {
        const res = await admin.post(url(r)).set('Accept', 'application/json').set('X-CSRF-Token', token).field('_csrf', token).field(name!, value!);
        expectRefused(res, `${r.path} ${name}`);
      }
      const twice = await admin.post(url(r)).set('Accept', 'application/json').set('X-CSRF-Token', token).field('_csrf', token).field('target', 'new').field('target', 'draft');
      expectRefused(twice, `${r.path} target twice`);
    }
    expect(await snapshot()).to.equal(before);
  });

  it('every GET route (but /healthz, which reads nothing), with "$where" or a repeated single parameter in the query, answers 400', async () => {
    for (const r of routes.filter((x) => x.method === 'GET' && x.path !== '/healthz')) {
      for (const query of ['$where=1', '%24gt=1', 'page=1&page=2', 'lang=en&lang=es']) {
        expectRefused(await admin.get(`${url(r)}?${query}`).set('Accept', 'application/json'), `${r.path}?${query}`);
      }
    }
  });

  it('every route with a path parameter, given "$where", "a.b", "__proto__", an overlong or malformed value for each parameter in turn, answers a 4xx (never a 500) and changes nothing', async () => {
    const before = await snapshot();
    const hostile = ['%24where', 'a.b', '__proto__', 'x'.repeat(300), '%C0%AF'];
    const withParams = routes.filter((r) => r.path.includes(':'));
    expect(withParams.length).to.be.greaterThan(50);
    for (const r of withParams) {
      // One parameter at a time, the others pointing at real things, so each is checked where it is used.
      for (const name of [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!)) {
        for (const value of hostile) {
          const path = r.path.replace(/:(\w+)/g, (_, n: string) => (n === name ? value : encodeURIComponent(params[n] ?? 'x')));
          const res = r.method === 'GET' ? await admin.get(path) : await admin.post(path).set('X-CSRF-Token', token).type('form').send({ _csrf: token });
          expect(res.status, `${r.method} ${path.slice(0, 120)}`).to.be.within(400, 499);
          expect(res.text, path).to.not.match(/at .*\.(ts|js):\d+/);
        }
      }
    }
    expect(await snapshot()).to.equal(before);
  });

  it('the refusal is a localized page: in Spanish, the Spanish title and message of badRequest, no stack trace', async () => {
    const t = (await testI18n()).getFixedT('es');
    const res = await admin.post('/staff/partners?hl=es').set('X-CSRF-Token', token).send({ _csrf: token, name: { $ne: null } }).expect(400);
    const $ = cheerio.load(res.text);
    expect($('html').attr('lang')).to.equal('es');
    expect($('h1').text()).to.equal(t('errors.badRequest.title'));
    expect($('main').text()).to.contain(t('errors.badRequest.message'));
    expect(res.text).to.not.match(/at .*\.(ts|js):\d+/);
  });

  it('list fields take several values: survey languages, default languages, partner topics, poster languages and filters', async () => {
    await admin.get('/staff/surveys/test-survey/poster?size=letter&langs=en&langs=es').expect(200);
    await admin.get('/api/surveys/test-survey/topics?q.children=yes&q.children=no').expect(200);
    const res = await admin.post('/staff/partners').type('form').send(`_csrf=${token}&name=Hill+Garden&type=local-businesses&topics=community-events&topics=teen-programs&status=active`).expect(303);
    const created = await PartnerModel.findOne({ name: 'Hill Garden' }).lean();
    expect(created?.topics).to.deep.equal(['community-events', 'teen-programs']);
    expect(res.headers.location).to.match(/^\/staff\/partners\/[0-9a-f]{24}\?saved=1$/);
    await admin.post('/staff/settings').type('form').send(`_csrf=${token}&libraryName=Hill&kioskIdleSeconds=90&defaultLanguages=en&defaultLanguages=es`).expect(303);
  });

  it('sign-in with operator objects or lists for email and password answers 400, and no session is signed in', async () => {
    const agent = request.agent(app);
    const csrf = csrfFrom((await agent.get('/login').expect(200)).text);
    for (const body of [{ email: { $ne: null }, password: { $ne: null } }, { email: { $regex: '.*' }, password: { $gt: '' } }]) {
      expectRefused(await agent.post('/login').set('Accept', 'application/json').send({ _csrf: csrf, ...body }), JSON.stringify(body));
    }
    const twice = await agent.post('/login').type('form').send(`_csrf=${csrf}&email=admin%40library.test&email=x&password=a&password=b`).expect(400);
    expect(cheerio.load(twice.text)('.error-page__code').text()).to.contain('badRequest');
    await agent.get('/staff/surveys').expect(303).expect('location', /^\/login/);
  });

  describe('uploaded files: "$" and "." in names inside a file never become keys of a stored document', () => {
    const uploadDefinition = (file: unknown, fields: Record<string, string>) => {
      let req = admin.post('/staff/surveys/upload').field('_csrf', token);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req.attach('definition', Buffer.from(JSON.stringify(file)), 'survey.json');
    };

    it('a definition with "$where" or "en.x" as a language key, "a.b" as a question id or "$gt" as an option id answers 422 and stores nothing', async () => {
      const before = await snapshot();
      const base = buildDefinition({ slug: 'hostile-keys' });
      const hostile = [
        { ...base, title: { en: 'T', $where: 'x' } },
        { ...base, title: { en: 'T', 'en.x': 'x' } },
        { ...base, questions: [{ ...base.questions[3]!, id: 'a.b' }] },
        { ...base, questions: [{ ...base.questions[0]!, options: [{ id: '$gt', label: { en: 'x' } }, { id: 'b', label: { en: 'y' } }] }] },
        { ...base, $set: { status: 'open' } },
      ];
      for (const def of hostile) {
        const res = await uploadDefinition(def, { target: 'new' });
        expect(res.status, JSON.stringify(def).slice(0, 120)).to.equal(422);
      }
      expect(await snapshot()).to.equal(before);
    });

    it('a translation file with keys "$set", "title.$where", "__proto__" and an object value keeps only the known key; the stored draft has no such keys', async () => {
      const file = '{"title":"Hola","$set":{"status":"open"},"title.$where":"x","__proto__":{"polluted":"yes"},"intro":{"$gt":""}}';
      const res = await admin.post('/staff/surveys/test-survey/translations/es/import').field('_csrf', token).attach('file', Buffer.from(file), 'es.json').expect(200);
      expect(cheerio.load(res.text)('.import-report').text()).to.contain('1 text');
      const stored = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!;
      expect((stored.draft as { title: Record<string, string> }).title.es).to.equal('Hola');
      expect(JSON.stringify(stored)).to.not.match(/"\$|\.\$|polluted/);
    });

    it('a queue file whose items carry an operator object or "$"-named answers stores nothing operator-like (rejected or stored as plain answers)', async () => {
      const body = (sid: string, extra: string) => `sid=${sid}&lang=en&q:interests=job-skills&${extra}`;
      const file = {
        format: 'community-needs-queue',
        version: 1,
        items: [
          { sid: 'queue-inj-0000000001', action: '/s/test-survey', body: body('queue-inj-0000000001', 'q:$where=1') },
          { sid: 'queue-inj-0000000002', action: '/s/test-survey', body: body('queue-inj-0000000002', 'q:children[$ne]=x&$set=1') },
          { sid: { $ne: null }, action: '/s/test-survey', body: 'x' },
        ],
      };
      const res = await admin.post('/staff/queue/import').field('_csrf', token).attach('file', Buffer.from(JSON.stringify(file)), 'queue.json');
      expect(res.status).to.be.oneOf([200, 422]);
      for (const doc of await ResponseModel.find().lean()) expect(JSON.stringify(doc)).to.not.match(/"\$|\[\$/);
      const fine = { ...file, items: file.items.slice(0, 2) };
      const again = await admin.post('/staff/queue/import').field('_csrf', token).attach('file', Buffer.from(JSON.stringify(fine)), 'queue.json').expect(200);
      expect(again.text).to.not.contain('$where');
      for (const doc of await ResponseModel.find().lean()) expect(Object.keys(doc.answers as object).every((k) => /^[a-z0-9_-]+$/i.test(k)), JSON.stringify(doc.answers)).to.equal(true);
    });
  });
});
