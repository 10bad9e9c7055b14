import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import { LoginThrottleModel } from '../../surveys/login-throttle.model.js';
import { throttleId } from '../../surveys/login-throttle.service.js';
import { passwordCheck } from '../../surveys/sign-in.service.js';
import { UserModel } from '../../surveys/user.model.js';
import { createUser } from '../../surveys/user.service.js';
import { csrfFrom, signedInAgent, TEST_PASSWORD } from '../helpers/auth.js';
import { useTestApp } from '../helpers/hooks.js';
import { buildSurvey } from '../fixtures/builders.js';

type Agent = ReturnType<typeof request.agent>;
const SAM = 'sam@library.test';
const NOBODY = 'nobody@library.test';

/** A browser that has never signed in: its own cookie jar and form token. */
async function newBrowser(app: Express): Promise<{ agent: Agent; token: string }> {
  const agent = request.agent(app);
  return { agent, token: csrfFrom((await agent.get('/login').expect(200)).text) };
}

function attempt(b: { agent: Agent; token: string }, email: string, password: string): request.Test {
  return b.agent.post('/login').type('form').send({ _csrf: b.token, email, password });
}

/** What the sign-in page tells the person: the error summary, as text. */
const said = (res: request.Response): string => cheerio.load(res.text)('.error-summary').text().trim();

const deviceCookie = (res: request.Response): string => [res.headers['set-cookie'] ?? []].flat().find((c: string) => c.startsWith('cn.device=')) ?? '';

