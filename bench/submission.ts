// The submission path: full HTTP form posts against the running app, and beside it the raw
// MongoDB driver writing the same documents (and, as a reference, the counter updates for each response on its own) with the same concurrency.
import * as cheerio from 'cheerio';
import type { Db } from 'mongodb';
import { processCpuMs } from './lib/child.js';
import { loadConfig } from '../server/config.js';
import { SpamResponseModel } from '../surveys/spam.model.js';
import { FORM_TOKEN_FIELD } from '../surveys/spam-token.js';
import type { SurveyDefinition } from '../surveys/definition.schema.js';
import { generateResponses, type DemoResponse } from '../surveys/demo-data.js';
import { toFormFields } from '../surveys/form-fields.js';
import { counterField } from '../surveys/segment-tally.service.js';
import { TALLY } from '../surveys/tally.js';
import type { TallyDoc } from '../surveys/tally.model.js';
import { answerCounts, SEGMENT } from '../surveys/tally-segments.js';
import { httpLoad, loopLoad, type LoadResult } from './lib/load.js';

export const FORM_SLUG = 'community-needs';
/** The raw-driver runs write under another slug, so their counters never mix with the app's. */
const RAW_SLUG = 'bench-raw-driver';

export interface SubmissionOptions {
  baseUrl: string;
  db: Db;
  definition: SurveyDefinition;
  version: number;
  connections: number;
  durationS: number;
  /** Starts sampling the app's RSS; the returned function stops and gives the peak (MB). */
  watchAppRss: () => () => number;
  /** Processes whose CPU time is measured per request: the app and the database server (when local). */
  appPid?: number;
  dbPid?: number;
}

/** CPU milliseconds per request in each process during one run (where the time went). */
export interface CpuShare {
  requests: number;
  /** The app process (app run only). */
  appMs?: number;
  /** The database server. */
  dbMs: number;
  /** This process: autocannon, or the raw driver's inserts. */
  benchMs: number;
}

export interface SubmissionResults {
  app: LoadResult;
  rawInsert: LoadResult;
  rawInsertTallies: LoadResult;
  /** Mean `$inc` upserts per response (the app does the same number per submission). */
  talliesPerResponse: number;
  appPeakRssMb: number;
  /** During the app run: responses stored (should equal the 3xx answers), kept as spam (all runs), and what the live `total` counter grew by (equal unless increments were lost). */
  appStored: number;
  appSpam: number;
  appTotalCounter: number;
  cpu: { app: CpuShare; rawInsert: CpuShare };
}

function cpuMeter(o: SubmissionOptions): (requests: number, withApp: boolean) => CpuShare {
  const read = (): [number, number, number] => {
    const own = process.cpuUsage();
    return [processCpuMs(o.appPid), processCpuMs(o.dbPid), (own.user + own.system) / 1000];
  };
  const [app0, db0, bench0] = read();
  return (requests, withApp) => {
    const [app1, db1, bench1] = read();
    const per = (ms: number): number => ms / Math.max(requests, 1);
    return { requests, ...(withApp ? { appMs: per(app1 - app0) } : {}), dbMs: per(db1 - db0), benchMs: per(bench1 - bench0) };
  };
}

/** An endless stream of generated responses (the same generator as the demo and the seed). */
function responses(definition: SurveyDefinition, version: number, seed: number): () => DemoResponse {
  const stream = generateResponses({ definition, version, count: Number.MAX_SAFE_INTEGER, seed, start: new Date('2026-01-05T00:00:00Z'), days: 30, idPrefix: 'bench' });
  return () => stream.next().value as DemoResponse;
}

/**
 * A unique, valid form body per call: what a browser posts for one generated response, with the
 * signed form-time token (`hidden`) from a real page load so the spam check lets it through.
 */
export function formBodies(definition: SurveyDefinition, version: number, runId: string, hidden: Record<string, string> = {}): () => string {
  const next = answerFields(definition, version);
  let i = 0;
  return () => {
    const body = new URLSearchParams({ ...hidden, sid: `bench-${runId}-${(i++).toString(36).padStart(8, '0')}` });
    for (const [name, value] of next()) body.append(name, value);
    return body.toString();
  };
}

/** The answer fields (and `lang`) a browser posts for one generated response per call, without the id and hidden fields. */
export function answerFields(definition: SurveyDefinition, version: number, seed = 101): () => [string, string][] {
  const next = responses(definition, version, seed);
  return () => {
    const r = next();
    const fields: [string, string][] = [['lang', r.lang]];
    for (const [name, value] of Object.entries(toFormFields(definition, r))) for (const v of [value].flat()) fields.push([name, v]);
    return fields;
  };
}

/**
 * What `applyTallies` (surveys/tally.service.ts) writes for one answer on its own: one `$inc`
 * update of everyone's counters and one per segment the answer is in, unordered.
 */
function tallyOps(definition: SurveyDefinition, r: DemoResponse, submittedAt: Date): { updateMany: { filter: { _id: string }; update: object; upsert: true } }[] {
  const counts = answerCounts(definition, { answers: r.answers, lang: r.lang, channel: 'web', location: null, submittedAt });
  return [[SEGMENT.everyone, counts.all] as const, ...counts.segments].map(([segment, counters]) => ({
    updateMany: {
      filter: { _id: `${RAW_SLUG}|${segment}` },
      update: { $inc: Object.fromEntries([...counters].map(([key, n]) => [`c.${counterField(key)}`, n])), $setOnInsert: { survey: RAW_SLUG, segment } },
      upsert: true,
    },
  }));
}

