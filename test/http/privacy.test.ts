import { Writable } from 'node:stream';
import { expect } from 'chai';
import { pino } from 'pino';
import request from 'supertest';
import { loadConfig } from '../../server/config.js';
import { ContactModel } from '../../surveys/contact.model.js';
import { firstKeptDay, purgeExpiredContacts } from '../../surveys/contact-retention.service.js';
import { buildTestApp } from '../helpers/app.js';
import { signedInAgent } from '../helpers/auth.js';
import { useTestApp } from '../helpers/hooks.js';
import { buildSurvey } from '../fixtures/builders.js';

const DAY = 24 * 3600 * 1000;
const dayBefore = (now: Date, days: number): string => new Date(now.getTime() - days * DAY).toISOString().slice(0, 10);

describe('privacy: contact retention, request logs, who sees contacts', () => {
  const ctx = useTestApp(buildSurvey);

  describe('follow-up contacts are deleted after CONTACT_RETENTION_DAYS', () => {
    it('CONTACT_RETENTION_DAYS defaults to 365 and refuses 0 or words', () => {
      expect(loadConfig({}).CONTACT_RETENTION_DAYS).to.equal(365);
      expect(loadConfig({ CONTACT_RETENTION_DAYS: '30' }).CONTACT_RETENTION_DAYS).to.equal(30);
      expect(() => loadConfig({ CONTACT_RETENTION_DAYS: '0' })).to.throw(/CONTACT_RETENTION_DAYS/);
      expect(() => loadConfig({ CONTACT_RETENTION_DAYS: 'forever' })).to.throw(/CONTACT_RETENTION_DAYS/);
    });

    it('purgeExpiredContacts(now, 365) deletes contacts from 366 and 400 days ago and keeps those from 365 and 10 days ago', async () => {
      const now = new Date('2026-11-22T08:00:00Z');
      const base = { surveySlug: 'test-survey', lang: 'en', consentVersion: '2026-11' };
      await ContactModel.create([400, 366, 365, 10].map((d) => ({ ...base, email: `d${d}@example.org`, day: dayBefore(now, d) })));
      expect(firstKeptDay(now, 365)).to.equal('2025-11-22');
      expect(await purgeExpiredContacts(now, 365)).to.equal(2);
      const left = (await ContactModel.find().lean()).map((c) => c.email).sort();
      expect(left).to.deep.equal(['d10@example.org', 'd365@example.org']);
      expect(await purgeExpiredContacts(now, 365)).to.equal(0);
    });
  });

  it('request logs hold no IP, user agent, query string, cookie or body: a distinctive answer never reaches them', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const { app: logged } = await buildTestApp({}, { logger: pino({ level: 'info', base: undefined }, stream) });
    await request(logged)
      .post('/s/test-survey?ch=tag-Quokka-query')
      .set('User-Agent', 'DistinctAgent/9.9 (Quokka)')
      .set('X-Forwarded-For', '203.0.113.77')
      .set('Cookie', 'lang=en; tracking=Quokka-cookie')
      .type('form')
      .send({ sid: 'log-test-submission-01', lang: 'en', 'q:interests': 'job-skills', 'rank:priorities:1': 'coding-tech', 'q:children': 'no', 'q:name': 'Zebrafish', 'contact:email': 'quokka.person@example.org', 'contact:consent': 'yes' })
      .expect(303);
    await request(logged).get('/s/test-survey?lang=es&email=quokka.person@example.org').set('User-Agent', 'DistinctAgent/9.9 (Quokka)');
    const requestLines = lines.map((l) => JSON.parse(l) as { req?: { method: string; path: string } });
    expect(requestLines.some((l) => l.req?.method === 'POST' && l.req.path === '/s/test-survey')).to.equal(true);
    const all = lines.join('\n');
    for (const needle of ['203.0.113.77', '127.0.0.1', '::1', 'DistinctAgent', 'Quokka', 'quokka', 'Zebrafish', '?', 'lang=es', 'user-agent', 'remoteAddress', 'cookie']) {
      expect(all, needle).to.not.contain(needle);
    }
  });

  describe('contacts are for administrators only', () => {
    it('GET /staff/surveys/test-survey/contacts/export answers 403 for staff and board, 200 CSV for an administrator', async () => {
      const { agent: staff } = await signedInAgent(ctx.app, 'staff');
      await staff.get('/staff/surveys/test-survey/contacts/export').expect(403);
      const { agent: board } = await signedInAgent(ctx.app, 'board');
      await board.get('/staff/surveys/test-survey/contacts/export').expect(403);
      const { agent: admin } = await signedInAgent(ctx.app, 'admin');
      const res = await admin.get('/staff/surveys/test-survey/contacts/export').expect(200);
      expect(res.headers['content-type']).to.contain('text/csv');
      expect((await request(ctx.app).get('/staff/surveys/test-survey/contacts/export').expect(303)).headers.location).to.match(/^\/login/);
    });

    it("the data page shows staff no link to the contacts download", async () => {
      const { agent: staff } = await signedInAgent(ctx.app, 'staff');
      const res = await staff.get('/staff/surveys/test-survey/data').expect(200);
      expect(res.text).to.not.contain('/contacts/export');
    });
  });
});

