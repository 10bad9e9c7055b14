import { expect } from 'chai';
import type { Db } from 'mongodb';
import { connectDatabase, disconnectDatabase, pingDatabase } from '../../server/db/connection.js';
import { getCatalog } from '../../surveys/catalog.service.js';
import { generateResponses } from '../../surveys/demo-data.js';
import type { SurveyDefinition } from '../../surveys/definition.schema.js';
import { dirtySurveys, reconcileDirty } from '../../surveys/reconcile.service.js';
import { faultHooks, submitResponse } from '../../surveys/response.service.js';
import { findSurvey, seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { counterKey } from '../../surveys/segment-tally.service.js';
import type { TallySource } from '../../surveys/tally.js';
import { countResponse, newCounts } from '../../surveys/tally-segments.js';
import { loadTemplate } from '../../surveys/templates/templates.js';
import { toFormFields } from '../fixtures/form-fields.js';
import { FaultHarness, sleep } from './harness.js';

const SLUG = 'community-needs';

/** The counters (everyone's and each segment's) a rebuild from the raw responses would give, next to the stored ones. */
async function talliesAgainstRebuild(db: Db): Promise<{ stored: [string, number][]; rebuilt: [string, number][] }> {
  const survey = await db.collection('surveys').findOne({ slug: SLUG });
  const def = survey!.definition as SurveyDefinition;
  const rebuilt = newCounts();
  for await (const r of db.collection('responses').find({ surveySlug: SLUG })) countResponse(def, r as unknown as TallySource, rebuilt);
  const stored: [string, number][] = [];
  for (const d of await db.collection('tallies').find({ survey: SLUG }).toArray()) {
    for (const [field, n] of Object.entries(d.c as Record<string, number>)) stored.push([`${String(d.segment)} ${counterKey(field)}`, Number(n)]);
  }
  const flat = [...[...rebuilt.all].map(([key, n]) => [`* ${key}`, n] as [string, number]), ...[...rebuilt.segments].flatMap(([segment, counters]) => [...counters].map(([key, n]) => [`${segment} ${key}`, n] as [string, number]))];
  const sort = (list: [string, number][]): [string, number][] => list.filter(([, n]) => n !== 0).sort(([a], [b]) => a.localeCompare(b));
  return { stored: sort(stored), rebuilt: sort(flat) };
}

describe('no response is ever lost (fault tests against a real FerretDB and app process)', function () {
  this.timeout(900000);
  const h = new FaultHarness();
  before(async () => {
    await h.setUp();
  });
  after(async () => {
    faultHooks.afterInsert = undefined;
    await disconnectDatabase().catch(() => undefined);
    await h.tearDown();
  });

  it('stops the database between storing a response and counting it: the response is kept and reconciliation fixes the counters', async () => {
    await connectDatabase(h.uri);
    await seedBuiltInSurveys();
    const survey = (await findSurvey(SLUG))!;
    faultHooks.afterInsert = async () => {
      faultHooks.afterInsert = undefined;
      await h.stopDb();
    };
    const result = await submitResponse({ survey, body: { 'q:interests': 'job-skills', 'rank:priorities:1': 'job-skills' }, submissionId: 'fault-between-insert-and-count', contactKey: 'fault-test-contact-key', lang: 'en', channel: 'web' });
    expect(result.duplicate).to.equal(false);
    expect(await result.counted).to.equal(false);
    expect(dirtySurveys()).to.include(SLUG);
    await h.startDb();
    for (let i = 0; i < 100 && !(await pingDatabase()); i++) await sleep(200);
    expect(await reconcileDirty()).to.deep.equal([SLUG]);
    await h.client!.connect();
    const db = h.client!.db();
    expect(await db.collection('responses').countDocuments({ submissionId: 'fault-between-insert-and-count' })).to.equal(1);
    const { stored, rebuilt } = await talliesAgainstRebuild(db);
    expect(stored).to.deep.equal(rebuilt);
    await disconnectDatabase();
  });

  it('many clients submit while the database and then the app are killed and restarted, then a burst of duplicates: every acknowledged response is stored exactly once and the tallies equal a rebuild', async () => {
    await h.startApp();
    const def = loadTemplate('community-needs', getCatalog().topicIds);
    const workers = 10;
    // Enough that the run outlasts the faults: the app answers a few hundred posts a second.
    const perWorker = 150;
    const generated = [...generateResponses({ definition: def, version: 1, count: workers * perWorker, seed: 11, start: new Date('2026-11-01T00:00:00Z'), days: 5 })];
    const bodies = generated.map((r, i) => {
      const form = new URLSearchParams({ sid: `fault-run-submission-${String(i).padStart(5, '0')}`, lang: r.lang });
      for (const [k, v] of Object.entries(toFormFields(def, r))) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
      return form.toString();
    });
    const acknowledged = new Set<string>();
    const unexpected: string[] = [];
    let retries = 0;

    const post = async (body: string): Promise<Response | null> => {
      try {
        return await fetch(`${h.base}/s/${SLUG}`, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, signal: AbortSignal.timeout(30000) });
      } catch {
        return null;
      }
    };
    // Each client sends its responses one after another and retries the same submission
    // (same id, same answers) until the server confirms it, as the offline queue does.
    const client = async (w: number): Promise<void> => {
      for (let j = 0; j < perWorker; j++) {
        const i = w * perWorker + j;
        const sid = `fault-run-submission-${String(i).padStart(5, '0')}`;
        for (let attempt = 0; ; attempt++) {
          const res = await post(bodies[i]!);
          if (res?.ok) {
            acknowledged.add(sid);
            break;
          }
          if (res && (res.status === 422 || res.status === 409 || res.status === 400)) {
            unexpected.push(`${sid}: ${res.status} ${await res.text()}`);
            break;
          }
          if (attempt > 2000) throw new Error(`${sid} never acknowledged`);
          retries++;
          await sleep(150 + Math.random() * 250);
        }
      }
    };

    const log = (msg: string): void => void (process.env.DEBUG_FAULTS && console.log(`      ${new Date().toISOString().slice(11, 23)} ${msg} (acknowledged ${acknowledged.size}, retries ${retries})`));
    const run = Promise.all(Array.from({ length: workers }, (_, w) => client(w)));
    // The faults strike mid-run: after the first answers are in, not at a fixed time.
    for (let i = 0; i < 600 && acknowledged.size < 10; i++) await sleep(20);
    log('stopping the database');
    await h.stopDb(); // the database goes away mid-run...
    await sleep(2500);
    log('starting the database');
    await h.startDb(); // ...and comes back; the app reconnects by itself
    await sleep(2000);
    log('killing the app');
    await h.killApp('SIGKILL'); // the app crashes mid-run...
    await sleep(500);
    log('starting the app');
    await h.startApp(); // ...and is started again
    log('app started');
    await run;
    log('all clients done');

    expect(unexpected).to.deep.equal([]);
    expect(acknowledged.size).to.equal(workers * perWorker);
    expect(retries, 'the faults really happened').to.be.above(0);

    // A burst of duplicates: every one is confirmed, none is stored again.
    const replay = [...acknowledged].slice(0, 60).map((sid) => bodies[Number(sid.slice(-5))]!);
    const answers = await Promise.all(replay.map(async (b) => (await post(b))!));
    expect(answers.map((r) => r.status)).to.deep.equal(replay.map(() => 200));
    expect(new Set(await Promise.all(answers.map(async (r) => ((await r.json()) as { status: string }).status)))).to.deep.equal(new Set(['duplicate']));

    await h.client!.connect();
    const db = h.client!.db();
    const stored = await db.collection('responses').find({ surveySlug: SLUG, submissionId: /^fault-run-/ }, { projection: { submissionId: 1 } }).toArray();
    const ids = stored.map((d) => String(d.submissionId));
    expect(ids.length).to.equal(new Set(ids).size);
    expect(new Set(ids)).to.deep.equal(acknowledged);

    // The counters catch up with the stored responses (reconciliation after the faults).
    let check = await talliesAgainstRebuild(db);
    for (let i = 0; i < 90 && JSON.stringify(check.stored) !== JSON.stringify(check.rebuilt); i++) {
      await sleep(1000);
      check = await talliesAgainstRebuild(db);
    }
    expect(check.stored).to.deep.equal(check.rebuilt);

    // /healthz tells the truth about the database.
    expect((await fetch(`${h.base}/healthz`)).status).to.equal(200);
    await h.stopDb();
    const down = await fetch(`${h.base}/healthz`);
    expect(down.status).to.equal(503);
    expect(((await down.json()) as { status: string }).status).to.equal('unhealthy');
    // While the database is away, the form still renders (cached survey) and a submission gets a 503 with the form back.
    const page = await fetch(`${h.base}/s/${SLUG}?lang=es`);
    expect(page.status).to.equal(200);
    const refused = await fetch(`${h.base}/s/${SLUG}`, { method: 'POST', body: 'sid=while-db-is-down-0001&lang=es&q:interests=job-skills&rank:priorities:1=job-skills&q:neighborhood=Centro', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(refused.status).to.equal(503);
    const html = await refused.text();
    expect(html).to.contain('value="Centro"');
    expect(html).to.contain('lang="es"');
    await h.startDb();
  });
});
