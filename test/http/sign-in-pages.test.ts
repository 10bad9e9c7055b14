import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildTestApp } from '../helpers/app.js';
import { csrfFrom, signedInAgent, TEST_PASSWORD } from '../helpers/auth.js';
import { useTestApp } from '../helpers/hooks.js';

type Agent = ReturnType<typeof request.agent>;

const langCookie = (res: request.Response): string => [res.headers['set-cookie'] ?? []].flat().find((c: string) => c.startsWith('lang=')) ?? '';

describe('the sign-in and first-run pages: their language, what they say, and to whom', () => {
  const ctx = useTestApp(() => undefined, { LOGIN_RATE_LIMIT: '1000' });

  describe('?lang= picks the page language on /setup and /login, as on respondent pages', () => {
    it('GET /setup?lang=ar answers in Arabic, right to left, and keeps Arabic in the lang cookie', async () => {
      const res = await request(ctx.app).get('/setup?lang=ar').expect(200);
      const $ = cheerio.load(res.text);
      expect($('html').attr('lang')).to.equal('ar');
      expect($('html').attr('dir')).to.equal('rtl');
      expect($('h1').text()).to.equal('إعداد Community Needs');
      expect(langCookie(res)).to.match(/^lang=ar;/);
    });

    it('a setup form sent after GET /setup?lang=ar with a short password answers 422 in Arabic, the error and the hint both describing the password field', async () => {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/setup?lang=ar').expect(200);
      const res = await agent.post('/setup').type('form').send({ _csrf: csrfFrom(page.text), name: 'Ana', email: 'ana@library.test', password: 'short', confirm: 'short' }).expect(422);
      const $ = cheerio.load(res.text);
      expect($('html').attr('dir')).to.equal('rtl');
      expect($('.error-summary li').attr('data-code')).to.equal('passwordLength');
      expect($('#password-error').text()).to.equal('يجب ألّا يقل عدد أحرف كلمة المرور عن 12.');
      expect($('#password').attr('aria-describedby')).to.equal('password-hint password-error');
    });

    it('GET /setup?hl=es still answers in Spanish; an unknown ?lang=xx falls back to Accept-Language (vi)', async () => {
      expect(cheerio.load((await request(ctx.app).get('/setup?hl=es').expect(200)).text)('html').attr('lang')).to.equal('es');
      expect(cheerio.load((await request(ctx.app).get('/setup?lang=xx').set('Accept-Language', 'vi').expect(200)).text)('html').attr('lang')).to.equal('vi');
    });

    it('GET /login?lang=ar with no accounts yet sets the lang cookie on its redirect to /setup, which then answers in Arabic', async () => {
      const agent = request.agent(ctx.app);
      const res = await agent.get('/login?lang=ar').expect(303);
      expect(res.headers.location).to.equal('/setup');
      expect(langCookie(res)).to.match(/^lang=ar;/);
      expect(cheerio.load((await agent.get('/setup').expect(200)).text)('html').attr('lang')).to.equal('ar');
    });

    it('GET /login?lang=zh-Hans answers in Chinese once an account exists; on staff pages ?lang= stays a filter (GET /staff/users?lang=ar is in English)', async () => {
      const { agent: admin } = await signedInAgent(ctx.app, 'admin');
      expect(cheerio.load((await request(ctx.app).get('/login?lang=zh-Hans').expect(200)).text)('h1').text()).to.equal('工作人员登录');
      expect(cheerio.load((await admin.get('/staff/users?lang=ar').expect(200)).text)('html').attr('lang')).to.equal('en');
    });
  });

  describe('what the sign-in page says', () => {
    let sam: Agent;
    beforeEach(async () => {
      ({ agent: sam } = await signedInAgent(ctx.app, 'staff', 'sam@library.test'));
    });

    it('POST /logout redirects to /login?signedOut=1, which says so (role=status) above the form', async () => {
      const page = await sam.get('/staff/surveys').expect(200);
      const res = await sam.post('/logout').type('form').send({ _csrf: csrfFrom(page.text) }).expect(303);
      expect(res.headers.location).to.equal('/login?signedOut=1');
      const $ = cheerio.load((await request(ctx.app).get('/login?signedOut=1&hl=es').expect(200)).text);
      expect($('[role="status"]').text()).to.equal('Se cerró su sesión.');
      expect($('form[action="/login"]').length).to.equal(1);
      expect(cheerio.load((await request(ctx.app).get('/login').expect(200)).text)('[role="status"]').length).to.equal(0);
    });

    it('a wrong password answers 401 with the message and the lock rule as two paragraphs, both fields described by it', async () => {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/login').expect(200);
      const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), email: 'sam@library.test', password: 'wrong password!!' }).expect(401);
      const $ = cheerio.load(res.text);
      const paragraphs = $('#login-error p').map((_, p) => $(p).text()).get();
      expect(paragraphs).to.have.length(2);
      expect(paragraphs[0]).to.equal('We could not sign you in with that email and password. Please check them and try again.');
      expect(paragraphs[1]).to.contain('locked for 15 minutes');
      expect($('#email').attr('aria-describedby')).to.equal('login-error');
      expect($('#password').attr('aria-describedby')).to.equal('login-error');
      expect($('#password').attr('autofocus')).to.not.equal(undefined);
    });
  });

  describe('behind a proxy that sends no X-Forwarded-Proto', () => {
    it('GET /login?lang=ar answers 400 in Arabic: a heading, what the person can do, and the setting and header as left-to-right code', async () => {
      const { app: proxied } = await buildTestApp({ TRUST_PROXY: '1' });
      const res = await request(proxied).get('/login?lang=ar').expect(400);
      const $ = cheerio.load(res.text);
      expect($('html').attr('dir')).to.equal('rtl');
      expect($('#login-error h2').text()).to.equal('لا يمكن تسجيل الدخول عبر هذا الاتصال');
      expect($('#login-error p').first().text()).to.contain('http://');
      const codes = $('#login-error code').map((_, c) => `${$(c).attr('dir')} ${$(c).text()}`).get();
      expect(codes).to.have.members(['ltr X-Forwarded-Proto: https', 'ltr TRUST_PROXY=1']);
      expect($('#login-error').text()).to.not.contain('{{').and.not.contain(String.fromCharCode(0));
      expect($('form').length).to.equal(0);
    });

    it('the same page in every other language names the header and the setting exactly once each', async () => {
      const { app: proxied } = await buildTestApp({ TRUST_PROXY: '1' });
      for (const lang of ['en', 'es', 'vi', 'zh-Hans', 'ht']) {
        const $ = cheerio.load((await request(proxied).get(`/login?hl=${lang}`).expect(400)).text);
        expect($('html').attr('lang')).to.equal(lang);
        expect($('#login-error code').map((_, c) => $(c).text()).get(), lang).to.have.members(['X-Forwarded-Proto: https', 'TRUST_PROXY=1']);
      }
    });
  });

  it('after GET /setup?lang=ar and a valid setup form (303), the new administrator\'s pages stay in Arabic', async () => {
    const agent = request.agent(ctx.app);
    const page = await agent.get('/setup?lang=ar').expect(200);
    await agent.post('/setup').type('form').send({ _csrf: csrfFrom(page.text), name: 'Ana', email: 'ana@library.test', password: TEST_PASSWORD, confirm: TEST_PASSWORD }).expect(303);
    const users = cheerio.load((await agent.get('/staff/users').expect(200)).text);
    expect(users('html').attr('lang')).to.equal('ar');
    expect(users('td[data-label]').first().text()).to.equal('ana@library.test');
  });
});
