// `npm run bench [-- --sizes 10k,100k,1m --duration 20 --connections 50 --form-connections 200 --reuse --skip-http --skip-data --steps ranking,dashboard]`
// Speed, memory and page weight against the targets in README.md ("Performance"). Runs its own
// database (FerretDB, data in bench/.data) unless --uri points at a server; prints a table and
// writes bench/results/<time>.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../server/config.js';
import { freePort, startLocalServer, type LocalServer } from '../server/db/local-server.js';
import type { SurveyDefinition } from '../surveys/definition.schema.js';
import { runAnalytics, type StepOutcome } from './analytics.js';
import type { AnalyticsStep } from './analytics-step.js';
import { fillDatabase, type FillResult } from './data.js';
import { formPageBench } from './form-pages.js';
import { parseArgs, sizeLabel } from './lib/args.js';
import { forkTs, nextMessage, sampleChildRss, stopChild } from './lib/child.js';
import { describeMachine, finishMachine } from './lib/machine.js';
import { markdownTable, machineLine, writeResults } from './lib/report.js';
import { pageLoad, pageWeight } from './pages.js';
import { buildRows, type BenchResults } from './rows.js';
import { FORM_SLUG, submissionBench } from './submission.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const DATA_DIR = path.join(BENCH_DIR, '.data');
const ROOT = path.dirname(BENCH_DIR);
export const PAGES = [`/s/${FORM_SLUG}`, `/kiosk/${FORM_SLUG}/answer`];
const BUNDLE = 'public/js/dashboard.bundle.js';

const args = parseArgs();
const startedAt = Date.now();
const log = (msg: string): void => console.log(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(5)} s] ${msg}`);

/** The same server, another database: `mongodb://host:port/<name>?options`. */
function databaseUri(base: string, name: string): string {
  const [main, query] = base.split('?', 2) as [string, string | undefined];
  const slash = main.indexOf('/', main.indexOf('://') + 3);
  return `${slash < 0 ? main : main.slice(0, slash)}/${name}${query ? `?${query}` : ''}`;
}

if (!args.reuse) await fs.rm(DATA_DIR, { recursive: true, force: true });
await fs.mkdir(DATA_DIR, { recursive: true });

// The dashboard bundle is measured as built from the current sources.
execFileSync('npm', ['run', '--silent', 'build:assets'], { cwd: ROOT, stdio: 'inherit' });

let server: LocalServer | undefined;
let baseUri = args.uri;
if (!baseUri) {
  const config = loadConfig();
  server = await startLocalServer({ dataDir: DATA_DIR, port: await freePort(), cacheDir: config.TOOLS_CACHE_DIR, dbName: 'community-needs-bench', kinds: ['ferretdb'], ...(config.FERRETDB_BIN ? { ferretDbBin: config.FERRETDB_BIN } : {}), log });
  baseUri = server.uri;
}
const client = await MongoClient.connect(baseUri);
const results: BenchResults = { args, machine: await describeMachine(client.db('admin'), server?.kind ?? 'external'), phases: {}, fills: [], analytics: {}, pages: [] };
log(`database: ${results.machine.database}; load average ${results.machine.loadBefore.join(' ')}`);

