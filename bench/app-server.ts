// Child process of `npm run bench`: the real app (createApp, production settings, so the EJS view
// cache is on) connected to the benchmark's database and listening on a free port. Its request
// logs go to bench/.data/app-server.log, as production logs would go somewhere.
import fs from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import express from 'express';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { getCatalog } from '../surveys/catalog.service.js';
import { seedBuiltInSurveys } from '../surveys/survey.service.js';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/open.js';
import { createI18n } from '../server/i18n.js';
import { createLogger } from '../server/logger.js';

const uri = process.env.BENCH_APP_URI;
if (!uri || !process.send) throw new Error('bench/app-server.ts is started by bench/run.ts');

const config = loadConfig({
  ...process.env,
  NODE_ENV: 'production',
  MONGODB_URI: uri,
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'info',
  SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
  // All load comes from one address: the per-address limits would answer 429 after a few
  // dozen posts. The limiter still runs (and writes its counters) on every request.
  RATE_LIMIT_PAGES: '1000000',
  RATE_LIMIT_SUBMITS: '1000000',
  RATE_LIMIT_KIOSK: '1000000',
});
const logger = createLogger(config.LOG_LEVEL);
getCatalog();
const i18n = await createI18n();
const db = await openDatabase(config, logger);
await seedBuiltInSurveys();
const app = createApp({ config, logger, i18n });

// `npm run bench -- --cpu-prof`: a V8 CPU profile of the app while it serves the benchmark,
// written when the benchmark stops it (read it with bench/profile-summary.ts).
const profileDir = process.env.BENCH_CPU_PROF_DIR;
const profiler = profileDir ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
async function writeProfile(): Promise<void> {
  if (!profiler || !profileDir) return;
  const { profile } = await profiler.post('Profiler.stop');
  await fs.mkdir(profileDir, { recursive: true });
  await fs.writeFile(path.join(profileDir, `app-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`), JSON.stringify(profile));
}
// The floor for the form page step: a bare Express app with one route, in this same process
// (same Node, same flags, same machine load), so the form's rate can be read as a share of it.
const hello = express();
hello.disable('x-powered-by');
hello.get('/hello', (_req, res) => void res.send('hello'));
const helloServer = hello.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => helloServer.once('listening', resolve));
const server = app.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'listening', port: (server.address() as AddressInfo).port, helloPort: (helloServer.address() as AddressInfo).port });
});

// The benchmark went away (finished or interrupted): do not outlive it.
process.on('disconnect', () => void db.close().then(() => process.exit(0)));
process.on('message', (msg: { type?: string }) => {
  if (msg.type === 'memory') process.send!({ type: 'memory', rss: process.memoryUsage().rss });
  if (msg.type === 'stop') {
    server.close();
    server.closeAllConnections();
    helloServer.close();
    helloServer.closeAllConnections();
    void writeProfile()
      .catch(() => undefined)
      .then(() => db.close()).then(() => process.exit(0));
  }
});
