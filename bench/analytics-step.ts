// Child process of `npm run bench`: one analytics step, calling the services in-process the way
// the routes do, in a process that has also built the whole app (createApp, not listening), so
// its memory is the app's. Reports time and peak RSS over IPC. One step per process, so a step
// that runs past its time limit can be stopped without losing the others.
import mongoose from 'mongoose';
import request from 'supertest';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { connectDatabase, disconnectDatabase } from '../server/db/connection.js';
import { localize } from '../server/form-view.js';
import { createI18n } from '../server/i18n.js';
import { createLogger } from '../server/logger.js';
import { buildSummaryModel } from '../server/reports/summary.builder.js';
import { renderSummaryPdf } from '../server/reports/summary-pdf.js';
import type { LocalizedText } from '../surveys/definition.schema.js';
import { filterParams, filterQuery, parseFilter } from '../surveys/filters.js';
import { segmentComparison, tallyFor, topicRanking } from '../surveys/insights.service.js';
import type { LanguageCode } from '../surveys/languages.js';
import { openTextInsights } from '../surveys/open-text.service.js';
import { findSurvey } from '../surveys/survey.service.js';
import { createUser } from '../surveys/user.service.js';
import { TALLY, type TallyMap } from '../surveys/tally.js';
import { configureAnalyticsCopy, indexCopy, markComplete, rebuildCopy } from '../surveys/insights/analytics-copy.js';
import { duplicateVsNew } from './duplicate-step.js';
import { median, now, percentile, withPeakRss } from './lib/measure.js';

/** Time the duplicate step may spend on timed pairs at one size (on FerretDB a duplicate may read every response). */
const DUPLICATE_BUDGET_MS = 600_000;

export type AnalyticsStep = 'copy' | 'ranking' | 'filtered' | 'views' | 'dashboard' | 'openText' | 'pdf' | 'duplicate';

export interface StepResult {
  type: 'result';
  step: AnalyticsStep;
  /** The figure's time: median of the timed runs (ms). */
  ms: number;
  runs: number[];
  parts: Record<string, number>;
  peakRssMb: number;
  startRssMb: number;
  memoryMethod: string;
  detail: Record<string, unknown>;
}

const { BENCH_URI: uri, BENCH_SLUG: slug, BENCH_STEP: step, BENCH_STEP_TIMEOUT_S: stepTimeoutS, BENCH_COPY_FILE: copyFile } = process.env;
if (!uri || !slug || !step || !copyFile || !process.send) throw new Error('bench/analytics-step.ts is started by bench/run.ts');

// One analytical copy file per size, shared by the steps: the `copy` step fills it from MongoDB
// (and times that), the others open it as it is, as an app restarted on an unchanged database does.
configureAnalyticsCopy({ file: copyFile, memoryLimitMb: loadConfig({ ...process.env, NODE_ENV: 'production' }).ANALYTICS_MEMORY_MB });
if (step !== 'copy') markComplete(slug);

// The benchmark went away (interrupted): do not outlive it.
process.on('disconnect', () => process.exit(0));

