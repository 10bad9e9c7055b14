import { Writable } from 'node:stream';
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import express, { type Express } from 'express';
import mongoose from 'mongoose';
import { pino } from 'pino';
import request from 'supertest';
import { buildTestApp } from '../helpers/app.js';
import { csrfFrom, signedInAgent, TEST_PASSWORD } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { createUser } from '../../surveys/user.service.js';

const sessions = () => mongoose.connection.db!.collection<{ _id: string; expires: Date; session: { userId?: string; signedInAt?: number } }>('sessions');
const cookieOf = (res: request.Response, name: string): string => [res.headers['set-cookie'] ?? []].flat().find((c: string) => c.startsWith(`${name}=`)) ?? '';

describe('staff session cookies and limits', () => {
  beforeEach(async () => {
    await clearDatabase();
    await sessions().deleteMany({});
  });

  it('without TRUST_PROXY the cookie is cn.sid, HttpOnly, SameSite=Lax, Path=/, not Secure, and lasts SESSION_IDLE_MINUTES', async () => {
    const { app } = await buildTestApp({ SESSION_IDLE_MINUTES: '30' });
    const cookie = cookieOf(await request(app).get('/login').expect(303), 'cn.sid');
    expect(cookie).to.match(/; HttpOnly/i).and.match(/; SameSite=Lax/i).and.match(/; Path=\//i);
    expect(cookie).to.not.match(/; Secure/i).and.not.match(/Domain=/i);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(cookie)![1]!);
    expect(expires - Date.now()).to.be.within(29 * 60000, 31 * 60000);
  });

  describe('behind an HTTPS proxy (TRUST_PROXY=1)', () => {
    let app: Express;
    before(async () => {
      ({ app } = await buildTestApp({ TRUST_PROXY: '1' }));
    });

    it("app.set('trust proxy') makes req.secure true for X-Forwarded-Proto: https (and only then)", async () => {
      expect(app.get('trust proxy')).to.equal(1);
      const probe = express();
      probe.set('trust proxy', app.get('trust proxy'));
      probe.get('/', (req, res) => res.json({ secure: req.secure }));
      expect((await request(probe).get('/').set('X-Forwarded-Proto', 'https')).body.secure).to.equal(true);
      expect((await request(probe).get('/')).body.secure).to.equal(false);
    });

    it('GET /login with X-Forwarded-Proto: https sets __Host-cn.sid with Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain', async () => {
      const res = await request(app).get('/login').set('X-Forwarded-Proto', 'https').expect(303);
      const cookie = cookieOf(res, '__Host-cn.sid');
      expect(cookie).to.match(/; Secure/i).and.match(/; HttpOnly/i).and.match(/; SameSite=Lax/i).and.match(/; Path=\//i);
      expect(cookie).to.not.match(/Domain=/i);
      expect(cookieOf(res, 'cn.sid')).to.equal('');
      expect(res.headers['strict-transport-security']).to.contain('max-age=31536000');
    });

    it('over plain HTTP (no X-Forwarded-Proto) no session cookie is ever sent', async () => {
      const res = await request(app).get('/staff/surveys').expect(303);
      expect(String(res.headers['set-cookie'] ?? '')).to.not.contain('cn.sid');
    });

    it('GET and POST /login (and /setup) from a proxy that sends no X-Forwarded-Proto answer 400 saying so, with no form that cannot work; the log names the missing header', async () => {
      const lines: { level: number; msg: string; header?: string; received?: string | null }[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as (typeof lines)[number]));
          done();
        },
      });
      const { app: logged } = await buildTestApp({ TRUST_PROXY: '1' }, { logger: pino({ level: 'warn', base: undefined }, stream) });
      await createUser({ email: 'sam@library.test', name: 'Sam', role: 'staff', password: TEST_PASSWORD });
      for (const res of [await request(logged).get('/login'), await request(logged).post('/login').type('form').send({ email: 'sam@library.test', password: TEST_PASSWORD }), await request(logged).get('/setup').set('Accept-Language', 'es')]) {
        expect(res.status).to.equal(400);
        const $ = cheerio.load(res.text);
        expect($('.error-summary').text()).to.contain('X-Forwarded-Proto: https').and.contain('TRUST_PROXY=1');
        expect($('form[action="/login"]').length).to.equal(0);
        expect(String(res.headers['set-cookie'] ?? '')).to.not.contain('cn.sid');
      }
      const warnings = lines.filter((l) => l.header === 'X-Forwarded-Proto');
      expect(warnings).to.have.length(3);
      expect(warnings[0]!.msg).to.contain('no X-Forwarded-Proto header');
      const proxied = await request(logged).get('/login').set('X-Forwarded-Proto', 'http').expect(400);
      expect(cheerio.load(proxied.text)('.error-summary').text()).to.contain('X-Forwarded-Proto');
      expect(lines.filter((l) => l.header === 'X-Forwarded-Proto').at(-1)!.received).to.equal('http');
    });

    it('signing in over https works end to end with the __Host- cookie', async () => {
      await createUser({ email: 'sam@library.test', name: 'Sam', role: 'staff', password: TEST_PASSWORD });
      const agent = request.agent(app);
      const page = await agent.get('/login').set('X-Forwarded-Proto', 'https').expect(200);
      const jar = cookieOf(page, '__Host-cn.sid').split(';')[0]!;
      const res = await agent.post('/login').set('X-Forwarded-Proto', 'https').set('Cookie', jar).type('form').send({ _csrf: csrfFrom(page.text), email: 'sam@library.test', password: TEST_PASSWORD }).expect(303);
      const signedIn = cookieOf(res, '__Host-cn.sid').split(';')[0]!;
      expect(signedIn).to.not.equal(jar);
      await request(app).get('/staff/surveys').set('X-Forwarded-Proto', 'https').set('Cookie', signedIn).expect(200);
    });
  });

  describe('limits', () => {
    let app: Express;
    before(async () => {
      ({ app } = await buildTestApp({ SESSION_IDLE_MINUTES: '30', SESSION_MAX_HOURS: '12' }));
    });

    it('the stored session expires SESSION_IDLE_MINUTES after the last request; past that, the session is gone (idle timeout)', async () => {
      const { agent } = await signedInAgent(app, 'staff');
      const stored = (await sessions().findOne({ 'session.userId': { $exists: true } }))!;
      expect(stored.expires.getTime() - Date.now()).to.be.within(29 * 60000, 31 * 60000);
      await sessions().updateOne({ _id: stored._id }, { $set: { expires: new Date(Date.now() - 1000) } });
      expect((await agent.get('/staff/surveys').expect(303)).headers.location).to.match(/^\/login/);
    });

    it('a session signed in longer ago than SESSION_MAX_HOURS is ended even while in use (absolute timeout)', async () => {
      const { agent } = await signedInAgent(app, 'staff');
      await agent.get('/staff/surveys').expect(200);
      const stored = (await sessions().findOne({ 'session.userId': { $exists: true } }))!;
      await sessions().updateOne({ _id: stored._id }, { $set: { 'session.signedInAt': Date.now() - 12 * 3600 * 1000 - 60000 } });
      expect((await agent.get('/staff/surveys').expect(303)).headers.location).to.match(/^\/login/);
      expect(await sessions().countDocuments({ 'session.userId': { $exists: true } })).to.equal(0);
    });

    it('a session signed in 11 hours ago still works', async () => {
      const { agent } = await signedInAgent(app, 'staff');
      const stored = (await sessions().findOne({ 'session.userId': { $exists: true } }))!;
      await sessions().updateOne({ _id: stored._id }, { $set: { 'session.signedInAt': Date.now() - 11 * 3600 * 1000 } });
      await agent.get('/staff/surveys').expect(200);
    });
  });
});
