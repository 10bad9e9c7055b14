// `npm run load [-- --clients 200 --seconds 60 --url http://127.0.0.1:3000 --uri mongodb://127.0.0.1:27018/community-needs]`
// Exactly once under load: concurrent submitters post the public form for a while, then the
// database is checked against what the app acknowledged (nothing acknowledged missing, no
// submission id stored twice). Without --url it starts its own FerretDB and app, with a temporary
// data folder, and stops both at the end. Prints a table and writes bench/results/load-<time>.json;
// exits 1 when an acknowledged submission is missing or an id is stored twice.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { argument } from '../scripts/cli.js';
import { loadConfig } from '../server/config.js';
import { freePort, startLocalServer, type LocalServer } from '../server/db/local-server.js';
import type { SurveyDefinition } from '../surveys/definition.schema.js';
import { checkDatabase, type DbCheck } from './load-check.js';
import { runClients, type ClientOptions } from './load-clients.js';
import { loadRows, summarize } from './load-report.js';
import { forkTs, nextMessage, stopChild } from './lib/child.js';
import { describeMachine, finishMachine } from './lib/machine.js';
import { machineLine, markdownTable, writeResults } from './lib/report.js';
import { FORM_SLUG } from './submission.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const startedAt = Date.now();
const log = (msg: string): void => console.log(`[load ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${msg}`);

function number(name: string, fallback: number, ok: (v: number) => boolean = (v) => v > 0): number {
  const raw = argument(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || !ok(value)) throw new Error(`--${name}: "${raw}" is out of range`);
  return value;
}

const share = (v: number): boolean => v >= 0 && v <= 1;
const url = argument('url');
const args = {
  clients: number('clients', 200, Number.isInteger),
  seconds: number('seconds', 60),
  retryShare: number('retry-share', 0.1, share),
  doubleTapShare: number('double-tap-share', 0.05, share),
  // As the offline queue: it gives up on a post after 15 s and sends it again later.
  timeoutS: number('timeout', 15),
  fillSeconds: number('fill-seconds', 0, (v) => v >= 0),
  slug: argument('slug') ?? FORM_SLUG,
  url,
  uri: argument('uri'),
  keepData: process.argv.includes('--keep-data'),
};
// Every request goes to a server on this machine, started here or named with --url.
if (url && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(url)) throw new Error('--url must be a local app, e.g. http://127.0.0.1:3000');
if (url && !args.uri) throw new Error('--url needs --uri (the app\'s database, e.g. mongodb://127.0.0.1:27018/community-needs) for the check afterwards');

let dataDir: string | undefined;
let server: LocalServer | undefined;
let app: ReturnType<typeof forkTs> | undefined;
let client: MongoClient | undefined;
let exitCode = 0;
try {
  let uri = args.uri;
  let baseUrl = url?.replace(/\/$/, '');
  if (!uri) {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'community-needs-load-'));
    const config = loadConfig();
    server = await startLocalServer({ dataDir, port: await freePort(), cacheDir: config.TOOLS_CACHE_DIR, dbName: 'community-needs-load', kinds: ['ferretdb'], ...(config.FERRETDB_BIN ? { ferretDbBin: config.FERRETDB_BIN } : {}), log });
    uri = server.uri;
  }
  if (!baseUrl) {
    // The app as bench/app-server.ts builds it (production settings; the per-address limits
    // raised far above what one run posts, since all submitters share 127.0.0.1), taking forms
    // posted at once as people's (no fill-time check).
    app = forkTs('app-server.ts', { BENCH_APP_URI: uri, MIN_FILL_SECONDS: '0' }, { logFile: path.join(dataDir!, 'app-server.log') });
    const { port } = await nextMessage<{ type: 'listening'; port: number }>(app, 'listening', 600_000);
    baseUrl = `http://127.0.0.1:${port}`;
  }
  client = await MongoClient.connect(uri);
  const db = client.db();
  const machine = await describeMachine(client.db('admin'), server?.kind ?? 'external');
  const survey = await db.collection<{ slug: string; version: number; definition: SurveyDefinition }>('surveys').findOne({ slug: args.slug });
  if (!survey) throw new Error(`no survey "${args.slug}" in ${db.databaseName}`);
  log(`${baseUrl}, database ${db.databaseName} (${machine.database}); load average ${machine.loadBefore.join(' ')}`);
  log(`${args.clients} submitters for ${args.seconds} s...`);

  const options: ClientOptions = { baseUrl, slug: args.slug, definition: survey.definition, version: survey.version, clients: args.clients, seconds: args.seconds, retryShare: args.retryShare, doubleTapShare: args.doubleTapShare, timeoutMs: args.timeoutS * 1000, fillSeconds: args.fillSeconds };
  const clients = await runClients(options);
  const summary = summarize(clients);
  log(`${clients.acknowledged.size} acknowledged (${summary.acknowledgedPerSecond.toFixed(0)}/s), post p50 ${summary.post.p50Ms.toFixed(0)} ms, p99 ${summary.post.p99Ms.toFixed(0)} ms; checking the database...`);
  const check: DbCheck = await checkDatabase(db, args.slug, clients.sent, clients.acknowledged);
  if (check.acknowledgedMissing > 0 || check.duplicates > 0) exitCode = 1;

  const rows = loadRows(options, clients, summary, check);
  const table = markdownTable(rows);
  const finished = finishMachine(machine);
  console.log(`\n${table}\n\nMachine: ${machineLine(finished)}.`);
  const { sent, acknowledged, formLoads, posts, ...counts } = clients;
  const file = await writeResults(
    path.join(BENCH_DIR, 'results'),
    {
      date: new Date(startedAt).toISOString(),
      args,
      machine: finished,
      summary,
      clients: { ...counts, sent: sent.size, acknowledged: acknowledged.size, formLoads: { answered: formLoads.answered, statuses: formLoads.statuses }, posts: { sent: posts.sent, answered: posts.latenciesMs.length, statuses: posts.statuses } },
      check,
      rows,
      table,
    },
    'load-',
  );
  console.log(`Results written to ${path.relative(path.dirname(BENCH_DIR), file)}.${exitCode ? ' FAILED: an acknowledged submission is missing or an id is stored twice.' : ''}`);
} catch (err) {
  console.error(err);
  exitCode = 2;
} finally {
  await client?.close();
  if (app && app.exitCode === null && app.signalCode === null && app.connected) {
    app.send({ type: 'stop' });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      app!.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  if (app) await stopChild(app);
  await server?.stop();
  if (dataDir && !args.keepData && exitCode === 0) await fs.rm(dataDir, { recursive: true, force: true });
  else if (dataDir) log(`data and app log kept in ${dataDir}`);
}
process.exit(exitCode);