// The duplicate step posts forms at once and from one address: no fill-time check, no per-address limit in the way.
const config = loadConfig({ ...process.env, NODE_ENV: 'production', MONGODB_URI: uri, LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef', MIN_FILL_SECONDS: '0', RATE_LIMIT_SUBMITS: '1000000' });
const i18n = await createI18n();
await connectDatabase(uri);
const app = createApp({ config, logger: createLogger('silent'), i18n });
const survey = await findSurvey(slug);
if (!survey) throw new Error(`no survey "${slug}"`);
const lang: LanguageCode = 'en';
const L = (text: LocalizedText | undefined): string => localize(text, lang, survey.definition.defaultLanguage as LanguageCode);
const everyone = parseFilter(survey.definition, {});
// The first response the bench fill stores (seedDemoSurvey with seed 7: see demo-data.ts ids).
const FIRST_ID = `demo7-${(7).toString(16).padStart(8, '0')}-${(0).toString(36).padStart(7, '0')}`;
const spanish = parseFilter(survey.definition, { lang: 'es' });
/** The fields the filtered views read (as in surveys/insights.service.ts). */
const PROJECTION = { answers: 1, lang: 1, channel: 1, location: 1, submittedAt: 1, surveyVersion: 1 };
/** Up to this many responses, the filtered step also times the raw driver reading the matching responses. */
const COUNTING_UP_TO = 150_000;
const gc = (globalThis as { gc?: () => void }).gc;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = now();
  const value = await fn();
  return [now() - t, value];
}

/** A three-condition filter with a date range, as staff explore ("Spanish speakers, 35–54, with children, since March"). */
const explore = parseFilter(survey.definition, { lang: 'es', 'q.age': ['35-44', '45-54'], 'q.children': 'yes', from: '2026-03-15' });

const steps: Record<AnalyticsStep, () => Promise<Omit<StepResult, 'type' | 'step' | 'peakRssMb' | 'startRssMb' | 'memoryMethod'>>> = {
  // Filling the analytical copy from MongoDB (a new instance, or a lost file): responses per
  // second, beside the raw driver merely reading the same documents in the same run.
  async copy() {
    const [rawMs, rawDocs] = await timed(async () => {
      let n = 0;
      for await (const doc of mongoose.connection.db!.collection('responses').find({ surveySlug: survey.slug }, { projection: PROJECTION, batchSize: 2000 })) n += doc ? 1 : 0;
      return n;
    });
    const [ms] = await timed(() => rebuildCopy([survey.slug]));
    const n = (await tallyFor(survey, everyone)).get(TALLY.total) ?? 0;
    return { ms, runs: [ms], parts: { perSecond: n / (ms / 1000), rawReadMs: rawMs, rawPerSecond: rawDocs / (rawMs / 1000) }, detail: { responses: n, rawDocs } };
  },
  // Every dashboard JSON view with the three-condition filter and a date range: the ranking, the
  // summary (counts, representativeness), the group comparison and the weighted ranking, each
  // through the JSON API as a board member gets it. Warmed up, median of 10 per view; `ms` is
  // the slowest view's median. The unfiltered ranking is timed the same way beside them.
  async views() {
    const agent = await boardAgent();
    const q = filterParams(explore).toString();
    const base = `/api/surveys/${encodeURIComponent(survey.slug)}`;
    const urls: Record<string, string> = { topics: `${base}/topics?${q}`, summary: `${base}/summary?${q}`, compare: `${base}/segments/compare?${q}`, weighted: `${base}/topics?${q}&weighted=1`, unfiltered: `${base}/topics` };
    const parts: Record<string, number> = {};
    const detail: Record<string, unknown> = {};
    for (const [name, url] of Object.entries(urls)) {
      await agent.get(url).expect(200);
      const runs: number[] = [];
      for (let i = 0; i < 10; i++) runs.push((await timed(() => agent.get(url).expect(200)))[0]);
      parts[name] = median(runs);
      if (name === 'topics') detail.n = (await agent.get(url).expect(200)).body.n;
    }
    const filtered = ['topics', 'summary', 'compare', 'weighted'].map((k) => parts[k]!);
    return { ms: Math.max(...filtered), runs: filtered, parts, detail: { ...detail, filter: q } };
  },
  // The unfiltered ranking, from the analytical copy. Warmed up (10 runs), then 100 runs: a run
  // takes a few ms, so fewer runs let a stray pause of the machine move the median. Each run is
  // followed by the raw driver reading one response by `_id` (the floor: the least a view could
  // ask of MongoDB), so both see the same moment of the machine.
  async ranking() {
    const responses = mongoose.connection.db!.collection<{ _id: string }>('responses');
    const rawRead = () => responses.findOne({ _id: FIRST_ID });
    for (let i = 0; i < 10; i++) {
      await topicRanking(survey, everyone, lang);
      await rawRead();
    }
    const runs: number[] = [];
    const raw: number[] = [];
    let n = 0;
    for (let i = 0; i < 100; i++) {
      const [ms, r] = await timed(() => topicRanking(survey, everyone, lang));
      runs.push(ms);
      n = r.n;
      raw.push((await timed(rawRead))[0]);
    }
    const sorted = [...runs].sort((a, b) => a - b);
    return { ms: median(runs), runs, parts: { p95: percentile(sorted, 95), min: sorted[0]!, rawRead: median(raw), rawReadMin: Math.min(...raw) }, detail: { n } };
  },
  // One filter (lang=es): the filtered ranking and "what stands out" against everyone else, as the
  // dashboard asks for both. `ms` is what the dashboard costs: the language's counters from the
  // analytical copy, the ranking, and the comparison reusing them; warmed up, median of 10.
  // `rawScan` is the raw driver merely reading the matching responses from MongoDB (what any
  // count there would cost at least), up to COUNTING_UP_TO responses (at 1M it takes longer than
  // a step may run on FerretDB).
  async filtered() {
    const dashboard = async (tallies?: TallyMap): Promise<{ n: number; segmentN: number; restN: number }> => {
      const counts = tallies ?? (await tallyFor(survey, spanish));
      const ranking = await topicRanking(survey, spanish, lang, counts);
      const segment = await segmentComparison(survey, spanish, lang, counts);
      return { n: ranking.n, segmentN: segment.segmentN, restN: segment.restN };
    };
    await dashboard();
    const runs: number[] = [];
    let view = { n: 0, segmentN: 0, restN: 0 };
    for (let i = 0; i < 10; i++) {
      const [ms, r] = await timed(() => dashboard());
      runs.push(ms);
      view = r;
    }
    const total = (await tallyFor(survey, everyone)).get(TALLY.total) ?? 0;
    const parts: Record<string, number> = {};
    const detail: Record<string, unknown> = { ...view, total };
    if (total <= COUNTING_UP_TO) {
      const [rawScanMs, rawDocs] = await timed(async () => {
        let n = 0;
        for await (const doc of mongoose.connection.db!.collection('responses').find(filterQuery(survey.slug, spanish), { projection: PROJECTION, batchSize: 2000 })) n += doc ? 1 : 0;
        return n;
      });
      Object.assign(parts, { rawScan: rawScanMs });
      Object.assign(detail, { rawDocs });
    }
    const sorted = [...runs].sort((a, b) => a - b);
    return { ms: median(runs), runs, parts: { ...parts, p95: percentile(sorted, 95), min: sorted[0]! }, detail };
  },
  // The whole dashboard page over HTTP as a board member gets it (session, every section, EJS
  // render), unfiltered and with lang=es: warmed up, median of 10 each; `ms` is the filtered one.
  // Its open answers are not part of it: they have their own page (the openText step), which the
  // page's script loads after it has shown.
  async dashboard() {
    const agent = await boardAgent();
    const page = `/staff/surveys/${encodeURIComponent(survey.slug)}`;
    const time = async (url: string): Promise<{ runs: number[]; bytes: number }> => {
      await agent.get(url).expect(200);
      const runs: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 10; i++) {
        const [ms, res] = await timed(async () => agent.get(url).expect(200));
        runs.push(ms);
        bytes = res.text.length;
      }
      return { runs, bytes };
    };
    const all = await time(page);
    const es = await time(`${page}?lang=es`);
    const explored = await time(`${page}?${filterParams(explore).toString()}`);
    const slowest = [es, explored].sort((a, b) => median(b.runs) - median(a.runs))[0]!;
    return { ms: median(slowest.runs), runs: slowest.runs, parts: { unfiltered: median(all.runs), langEs: median(es.runs), threeConditions: median(explored.runs), min: Math.min(...slowest.runs) }, detail: { htmlBytes: es.bytes } };
  },
  // What people wrote, unfiltered (the open answers page's default view), first page.
  async openText() {
    const [ms, r] = await timed(() => openTextInsights(survey, everyone, lang, L, 1));
    return { ms, runs: [ms], parts: {}, detail: { answers: r.total, languages: r.languages.length } };
  },
  // The board summary PDF, unfiltered: model (tallies) + rendering. First run cold (fonts), then two more; the figure is the median of all three.
  async pdf() {
    const t = i18n.getFixedT(lang);
    const runs: number[] = [];
    const parts: Record<string, number> = {};
    let bytes = 0;
    for (let i = 0; i < 3; i++) {
      const [modelMs, model] = await timed(() => buildSummaryModel({ survey, filter: everyone, lang, L }, t, 'Bench Public Library', new Date('2026-06-01T00:00:00Z')));
      const [renderMs, pdf] = await timed(() => renderSummaryPdf(model, { pageSize: 'LETTER' }));
      runs.push(modelMs + renderMs);
      if (i === 0) Object.assign(parts, { coldModel: modelMs, coldRender: renderMs });
      else Object.assign(parts, { model: modelMs, render: renderMs });
      bytes = pdf.length;
    }
    return { ms: median(runs), runs, parts, detail: { pdfBytes: bytes } };
  },
  // A new submission POST vs the same one again (a retry), median of up to 20 pairs: see bench/duplicate-step.ts.
  async duplicate() {
    return duplicateVsNew(app, Math.min(DUPLICATE_BUDGET_MS, Number(stepTimeoutS ?? 3600) * 1000 * 0.6));
  },
};

