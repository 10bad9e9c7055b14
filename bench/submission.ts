// The submission path: full HTTP form posts against the running app, and beside it the raw
// MongoDB driver writing the same documents with the same concurrency.
import * as cheerio from 'cheerio';
import type { Db } from 'mongodb';
import { processCpuMs } from './lib/child.js';
import { loadConfig } from '../server/config.js';
import { SpamResponseModel } from '../surveys/spam.model.js';
import { FORM_TOKEN_FIELD } from '../surveys/spam-token.js';
import type { SurveyDefinition } from '../surveys/definition.schema.js';
import { generateResponses, type DemoResponse } from '../surveys/demo-data.js';
import { toFormFields } from '../surveys/form-fields.js';
import { httpLoad, loopLoad, type LoadResult } from './lib/load.js';

export const FORM_SLUG = 'community-needs';
/** The raw-driver runs write under another slug, so their responses never mix with the app's. */
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
  appPeakRssMb: number;
  /** During the app run: responses stored (should equal the 3xx answers) and kept as spam (all runs). */
  appStored: number;
  appSpam: number;
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

/** Entries in the analytics change log (one per group of responses the app stored; a small collection, so counting it is cheap on FerretDB too). */
const changeEntries = async (db: Db): Promise<number> => db.collection('analytics_changes').countDocuments({});

/**
 * Waits until the database has caught up with a run: requests cut off when autocannon stops are
 * still being stored by the app, and the next measurement must not pay for them. Quiet = both
 * total counters unchanged for two seconds (at most two minutes).
 */
export async function waitForQuiet(db: Db): Promise<number> {
  const started = Date.now();
  // The app logs each group of responses it stores; counting the responses would read them all.
  const snapshot = async (): Promise<string> => String(await changeEntries(db));
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
  // Warm-up (JIT, connection pools, the analytical copy's first rows); not counted.
  await httpLoad('warm-up', { url: o.baseUrl, connections: 10, duration: 3, requests: [post] });
  await waitForQuiet(o.db);
  const storedBefore = await o.db.collection('responses').countDocuments({ surveySlug: FORM_SLUG });
  const stopRss = o.watchAppRss();
  const appCpu = cpuMeter(o);
  const app = await httpLoad('app: HTTP submit', { url: o.baseUrl, connections: o.connections, duration: o.durationS, requests: [post] });
  const appPeakRssMb = stopRss();
  // Until the database is quiet: requests cut off when the load stopped belong to this run.
  await waitForQuiet(o.db);
  const appShare = appCpu(app.completed, true);
  const appStored = (await o.db.collection('responses').countDocuments({ surveySlug: FORM_SLUG })) - storedBefore;
  const appSpam = await o.db.collection(SpamResponseModel.collection.collectionName).countDocuments({ surveySlug: FORM_SLUG });

  const responsesColl = o.db.collection('responses');
  const raw = responses(o.definition, o.version, 202);
  let seq = 0;
  const insertOne = async (): Promise<void> => {
    const r = raw();
    const submittedAt = new Date();
    const doc = { surveySlug: RAW_SLUG, surveyVersion: o.version, submissionId: `raw-${runId}-${(seq++).toString(36).padStart(8, '0')}`, fingerprint: r.fingerprint, answers: r.answers, other: r.other, lang: r.lang, channel: 'web', submittedAt };
    await responsesColl.insertOne(doc);
  };
  const rawCpu = cpuMeter(o);
  const rawInsert = await loopLoad('raw driver: insert only', o.connections, o.durationS, () => insertOne());
  await waitForQuiet(o.db);
  const rawShare = rawCpu(rawInsert.completed, false);
  return { app, rawInsert, appPeakRssMb, appStored, appSpam, cpu: { app: appShare, rawInsert: rawShare } };
}