describe('staff sign-in gives nothing away: same answer for known and unknown emails, locked or not', () => {
  const ctx = useTestApp(buildSurvey, { LOGIN_RATE_LIMIT: '1000' });
  beforeEach(async () => {
    await createUser({ email: SAM, name: 'Sam', role: 'staff', password: TEST_PASSWORD });
  });

  it('five wrong passwords for a real email and for an unknown one: every answer is the same 401 page, and the sixth (right password, new browser) too', async () => {
    const known = await newBrowser(ctx.app);
    const unknown = await newBrowser(ctx.app);
    for (let i = 0; i < 5; i++) {
      const a = await attempt(known, SAM, `wrong password ${i}`);
      const b = await attempt(unknown, NOBODY, `wrong password ${i}`);
      expect([a.status, b.status]).to.deep.equal([401, 401]);
      expect(said(a)).to.equal(said(b)).and.not.equal('');
    }
    const locked = await attempt(await newBrowser(ctx.app), SAM, TEST_PASSWORD);
    const none = await attempt(await newBrowser(ctx.app), NOBODY, TEST_PASSWORD);
    expect([locked.status, none.status]).to.deep.equal([401, 401]);
    expect(said(locked)).to.equal(said(none));
    expect(locked.text).to.not.match(/locked for 15 minutes\./);
    expect(cheerio.load(locked.text)('#email').val()).to.equal(SAM);
  });

  it('every sign-in runs one argon2 verification: the account\'s hash for a real email (locked or not), a dummy hash for an unknown or disabled one', async () => {
    const hashes: string[] = [];
    const original = passwordCheck.verify;
    passwordCheck.verify = (hash, password) => {
      hashes.push(hash);
      return original(hash, password);
    };
    try {
      const sam = (await UserModel.findOne({ email: SAM }).lean())!;
      await createUser({ email: 'gone@library.test', name: 'Gone', role: 'staff', password: TEST_PASSWORD });
      await UserModel.updateOne({ email: 'gone@library.test' }, { $set: { disabled: true } });
      const b = await newBrowser(ctx.app);
      for (let i = 0; i < 6; i++) await attempt(b, SAM, `wrong password ${i}`).then((r) => expect(r.status).to.equal(401));
      await attempt(b, SAM, TEST_PASSWORD).then((r) => expect(r.status).to.equal(401));
      await attempt(b, NOBODY, TEST_PASSWORD).then((r) => expect(r.status).to.equal(401));
      await attempt(b, 'gone@library.test', TEST_PASSWORD).then((r) => expect(r.status).to.equal(401));
      await attempt(b, '', '').then((r) => expect(r.status).to.equal(401));
      expect(hashes).to.have.length(10);
      expect(hashes.slice(0, 7)).to.deep.equal(Array(7).fill(sam.passwordHash));
      const dummy = hashes[7]!;
      expect(dummy).to.match(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/).and.not.equal(sam.passwordHash);
      expect(hashes.slice(7)).to.deep.equal([dummy, dummy, dummy]);
    } finally {
      passwordCheck.verify = original;
    }
  });

  it('an unknown email is counted and locked the same way as a real one (same throttle record), and no email is stored', async () => {
    const b = await newBrowser(ctx.app);
    for (let i = 0; i < 5; i++) {
      await attempt(b, SAM, `wrong password ${i}`).expect(401);
      await attempt(b, NOBODY, `wrong password ${i}`).expect(401);
    }
    const docs = await LoginThrottleModel.find().lean();
    expect(docs.map((d) => d._id).sort()).to.deep.equal([throttleId(SAM), throttleId(NOBODY)].sort());
    expect(docs.every((d) => d.lockedUntil instanceof Date && d.failures === 0)).to.equal(true);
    expect(JSON.stringify(docs)).to.not.contain('library.test');
    // While locked, the right password is refused and counted like a wrong one (no faster answer to tell it apart).
    await attempt(b, SAM, TEST_PASSWORD).expect(401);
    await attempt(b, NOBODY, TEST_PASSWORD).expect(401);
    const after = await LoginThrottleModel.find().lean();
    expect(after.map((d) => d.failures)).to.deep.equal([1, 1]);
  });

  it('a browser that signed in before (device cookie: HttpOnly, SameSite=Lax, 30 days) still signs in while strangers have locked the email; a new browser stays locked out', async () => {
    const mine = await newBrowser(ctx.app);
    const first = await attempt(mine, SAM, TEST_PASSWORD).expect(303);
    const cookie = deviceCookie(first);
    expect(cookie).to.match(/; HttpOnly/i).and.match(/; SameSite=Lax/i).and.match(/; Path=\//i);
    expect(Date.parse(/Expires=([^;]+)/i.exec(cookie)![1]!) - Date.now()).to.be.within(29 * 86400000, 31 * 86400000);
    const signedIn = csrfFrom((await mine.agent.get('/staff/surveys').expect(200)).text);
    await mine.agent.post('/logout').type('form').send({ _csrf: signedIn }).expect(303);

    const stranger = await newBrowser(ctx.app);
    for (let i = 0; i < 5; i++) await attempt(stranger, SAM, `guess ${i}`).expect(401);
    await attempt(stranger, SAM, TEST_PASSWORD).expect(401);

    const again = await newBrowser(ctx.app);
    const token = csrfFrom((await mine.agent.get('/login').expect(200)).text);
    const back = await mine.agent.post('/login').type('form').send({ _csrf: token, email: SAM, password: TEST_PASSWORD }).expect(303);
    expect(back.headers.location).to.equal('/staff');
    await mine.agent.get('/staff/surveys').expect(200);
    await attempt(again, SAM, TEST_PASSWORD).expect(401);
  });

  it('a forged device cookie, or one for another account, does not get past the lock', async () => {
    const { agent: other } = await signedInAgent(ctx.app, 'staff', 'other@library.test');
    const stranger = await newBrowser(ctx.app);
    for (let i = 0; i < 5; i++) await attempt(stranger, SAM, `guess ${i}`).expect(401);
    // `other` holds a genuine cookie, for another account.
    const signedIn = csrfFrom((await other.get('/staff/surveys').expect(200)).text);
    await other.post('/logout').type('form').send({ _csrf: signedIn }).expect(303);
    const otherToken = csrfFrom((await other.get('/login').expect(200)).text);
    await other.post('/login').type('form').send({ _csrf: otherToken, email: SAM, password: TEST_PASSWORD }).expect(401);
    const samId = String((await UserModel.findOne({ email: SAM }).lean())!._id);
    const page = await request(ctx.app).get('/login').expect(200);
    const session = String([page.headers['set-cookie'] ?? []].flat()[0]).split(';')[0]!;
    const forged = `cn.device=${samId}.0.${Date.now()}.${'A'.repeat(43)}`;
    await request(ctx.app).post('/login').set('Cookie', `${session}; ${forged}`).type('form').send({ _csrf: csrfFrom(page.text), email: SAM, password: TEST_PASSWORD }).expect(401);
  });

  it('an administrator sees the lock on /staff/users and lifts it (POST /staff/users/:id/unlock with CSRF, 303); then any browser signs in', async () => {
    const { agent: admin, csrf } = await signedInAgent(ctx.app, 'admin');
    const samId = String((await UserModel.findOne({ email: SAM }).lean())!._id);
    expect(cheerio.load((await admin.get('/staff/users').expect(200)).text)(`[data-locked="${samId}"]`).length).to.equal(0);
    const stranger = await newBrowser(ctx.app);
    for (let i = 0; i < 5; i++) await attempt(stranger, SAM, `guess ${i}`).expect(401);

    const $ = cheerio.load((await admin.get('/staff/users').expect(200)).text);
    expect($(`[data-locked="${samId}"]`).text()).to.contain('Sign-in locked until');
    expect($(`form[action="/staff/users/${samId}/unlock"] button`).text()).to.equal('Unlock sign-in for Sam');

    await admin.post(`/staff/users/${samId}/unlock`).type('form').send({}).expect(403);
    const res = await admin.post(`/staff/users/${samId}/unlock`).type('form').send({ _csrf: await csrf() }).expect(303);
    expect(res.headers.location).to.equal('/staff/users?done=unlocked');
    const after = cheerio.load((await admin.get('/staff/users?done=unlocked').expect(200)).text);
    expect(after('[role="status"]').text()).to.contain('unlocked');
    expect(after(`[data-locked="${samId}"]`).length).to.equal(0);
    await attempt(await newBrowser(ctx.app), SAM, TEST_PASSWORD).expect(303);
  });

  it('the users page shows the lock in Spanish and Arabic; unlock by staff answers 403 and an unknown id 404', async () => {
    const { agent: admin, csrf } = await signedInAgent(ctx.app, 'admin');
    const { agent: staff, csrf: staffCsrf } = await signedInAgent(ctx.app, 'staff', 'sid@library.test');
    const samId = String((await UserModel.findOne({ email: SAM }).lean())!._id);
    const stranger = await newBrowser(ctx.app);
    for (let i = 0; i < 5; i++) await attempt(stranger, SAM, `guess ${i}`).expect(401);
    expect(cheerio.load((await admin.get('/staff/users?hl=es').expect(200)).text)(`[data-locked="${samId}"]`).text()).to.contain('Inicio de sesión bloqueado hasta las');
    expect(cheerio.load((await admin.get('/staff/users?hl=ar').expect(200)).text)(`[data-locked="${samId}"]`).text()).to.contain('تسجيل الدخول مُقفَل حتى');
    await staff.post(`/staff/users/${samId}/unlock`).type('form').send({ _csrf: await staffCsrf() }).expect(403);
    await admin.post('/staff/users/ffffffffffffffffffffffff/unlock').type('form').send({ _csrf: await csrf() }).expect(404);
    await admin.post('/staff/users/not-an-id/unlock').type('form').send({ _csrf: await csrf() }).expect(404);
    expect((await LoginThrottleModel.findById(throttleId(SAM)).lean())?.lockedUntil).to.be.instanceOf(Date);
  });

  it('an administrator\'s password reset lifts the lock too', async () => {
    const { agent: admin, csrf } = await signedInAgent(ctx.app, 'admin');
    const samId = String((await UserModel.findOne({ email: SAM }).lean())!._id);
    const stranger = await newBrowser(ctx.app);
    for (let i = 0; i < 5; i++) await attempt(stranger, SAM, `guess ${i}`).expect(401);
    await admin.post(`/staff/users/${samId}/password`).type('form').send({ _csrf: await csrf(), password: 'violet tugboat orbit 42' }).expect(303);
    await attempt(await newBrowser(ctx.app), SAM, 'violet tugboat orbit 42').expect(303);
  });
});