async function boardAgent(): Promise<ReturnType<typeof request.agent>> {
  const email = 'bench-board@library.test';
  const password = 'bench harbor 42 violet canyon';
  await createUser({ email, name: 'Bench board member', role: 'board', password }).catch(() => undefined); // already there when --reuse
  const agent = request.agent(app);
  const login = await agent.get('/login').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)?.[1];
  await agent.post('/login').type('form').send({ _csrf: csrf, email, password }).expect(303);
  return agent;
}

const send = (message: unknown): Promise<void> => new Promise((resolve) => process.send!(message, () => resolve()));
try {
  const run = steps[step as AnalyticsStep];
  if (!run) throw new Error(`unknown step "${step}"`);
  gc?.();
  // The views read the counter index the app builds once a survey's copy is whole: built first
  // (timed, and inside the memory window), so the step times the steady state.
  const { result, memory } = await withPeakRss(async () => {
    if (step === 'copy' || step === 'duplicate') return run();
    const [indexMs] = await timed(() => indexCopy(slug));
    const r = await run();
    return { ...r, detail: { ...r.detail, indexBuildMs: Math.round(indexMs) } };
  });
  await send({ type: 'result', step: step as AnalyticsStep, ...result, peakRssMb: memory.peakRssMb, startRssMb: memory.startRssMb, memoryMethod: memory.method } satisfies StepResult);
} catch (err) {
  await send({ type: 'error', message: err instanceof Error ? err.stack : String(err) });
} finally {
  await disconnectDatabase();
  process.disconnect();
}
