import { expect } from 'chai';
import { loadConfig } from '../../server/config.js';
import { connectDatabase, disconnectDatabase, pingDatabase } from '../../server/db/connection.js';
import { contactIdKey } from '../../server/form-secret.js';
import { getCatalog } from '../../surveys/catalog.service.js';
import { contactId } from '../../surveys/contact.service.js';
import { generateResponses } from '../../surveys/demo-data.js';
import { faultHooks, submitResponse } from '../../surveys/response.service.js';
import { findSurvey, seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { loadTemplate } from '../../surveys/templates/templates.js';
import { toFormFields } from '../fixtures/form-fields.js';
import { boardAgent, copyAgainstRecount, sleep, useFaultHarness } from './harness.js';

const SLUG = 'community-needs';
const FORM_SECRET = 'nothing-lost-fault-test-secret-0123456789abcdef';
const CONTACT_KEY = contactIdKey(loadConfig({ NODE_ENV: 'test', FORM_SECRET }));

describe('nothing lost, nothing doubled: contacts and likely spam while the database is killed (real FerretDB and app process)', function () {
  this.timeout(900000);
  const h = useFaultHarness();

  it('the database stops after a response is stored and before its contact is filed: the retry is a duplicate and files the contact, once', async () => {
    await connectDatabase(h.uri);
    await seedBuiltInSurveys();
    const survey = (await findSurvey(SLUG))!;
    const input = { survey, body: { 'q:interests': 'job-skills', 'rank:priorities:1': 'job-skills', 'contact:email': 'between@example.org', 'contact:consent': 'yes' }, submissionId: 'fault-between-response-and-contact', contactKey: CONTACT_KEY, lang: 'en' as const, channel: 'web' as const };
    faultHooks.afterInsert = async () => {
      faultHooks.afterInsert = undefined;
      await h.stopDb();
    };
    const failed = await submitResponse(input).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failed, 'the first attempt fails when the contact cannot be filed').to.not.equal(null);
    await h.startDb();
    for (let i = 0; i < 100 && !(await pingDatabase()); i++) await sleep(200);
    let retry: Awaited<ReturnType<typeof submitResponse>> | undefined;
    for (let i = 0; i < 50 && !retry; i++) retry = await submitResponse(input).catch(() => sleep(200).then(() => undefined));
    expect(retry?.duplicate).to.equal(true);
    await h.client!.connect();
    const db = h.client!.db();
    expect(await db.collection('responses').countDocuments({ submissionId: 'fault-between-response-and-contact' })).to.equal(1);
    const contacts = await db.collection('contacts').find({ email: 'between@example.org' }).toArray();
    expect(contacts.map((c) => String(c._id))).to.deep.equal([contactId(CONTACT_KEY, 'fault-between-response-and-contact')]);
    await db.collection('responses').deleteMany({});
    await db.collection('contacts').deleteMany({});
    await disconnectDatabase();
  });

  it('1,000 submissions with contacts (one in ten held as likely spam) from 10 retrying clients while the database is killed and restarted three times: all acknowledged, each stored once across responses and likely spam, every contact filed once, no 500, and the dashboard total equals the stored count, its counters a recount', async () => {
    await h.startApp({ FORM_SECRET });
    const def = loadTemplate('community-needs', getCatalog().topicIds);
    const workers = 10;
    const perWorker = 100;
    const sidOf = (i: number): string => `nothing-lost-${String(i).padStart(5, '0')}`;
    const held = (i: number): boolean => i % 10 === 7;
    const generated = [...generateResponses({ definition: def, version: 1, count: workers * perWorker, seed: 14, start: new Date('2026-11-01T00:00:00Z'), days: 5 })];
    const bodies = generated.map((r, i) => {
      const form = new URLSearchParams({ sid: sidOf(i), lang: r.lang, 'contact:email': `person-${i}@example.org`, 'contact:consent': 'yes', ...(held(i) ? { website: 'http://bot.example' } : {}) });
      for (const [k, v] of Object.entries(toFormFields(def, r))) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
      return form.toString();
    });
    const acknowledged = new Set<string>();
    const statuses = new Map<number, number>();
    const unexpected: string[] = [];
    let retries = 0;
    const post = async (body: string): Promise<Response | null> => {
      try {
        return await fetch(`${h.base}/s/${SLUG}`, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, signal: AbortSignal.timeout(20000) });
      } catch {
        return null;
      }
    };
    // As the offline queue does: the same submission again until the server confirms it.
    const client = async (w: number): Promise<void> => {
      for (let j = 0; j < perWorker; j++) {
        const i = w * perWorker + j;
        const deadline = Date.now() + 180000;
        for (let attempt = 0; ; attempt++) {
          const res = await post(bodies[i]!);
          if (res) statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res?.ok) {
            acknowledged.add(sidOf(i));
            break;
          }
          if (res && res.status !== 503) unexpected.push(`${sidOf(i)}: ${res.status} ${(await res.text()).slice(0, 300)}`);
          if (res && res.status >= 400 && res.status < 500) break;
          // Three minutes: longer means the app never got its database back, a failure, not a wait.
          if (Date.now() > deadline) throw new Error(`${sidOf(i)} not acknowledged within 3 minutes (${attempt + 1} attempts); the app's last log lines:\n${h.appLog.slice(-3000)}`);
          retries++;
          await sleep(150 + Math.random() * 250);
        }
      }
    };
    const log = (msg: string): void => void (process.env.DEBUG_FAULTS && console.log(`      ${new Date().toISOString().slice(11, 23)} ${msg} (acknowledged ${acknowledged.size}, retries ${retries})`));
    const run = Promise.all(Array.from({ length: workers }, (_, w) => client(w)));
    // Each kill strikes mid-run, once a share of the answers is in (not at a fixed time).
    for (const share of [0.1, 0.4, 0.7]) {
      for (let i = 0; i < 6000 && acknowledged.size < share * workers * perWorker; i++) await sleep(20);
      log('stopping the database');
      await h.stopDb();
      await sleep(2000);
      log('starting the database');
      await h.startDb();
    }
    await run;
    log('all clients done');
    const seen = Object.fromEntries(statuses);
    log(`statuses ${JSON.stringify(seen)}`);

    expect(unexpected, 'every failure is a 503 (or no answer at all)').to.deep.equal([]);
    expect(acknowledged.size).to.equal(workers * perWorker);
    expect(retries, 'the faults really happened').to.be.above(0);

    await h.client!.connect();
    const db = h.client!.db();
    const responses = (await db.collection('responses').find({ submissionId: /^nothing-lost-/ }, { projection: { submissionId: 1 } }).toArray()).map((d) => String(d.submissionId));
    const spam = (await db.collection('spam_responses').find({ submissionId: /^nothing-lost-/ }, { projection: { submissionId: 1, contact: 1 } }).toArray());
    const spamIds = spam.map((d) => String(d.submissionId));
    const expectedResponses = [...acknowledged].filter((sid) => !held(Number(sid.slice(-5))));
    expect(responses.length, 'no response doubled').to.equal(new Set(responses).size);
    expect(new Set(responses)).to.deep.equal(new Set(expectedResponses));
    expect(new Set(spamIds)).to.deep.equal(new Set([...acknowledged].filter((sid) => held(Number(sid.slice(-5))))));
    expect(spamIds.length + responses.length, 'none in both places').to.equal(workers * perWorker);
    expect(spam.every((d) => typeof (d.contact as { email?: string } | undefined)?.email === 'string'), 'held answers keep their contact').to.equal(true);

    const contacts = await db.collection('contacts').find({ email: /^person-/ }, { projection: { email: 1 } }).toArray();
    expect(contacts.length, 'no contact filed twice').to.equal(new Set(contacts.map((c) => c.email)).size);
    expect(new Set(contacts.map((c) => String(c._id)))).to.deep.equal(new Set(expectedResponses.map((sid) => contactId(CONTACT_KEY, sid))));
    expect(new Set(contacts.map((c) => c.email))).to.deep.equal(new Set(expectedResponses.map((sid) => `person-${Number(sid.slice(-5))}@example.org`)));

    // The dashboard's total (the app's analytical copy) catches up with the stored responses, and
    // the copy's counters then equal a recount from MongoDB.
    await connectDatabase(h.uri);
    const stored = await db.collection('responses').countDocuments({ surveySlug: SLUG });
    const board = await boardAgent(h.base);
    let total = -1;
    for (let i = 0; i < 90 && total !== stored; i++) {
      if (i) await sleep(1000);
      total = Number((await board.get(`/api/surveys/${SLUG}/topics`).expect(200)).body.n);
    }
    expect(total).to.equal(stored);
    const { copy, recount } = await copyAgainstRecount(h, SLUG);
    expect(copy).to.deep.equal(recount);
    // Within its default memory limit the copy never ran out (DuckDB stops a database that does).
    expect(h.appLog).to.not.match(/opened again after a fatal error|invalidated|Out of Memory/i);
    await disconnectDatabase();
  });
});