try {
  if (!args.skipHttp) {
    const phase = Date.now();
    const submitUri = databaseUri(baseUri, 'community-needs-bench-submit');
    // Each run submits into an empty database, so runs compare (and the responses and change
    // log of earlier runs do not pile up under --reuse).
    await client.db('community-needs-bench-submit').dropDatabase();
    const app = forkTs('app-server.ts', { BENCH_APP_URI: submitUri, ...(args.cpuProf ? { BENCH_CPU_PROF_DIR: path.join(DATA_DIR, 'profiles') } : {}) }, { logFile: path.join(DATA_DIR, 'app-server.log') });
    try {
      const { port, helloPort } = await nextMessage<{ type: 'listening'; port: number; helloPort: number }>(app, 'listening', 600_000);
      const baseUrl = `http://127.0.0.1:${port}`;
      const db = client.db('community-needs-bench-submit');
      const survey = await db.collection<{ slug: string; version: number; definition: SurveyDefinition }>('surveys').findOne({ slug: FORM_SLUG });
      if (!survey) throw new Error(`the app did not create "${FORM_SLUG}"`);
      log(`submissions: ${args.connections} connections × ${args.durationS} s each (app, raw insert)...`);
      results.submission = await submissionBench({ baseUrl, db, definition: survey.definition, version: survey.version, connections: args.connections, durationS: args.durationS, watchAppRss: () => sampleChildRss(app.pid), ...(app.pid ? { appPid: app.pid } : {}), ...(server?.pid ? { dbPid: server.pid } : {}) });
      for (const r of [results.submission.app, results.submission.rawInsert]) log(`  ${r.label}: ${r.perSecond.toFixed(0)}/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, bad ${r.bad}`);
      for (const p of PAGES) {
        const weight = await pageWeight(baseUrl, p);
        const load = await pageLoad(baseUrl, p, args.connections, args.pageDurationS);
        results.pages.push({ weight, load });
        log(`  ${p}: ${load.perSecond.toFixed(0)} req/s, ${(weight.totalBytes / 1024).toFixed(1)} KB gzip in ${weight.assets.length} files`);
      }
      log(`form pages: ${args.formConnections} connections × ${args.pageDurationS} s, beside a bare Express "hello" route...`);
      const form = (results.formPages = await formPageBench({ baseUrl, helloUrl: `http://127.0.0.1:${helloPort}`, path: PAGES[0]!, connections: args.formConnections, durationS: args.pageDurationS }));
      log(`  ${form.path}: ${form.form.perSecond.toFixed(0)}/s, p99 ${form.form.p99Ms} ms (first answers p99 ${form.form.firstAnswer.p99Ms} ms); hello ${form.hello.perSecond.toFixed(0)}/s, p99 ${form.hello.p99Ms} ms; ratio ${form.ratio.toFixed(2)}`);
      results.bundle = await pageWeight(baseUrl, `/${BUNDLE}`).then((w) => ({ bytes: w.totalBytes, encoding: w.assets[0]?.encoding ?? '' }));
      app.send({ type: 'stop' });
      // Give it time to write its profile and close cleanly before it is signalled.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 30_000);
        app.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    } finally {
      await stopChild(app);
    }
    results.phases.http = (Date.now() - phase) / 1000;
  }
  results.bundle ??= { bytes: zlib.gzipSync(await fs.readFile(path.join(ROOT, BUNDLE))).length, encoding: 'gzip (zlib level 6, not fetched)' };

  if (!args.skipData) {
    for (const size of args.sizes) {
      const label = sizeLabel(size);
      const uri = databaseUri(baseUri, `community-needs-bench-${label.toLowerCase()}`);
      let phase = Date.now();
      log(`${label}: filling...`);
      const fill: FillResult = await fillDatabase(uri, size, args.reuse, log);
      results.fills.push(fill);
      results.phases[`fill ${label}`] = (Date.now() - phase) / 1000;
      phase = Date.now();
      log(`${label}: analytics...`);
      results.analytics[label] = (await runAnalytics(uri, size, args.stepTimeoutS, log, args.steps)) as Record<AnalyticsStep, StepOutcome>;
      results.phases[`analytics ${label}`] = (Date.now() - phase) / 1000;
    }
  }
} finally {
  await client.close();
  await server?.stop();
}

results.machine = finishMachine(results.machine);
results.phases.total = (Date.now() - startedAt) / 1000;
const rows = buildRows(results);
const table = markdownTable(rows);
console.log(`\n${table}\n\nMachine: ${machineLine(results.machine)}.`);
console.log(`Phases (s): ${Object.entries(results.phases).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}.`);
const file = await writeResults(path.join(BENCH_DIR, 'results'), { date: new Date(startedAt).toISOString(), ...results, rows, table });
console.log(`Results written to ${path.relative(ROOT, file)}.`);
