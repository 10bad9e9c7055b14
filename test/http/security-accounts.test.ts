import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import { UserModel } from '../../surveys/user.model.js';
import { setUserDisabled } from '../../surveys/user.service.js';
import { ValidationError } from '../../server/errors.js';
import { csrfFrom, signedInAgent, TEST_PASSWORD } from '../helpers/auth.js';
import { useTestApp } from '../helpers/hooks.js';
import { buildSurvey } from '../fixtures/builders.js';

const NEW_PASSWORD = 'violet tugboat orbit 42';
const codes = (html: string): string[] => cheerio.load(html)('.error-summary li[data-code]').map((_, el) => cheerio.load(el)('li').attr('data-code')).get();
const idOf = async (email: string): Promise<string> => String((await UserModel.findOne({ email }).lean())!._id);

async function login(app: Express, email: string, password: string): Promise<{ status: number; agent: ReturnType<typeof request.agent> }> {
  const agent = request.agent(app);
  const page = await agent.get('/login').expect(200);
  const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), email, password });
  return { status: res.status, agent };
}

describe('account security: password rules, admin resets and disabling, own password change', () => {
  const ctx = useTestApp(buildSurvey, { LOGIN_RATE_LIMIT: '1000' });

  describe('common passwords are refused everywhere a password is set', () => {
    it('POST /setup with "Password1234" answers 422 passwordCommon and creates nobody', async () => {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/setup').expect(200);
      const res = await agent.post('/setup').type('form').send({ _csrf: csrfFrom(page.text), name: 'Ada', email: 'ada@library.test', password: 'Password1234', confirm: 'Password1234' }).expect(422);
      expect(codes(res.text)).to.deep.equal(['passwordCommon']);
      expect(cheerio.load(res.text)('#password').attr('aria-invalid')).to.equal('true');
      expect(await UserModel.countDocuments()).to.equal(0);
    });

    it('POST /staff/users with "QWERTYUIOP12" or the email local part repeated answers 422 passwordCommon', async () => {
      const { agent, csrf } = await signedInAgent(ctx.app, 'admin');
      const common = await agent.post('/staff/users').type('form').send({ _csrf: await csrf(), email: 'bo@library.test', name: 'Bo', role: 'staff', password: 'QWERTYUIOP12' }).expect(422);
      expect(codes(common.text)).to.deep.equal(['passwordCommon']);
      const own = await agent.post('/staff/users').type('form').send({ _csrf: await csrf(), email: 'bookworm.jo@library.test', name: 'Jo', role: 'staff', password: 'bookworm.jobookworm.jo' }).expect(422);
      expect(codes(own.text)).to.deep.equal(['passwordCommon']);
      expect(await UserModel.countDocuments()).to.equal(1);
    });

    it('the famous passphrase "correct horse battery staple" (and "CorrectHorseBatteryStaple1") answers 422 passwordCommon on setup, a new account and a change', async () => {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/setup').expect(200);
      const setup = await agent.post('/setup').type('form').send({ _csrf: csrfFrom(page.text), name: 'Ada', email: 'ada@library.test', password: 'correct horse battery staple', confirm: 'correct horse battery staple' }).expect(422);
      expect(codes(setup.text)).to.deep.equal(['passwordCommon']);
      const { agent: admin, csrf } = await signedInAgent(ctx.app, 'admin');
      const added = await admin.post('/staff/users').type('form').send({ _csrf: await csrf(), email: 'bo@library.test', name: 'Bo', role: 'staff', password: 'CorrectHorseBatteryStaple1' }).expect(422);
      expect(codes(added.text)).to.deep.equal(['passwordCommon']);
      const changed = await admin.post('/staff/account/password').type('form').send({ _csrf: await csrf(), current: TEST_PASSWORD, password: 'correct-horse-battery-staple', confirm: 'correct-horse-battery-staple' }).expect(422);
      expect(codes(changed.text)).to.deep.equal(['passwordCommon']);
      expect(await UserModel.countDocuments()).to.equal(1);
    });
  });

  describe('administrators manage accounts at /staff/users', () => {
    it('POST /staff/users/:id/password sets the typed password (303), ends that user\'s sessions, and the new one signs in', async () => {
      const { agent: admin, csrf } = await signedInAgent(ctx.app, 'admin');
      const { agent: staff } = await signedInAgent(ctx.app, 'staff', 'sam@library.test');
      const before = (await UserModel.findOne({ email: 'sam@library.test' }).lean())!;
      const res = await admin.post(`/staff/users/${before._id}/password`).type('form').send({ _csrf: await csrf(), password: NEW_PASSWORD }).expect(303);
      expect(res.headers.location).to.equal('/staff/users?done=reset');
      const after = (await UserModel.findOne({ email: 'sam@library.test' }).lean())!;
      expect(after.passwordHash).to.not.equal(before.passwordHash);
      expect(after.sessionVersion).to.equal(1);
      expect(after.passwordChangedAt).to.be.instanceOf(Date);
      expect((await staff.get('/staff/surveys').expect(303)).headers.location).to.match(/^\/login/);
      expect((await login(ctx.app, 'sam@library.test', TEST_PASSWORD)).status).to.equal(401);
      expect((await login(ctx.app, 'sam@library.test', NEW_PASSWORD)).status).to.equal(303);
      expect((await admin.get('/staff/users?done=reset').expect(200)).text).to.contain('role="status"');
    });

    it('POST /staff/users/:id/password with "library12345" answers 422 passwordCommon on that row and changes nothing', async () => {
      const { agent: admin, csrf } = await signedInAgent(ctx.app, 'admin');
      await signedInAgent(ctx.app, 'staff', 'sam@library.test');
      const id = await idOf('sam@library.test');
      const res = await admin.post(`/staff/users/${id}/password`).type('form').send({ _csrf: await csrf(), password: 'library12345' }).expect(422);
      expect(codes(res.text)).to.deep.equal(['passwordCommon']);
      expect(cheerio.load(res.text)(`#password-${id}`).attr('aria-invalid')).to.equal('true');
      expect((await UserModel.findById(id).lean())!.sessionVersion).to.equal(0);
    });

    it('POST /staff/users/:id/status disabled=1 signs the user out at their next request; disabled=0 lets them back in', async () => {
      const { agent: admin, csrf } = await signedInAgent(ctx.app, 'admin');
      const { agent: staff } = await signedInAgent(ctx.app, 'staff', 'sam@library.test');
      const id = await idOf('sam@library.test');
      expect((await admin.post(`/staff/users/${id}/status`).type('form').send({ _csrf: await csrf(), disabled: '1' }).expect(303)).headers.location).to.equal('/staff/users?done=disabled');
      await staff.get('/staff/surveys').expect(303);
      expect((await login(ctx.app, 'sam@library.test', TEST_PASSWORD)).status).to.equal(401);
      await admin.post(`/staff/users/${id}/status`).type('form').send({ _csrf: await csrf(), disabled: '0' }).expect(303);
      expect((await login(ctx.app, 'sam@library.test', TEST_PASSWORD)).status).to.equal(303);
    });

    it('an administrator disabling their own account gets 422 cannotDisableSelf and stays signed in', async () => {
      const { agent: admin, csrf } = await signedInAgent(ctx.app, 'admin');
      const id = await idOf('admin@library.test');
      const res = await admin.post(`/staff/users/${id}/status`).type('form').send({ _csrf: await csrf(), disabled: '1' }).expect(422);
      expect(codes(res.text)).to.deep.equal(['cannotDisableSelf']);
      expect((await UserModel.findById(id).lean())!.disabled).to.equal(false);
      await admin.get('/staff/users').expect(200);
    });

    it('the last active administrator cannot be disabled (lastAdmin); with two, one may disable the other', async () => {
      await signedInAgent(ctx.app, 'staff', 'sam@library.test');
      const { agent: admin, csrf } = await signedInAgent(ctx.app, 'admin');
      const adminId = await idOf('admin@library.test');
      const err = await setUserDisabled(await idOf('sam@library.test'), adminId, true).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ValidationError);
      expect((err as ValidationError).problems.map((p) => p.code)).to.deep.equal(['lastAdmin']);
      await signedInAgent(ctx.app, 'admin', 'second@library.test');
      await admin.post(`/staff/users/${await idOf('second@library.test')}/status`).type('form').send({ _csrf: await csrf(), disabled: '1' }).expect(303);
      expect(await UserModel.countDocuments({ role: 'admin', disabled: false })).to.equal(1);
    });

    it('staff cannot reset passwords or disable accounts (403); an unknown id answers 404; no CSRF token answers 403', async () => {
      const { agent: staff, csrf } = await signedInAgent(ctx.app, 'staff');
      const { agent: admin, csrf: adminCsrf } = await signedInAgent(ctx.app, 'admin');
      const id = await idOf('admin@library.test');
      await staff.post(`/staff/users/${id}/password`).type('form').send({ _csrf: await csrf(), password: NEW_PASSWORD }).expect(403);
      await staff.post(`/staff/users/${id}/status`).type('form').send({ _csrf: await csrf(), disabled: '1' }).expect(403);
      await admin.post('/staff/users/ffffffffffffffffffffffff/password').type('form').send({ _csrf: await adminCsrf(), password: NEW_PASSWORD }).expect(404);
      await admin.post('/staff/users/not-an-id/status').type('form').send({ _csrf: await adminCsrf(), disabled: '1' }).expect(404);
      await admin.post(`/staff/users/${await idOf('staff@library.test')}/status`).type('form').send({ disabled: '1' }).expect(403);
      expect(await UserModel.countDocuments({ disabled: true })).to.equal(0);
    });
  });

  describe('everyone changes their own password at /staff/account', () => {
    it('GET /staff/account shows the form with a CSRF token, and the header links to it', async () => {
      const { agent } = await signedInAgent(ctx.app, 'board');
      const $ = cheerio.load((await agent.get('/staff/account').expect(200)).text);
      expect($('form[action="/staff/account/password"] input[name=_csrf]').val()).to.be.a('string').and.not.equal('');
      expect($('#current').attr('autocomplete')).to.equal('current-password');
      expect($('.staff-header a[href="/staff/account"]').length).to.equal(1);
      expect((await request(ctx.app).get('/staff/account').expect(303)).headers.location).to.equal('/login?next=%2Fstaff%2Faccount');
    });

    it('a wrong current password, a common new one, or a mismatch answer 422 with their codes and change nothing', async () => {
      const { agent, csrf } = await signedInAgent(ctx.app, 'staff');
      const send = async (body: Record<string, string>) => codes((await agent.post('/staff/account/password').type('form').send({ _csrf: await csrf(), ...body }).expect(422)).text);
      expect(await send({ current: 'not my password', password: NEW_PASSWORD, confirm: NEW_PASSWORD })).to.deep.equal(['currentPassword']);
      expect(await send({ current: TEST_PASSWORD, password: 'iloveyou1234', confirm: 'iloveyou1234' })).to.deep.equal(['passwordCommon']);
      expect(await send({ current: TEST_PASSWORD, password: NEW_PASSWORD, confirm: 'something else!' })).to.deep.equal(['passwordMismatch']);
      expect(await send({ current: TEST_PASSWORD, password: TEST_PASSWORD, confirm: TEST_PASSWORD })).to.deep.equal(['passwordSame']);
      expect((await UserModel.findOne({ email: 'staff@library.test' }).lean())!.sessionVersion).to.equal(0);
    });

    it('a valid change answers 303, gives this session a fresh id, keeps it signed in, and ends the other sessions', async () => {
      const { agent: here, csrf } = await signedInAgent(ctx.app, 'staff', 'sam@library.test');
      const { status, agent: elsewhere } = await login(ctx.app, 'sam@library.test', TEST_PASSWORD);
      expect(status).to.equal(303);
      await elsewhere.get('/staff/surveys').expect(200);
      const res = await here.post('/staff/account/password').type('form').send({ _csrf: await csrf(), current: TEST_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD }).expect(303);
      expect(res.headers.location).to.equal('/staff/account?changed=1');
      expect(String(res.headers['set-cookie'])).to.match(/cn\.sid=/);
      await here.get('/staff/surveys').expect(200);
      expect((await here.get('/staff/account?changed=1').expect(200)).text).to.contain('role="status"');
      expect((await elsewhere.get('/staff/surveys').expect(303)).headers.location).to.match(/^\/login/);
      expect((await login(ctx.app, 'sam@library.test', NEW_PASSWORD)).status).to.equal(303);
      expect((await login(ctx.app, 'sam@library.test', TEST_PASSWORD)).status).to.equal(401);
    });
  });
});
