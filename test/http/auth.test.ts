import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { UserModel } from '../../surveys/user.model.js';
import { buildTestApp } from '../helpers/app.js';
import { csrfFrom, signedInAgent, TEST_PASSWORD } from '../helpers/auth.js';
import { useTestApp } from '../helpers/hooks.js';
import { buildSurvey } from '../fixtures/builders.js';

describe('staff accounts, sign-in and roles', () => {
  const ctx = useTestApp(buildSurvey, { LOGIN_RATE_LIMIT: '1000' });

  it('more sign-in attempts from one address than allowed answer 429 with the form kept', async () => {
    const { app: strict } = await buildTestApp({ LOGIN_RATE_LIMIT: '3' });
    await signedInAgent(strict, 'staff', 'rate@library.test');
    const agent = request.agent(strict);
    const page = await agent.get('/login').expect(200);
    for (let i = 0; i < 2; i++) await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), email: 'rate@library.test', password: 'nope nope nope' }).expect(401);
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), email: 'rate@library.test', password: TEST_PASSWORD }).expect(429);
    expect(cheerio.load(res.text)('#email').val()).to.equal('rate@library.test');
  });

  describe('anonymous requests are refused everywhere', () => {
    for (const path of ['/staff', '/staff/surveys/test-survey', '/staff/users', '/reports/test-survey/summary', '/reports/test-survey/summary.pdf']) {
      it(`GET ${path} anonymously redirects 303 to sign-in with the page to come back to`, async () => {
        const res = await request(ctx.app).get(path).expect(303);
        expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(path)}`);
      });
    }
    for (const path of ['/api/surveys/test-survey/topics', '/api/surveys/test-survey/summary', '/api/surveys/test-survey/segments/compare', '/api/surveys/test-survey/open-text']) {
      it(`GET ${path} anonymously answers 401 JSON`, async () => {
        const res = await request(ctx.app).get(path).expect(401);
        expect(res.body.error.code).to.equal('unauthenticated');
      });
    }
    it('POST /staff/surveys/test-survey/weights anonymously never changes anything', async () => {
      const res = await request(ctx.app).post('/staff/surveys/test-survey/weights').type('form').send({ reach: '100', priority: '0', intensity: '0' });
      expect(res.status).to.be.within(300, 403);
    });
    it('respondent pages never set a session cookie', async () => {
      const res = await request(ctx.app).get('/s/test-survey').expect(200);
      expect(String(res.headers['set-cookie'] ?? '')).to.not.contain('cn.sid');
    });
  });

  describe('first run', () => {
    it('GET /login with no users redirects to /setup', async () => {
      const res = await request(ctx.app).get('/login').expect(303);
      expect(res.headers.location).to.equal('/setup');
    });

    it('POST /setup creates the first administrator (password hashed with argon2id) and signs them in', async () => {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/setup').expect(200);
      const res = await agent.post('/setup').type('form').send({ _csrf: csrfFrom(page.text), name: 'Ada', email: 'Ada@Library.test', password: TEST_PASSWORD, confirm: TEST_PASSWORD }).expect(303);
      expect(res.headers.location).to.equal('/staff');
      const user = (await UserModel.findOne().lean())!;
      expect(user).to.include({ email: 'ada@library.test', role: 'admin' });
      expect(user.passwordHash).to.match(/^\$argon2id\$/);
      await agent.get('/staff/surveys').expect(200);
    });

    it('POST /setup with a short password answers 422 with the error and keeps name and email', async () => {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/setup').expect(200);
      const res = await agent.post('/setup').type('form').send({ _csrf: csrfFrom(page.text), name: 'Ada', email: 'ada@library.test', password: 'short', confirm: 'short' }).expect(422);
      const $ = cheerio.load(res.text);
      expect($('#password').attr('aria-invalid')).to.equal('true');
      expect($('#email').val()).to.equal('ada@library.test');
      expect(await UserModel.countDocuments()).to.equal(0);
    });

    it('GET and POST /setup once a user exists go to sign-in and create nobody', async () => {
      await signedInAgent(ctx.app, 'staff');
      const agent = request.agent(ctx.app);
      expect((await agent.get('/setup').expect(303)).headers.location).to.equal('/login');
      const login = await agent.get('/login').expect(200);
      await agent.post('/setup').type('form').send({ _csrf: csrfFrom(login.text), name: 'Eve', email: 'eve@x.test', password: TEST_PASSWORD, confirm: TEST_PASSWORD }).expect(303);
      expect(await UserModel.countDocuments()).to.equal(1);
    });
  });

  describe('sign-in', () => {
    beforeEach(async () => {
      const { agent } = await signedInAgent(ctx.app, 'staff', 'sam@library.test');
      await agent.post('/logout');
    });

    it('POST /login without the CSRF token answers 403', async () => {
      const agent = request.agent(ctx.app);
      await agent.get('/login').expect(200);
      const res = await agent.post('/login').type('form').send({ email: 'sam@library.test', password: TEST_PASSWORD }).expect(403);
      expect(res.text).to.contain('csrf');
    });

    it('POST /login with a wrong password answers 401, says so, and keeps the email', async () => {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/login').expect(200);
      const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), email: 'sam@library.test', password: 'wrong password!!' }).expect(401);
      expect(cheerio.load(res.text)('#email').val()).to.equal('sam@library.test');
    });

    it('POST /login gives a fresh session id and returns to the page asked for', async () => {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/login?next=%2Fstaff%2Fsurveys%2Ftest-survey').expect(200);
      const before = String(page.headers['set-cookie']).match(/cn\.sid=([^;]+)/)?.[1];
      const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), email: 'sam@library.test', password: TEST_PASSWORD, next: '/staff/surveys/test-survey' }).expect(303);
      const after = String(res.headers['set-cookie']).match(/cn\.sid=([^;]+)/)?.[1];
      expect(res.headers.location).to.equal('/staff/surveys/test-survey');
      expect(after).to.be.a('string').and.not.equal(before);
      expect(String(res.headers['set-cookie'])).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i);
    });

    it('POST /login never redirects off-site (next=//evil.example)', async () => {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/login').expect(200);
      const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), email: 'sam@library.test', password: TEST_PASSWORD, next: '//evil.example' }).expect(303);
      expect(res.headers.location).to.equal('/staff');
    });

    it('five wrong passwords lock the email for a browser that never signed in with it: the right password then answers the same 401 as a wrong one', async () => {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/login').expect(200);
      const token = csrfFrom(page.text);
      const wrong = [];
      for (let i = 0; i < 5; i++) wrong.push(await agent.post('/login').type('form').send({ _csrf: token, email: 'sam@library.test', password: `wrong-password-${i}` }).expect(401));
      const res = await agent.post('/login').type('form').send({ _csrf: token, email: 'sam@library.test', password: TEST_PASSWORD }).expect(401);
      const said = (r: request.Response): string => cheerio.load(r.text)('.error-summary').text();
      expect(said(res)).to.equal(said(wrong[0]!));
    });

    it('POST /logout ends the session', async () => {
      const { agent, csrf } = await signedInAgent(ctx.app, 'board');
      await agent.post('/logout').type('form').send({ _csrf: await csrf() }).expect(303);
      await agent.get('/staff/surveys').expect(303);
    });
  });

  describe('roles', () => {
    it('a board member reads dashboards and summaries but cannot change settings or manage users', async () => {
      const { agent, csrf } = await signedInAgent(ctx.app, 'board');
      await agent.get('/staff/surveys/test-survey').expect(200);
      await agent.get('/reports/test-survey/summary').expect(200);
      await agent.get('/api/surveys/test-survey/topics').expect(200);
      await agent.get('/staff/users').expect(403);
      await agent.post('/staff/surveys/test-survey/weights').type('form').send({ _csrf: await csrf(), reach: '100', priority: '0', intensity: '0' }).expect(403);
      await agent.post('/staff/users').type('form').send({ _csrf: await csrf(), email: 'x@y.test', name: 'X', role: 'admin', password: TEST_PASSWORD }).expect(403);
      expect(await UserModel.countDocuments()).to.equal(1);
    });

    it('staff change survey settings but cannot manage users', async () => {
      const { agent, csrf } = await signedInAgent(ctx.app, 'staff');
      await agent.post('/staff/surveys/test-survey/weights').type('form').send({ _csrf: await csrf(), reach: '60', priority: '30', intensity: '10' }).expect(303);
      await agent.get('/staff/users').expect(403);
    });

    it('an administrator creates accounts; a bad one answers 422 with the problems', async () => {
      const { agent, csrf } = await signedInAgent(ctx.app, 'admin');
      await agent.post('/staff/users').type('form').send({ _csrf: await csrf(), email: 'bo@library.test', name: 'Bo', role: 'board', password: TEST_PASSWORD }).expect(303);
      const bad = await agent.post('/staff/users').type('form').send({ _csrf: await csrf(), email: 'bo@library.test', name: '', role: 'king', password: 'x' }).expect(422);
      const text = cheerio.load(bad.text)('.error-summary').text();
      expect(text.length).to.be.greaterThan(0);
      expect(await UserModel.countDocuments()).to.equal(2);
    });

    it('a disabled account is signed out at its next request', async () => {
      const { agent } = await signedInAgent(ctx.app, 'staff', 'gone@library.test');
      await UserModel.updateOne({ email: 'gone@library.test' }, { $set: { disabled: true } });
      await agent.get('/staff/surveys').expect(303);
    });
  });
});
