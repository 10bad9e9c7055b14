import { expect } from 'chai';
import { connectDatabase, disconnectDatabase, pingDatabase } from '../../server/db/connection.js';
import { getCatalog } from '../../surveys/catalog.service.js';
import { generateResponses } from '../../surveys/demo-data.js';
import { faultHooks, submitResponse } from '../../surveys/response.service.js';
import { findSurvey, seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { tallyFor } from '../../surveys/insights.service.js';
import { loadTemplate } from '../../surveys/templates/templates.js';
import { toFormFields } from '../fixtures/form-fields.js';
import { NO_FILTER, recount, sortedTallies } from '../helpers/recount.js';
import { boardAgent, copyAgainstRecount, sleep, useFaultHarness } from './harness.js';

const SLUG = 'community-needs';

describe('no response is ever lost (fault tests against a real FerretDB and app process)', function () {
  this.timeout(900000);
  const h = useFaultHarness();

  it('stops the database right after a response is stored: the attempt fails, its retry is a duplicate, and the analytical copy holds it once', async () => {
    await connectDatabase(h.uri);
    await seedBuiltInSurveys();
    const survey = (await findSurvey(SLUG))!;
    faultHooks.afterInsert = async () => {
      faultHooks.afterInsert = undefined;
      await h.stopDb();
    };
    const input = { survey, body: { 'q:interests': 'job-skills', 'rank:priorities:1': 'job-skills' }, submissionId: 'fault-between-insert-and-rest', contactKey: 'fault-test-contact-key', lang: 'en' as const, channel: 'web' as const };
    const failed = await submitResponse(input).then(() => null, (err: unknown) => err);
    expect(failed, 'the first attempt fails with the database gone').to.not.equal(null);
    await h.startDb();
    for (let i = 0; i < 100 && !(await pingDatabase()); i++) await sleep(200);
    let retry: Awaited<ReturnType<typeof submitResponse>> | undefined;
    for (let i = 0; i < 50 && !retry; i++) retry = await submitResponse(input).catch(() => sleep(200).then(() => undefined));
    expect(retry?.duplicate).to.equal(true);
    await h.client!.connect();
    expect(await h.client!.db().collection('responses').countDocuments({ submissionId: 'fault-between-insert-and-rest' })).to.equal(1);
    expect(sortedTallies(await tallyFor(survey, NO_FILTER))).to.deep.equal(sortedTallies(await recount(survey)));
    expect((await tallyFor(survey, NO_FILTER)).get('total')).to.equal(1);
    await h.client!.db().collection('responses').deleteMany({});
    await disconnectDatabase();
  });

  it('many clients submit while the database and then the app are killed and restarted, then a burst of duplicates: every acknowledged response is stored exactly once and the app\'s analytical copy equals a recount', async () => {
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

    // The app's analytical copy catches up with the stored responses (its check after the faults).
    await connectDatabase(h.uri);
    const board = await boardAgent(h.base);
    const count = await db.collection('responses').countDocuments({ surveySlug: SLUG });
    let n = -1;
    for (let i = 0; i < 90 && n !== count; i++) {
      if (i) await sleep(1000);
      n = Number((await board.get(`/api/surveys/${SLUG}/topics`).expect(200)).body.n);
    }
    expect(n).to.equal(count);

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
    for (let i = 0; i < 100 && !(await pingDatabase()); i++) await sleep(200);
    const { copy, recount: fromMongo } = await copyAgainstRecount(h, SLUG);
    expect(copy).to.deep.equal(fromMongo);
    await disconnectDatabase();
  });
});