/**
 * The hidden fields a browser gets with the form (the signed time it was shown), after waiting as
 * long as a person must before posting (MIN_FILL_SECONDS), so the posts are not kept apart as spam.
 */
async function formHiddenFields(baseUrl: string): Promise<Record<string, string>> {
  const html = await (await fetch(`${baseUrl}/s/${FORM_SLUG}`)).text();
  const $ = cheerio.load(html);
  const token = $(`input[name="${FORM_TOKEN_FIELD}"]`).attr('value');
  if (!token) throw new Error(`the form has no "${FORM_TOKEN_FIELD}" field`);
  const minFill = loadConfig({ ...process.env, NODE_ENV: 'production' }).MIN_FILL_SECONDS;
  await new Promise((resolve) => setTimeout(resolve, (minFill + 1) * 1000));
  return { [FORM_TOKEN_FIELD]: token };
}

const totalCounter = async (db: Db, slug = FORM_SLUG): Promise<number> => (await db.collection<TallyDoc>('tallies').findOne({ _id: `${slug}|${SEGMENT.everyone}` }))?.c?.[TALLY.total] ?? 0;

/**
 * Waits until the database has caught up with a run: requests cut off when autocannon stops are
 * still being stored by the app, and the next measurement must not pay for them. Quiet = both
 * total counters unchanged for two seconds (at most two minutes).
 */
export async function waitForQuiet(db: Db): Promise<number> {
  const started = Date.now();
  // Counters are read by _id (cheap on FerretDB too); counting responses would read them all.
  const snapshot = async (): Promise<string> => JSON.stringify([await totalCounter(db), await totalCounter(db, RAW_SLUG)]);
  let last = await snapshot();
  let quiet = 0;
  while (quiet < 2 && Date.now() - started < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await snapshot();
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
  return (Date.now() - started) / 1000;
}

export async function submissionBench(o: SubmissionOptions): Promise<SubmissionResults> {
  const runId = Date.now().toString(36);
  const next = formBodies(o.definition, o.version, runId, await formHiddenFields(o.baseUrl));
  const post = {
    method: 'POST',
    path: `/s/${FORM_SLUG}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-encoding': 'gzip' },
    setupRequest: (req: object) => ({ ...req, body: next() }),
  };
  // Warm-up (JIT, connection pools, the first tally documents); not counted.
  await httpLoad('warm-up', { url: o.baseUrl, connections: 10, duration: 3, requests: [post] });
  await waitForQuiet(o.db);
  const storedBefore = await o.db.collection('responses').countDocuments({ surveySlug: FORM_SLUG });
  const counterBefore = await totalCounter(o.db);
  const stopRss = o.watchAppRss();
  const appCpu = cpuMeter(o);
  const app = await httpLoad('app: HTTP submit', { url: o.baseUrl, connections: o.connections, duration: o.durationS, requests: [post] });
  const appPeakRssMb = stopRss();
  // Until the database is quiet: the counters written behind the answers belong to this run.
  await waitForQuiet(o.db);
  const appShare = appCpu(app.completed, true);
  const appStored = (await o.db.collection('responses').countDocuments({ surveySlug: FORM_SLUG })) - storedBefore;
  const appSpam = await o.db.collection(SpamResponseModel.collection.collectionName).countDocuments({ surveySlug: FORM_SLUG });
  const appTotalCounter = (await totalCounter(o.db)) - counterBefore;

  const responsesColl = o.db.collection('responses');
  const tallies = o.db.collection<TallyDoc>('tallies');
  const raw = responses(o.definition, o.version, 202);
  let seq = 0;
  let upserts = 0;
  let docs = 0;
  const insertOne = async (withTallies: boolean): Promise<void> => {
    const r = raw();
    const submittedAt = new Date();
    const doc = { surveySlug: RAW_SLUG, surveyVersion: o.version, submissionId: `raw-${runId}-${(seq++).toString(36).padStart(8, '0')}`, fingerprint: r.fingerprint, answers: r.answers, other: r.other, lang: r.lang, channel: 'web', submittedAt };
    await responsesColl.insertOne(doc);
    if (!withTallies) return;
    const ops = tallyOps(o.definition, r, submittedAt);
    upserts += ops.length;
    docs++;
    await tallies.bulkWrite(ops, { ordered: false });
  };
  const rawCpu = cpuMeter(o);
  const rawInsert = await loopLoad('raw driver: insert only', o.connections, o.durationS, () => insertOne(false));
  await waitForQuiet(o.db);
  const rawShare = rawCpu(rawInsert.completed, false);
  const rawInsertTallies = await loopLoad('raw driver: insert + counter updates', o.connections, o.durationS, () => insertOne(true));
  await waitForQuiet(o.db);
  return { app, rawInsert, rawInsertTallies, talliesPerResponse: docs ? upserts / docs : NaN, appPeakRssMb, appStored, appSpam, appTotalCounter, cpu: { app: appShare, rawInsert: rawShare } };
}
