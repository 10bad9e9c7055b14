import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../../server/config.js';
import { pidAlive } from '../../server/db/folder-lock.js';
import { freePort, startLocalServer, type LocalServer } from '../../server/db/local-server.js';
import { fromRoot } from '../../server/paths.js';
import { disconnectDatabase } from '../../server/db/connection.js';
import { faultHooks } from '../../surveys/response.service.js';
import request from 'supertest';
import { engineTallies } from '../../surveys/insights/engine-query.js';
import { EngineStore } from '../../surveys/insights/engine-store.js';
import { findSurvey } from '../../surveys/survey.service.js';
import { UserModel } from '../../surveys/user.model.js';
import { createUser } from '../../surveys/user.service.js';
import { csrfFrom, TEST_PASSWORD } from '../helpers/auth.js';
import { NO_FILTER, recount, sortedTallies } from '../helpers/recount.js';

/**
 * A real FerretDB and a real app process that fault tests can kill and start again, with a
 * raw driver client for checking what is stored.
 */
export class FaultHarness {
  dataDir = '';
  dbPort = 0;
  appPort = 0;
  db?: LocalServer;
  app?: ChildProcess;
  appLog = '';
  client?: MongoClient;
  others: ChildProcess[] = [];

  get uri(): string {
    return `mongodb://127.0.0.1:${this.dbPort}/faults`;
  }
  get base(): string {
    return `http://127.0.0.1:${this.appPort}`;
  }

  async setUp(): Promise<void> {
    this.dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cn-faults-'));
    this.dbPort = await freePort();
    this.appPort = await freePort();
    await this.startDb();
    this.client = new MongoClient(this.uri, { serverSelectionTimeoutMS: 5000 });
  }

  async startDb(): Promise<void> {
    const config = loadConfig({ NODE_ENV: 'test' });
    this.db = await startLocalServer({ dataDir: this.dataDir, port: this.dbPort, cacheDir: config.TOOLS_CACHE_DIR, dbName: 'faults', kinds: ['ferretdb'], log: () => undefined, ...(config.FERRETDB_BIN ? { ferretDbBin: config.FERRETDB_BIN } : {}) });
    if (this.db.port !== this.dbPort) throw new Error('database port was taken');
  }

  /**
   * Kills the database process (SIGKILL, as a crash or the OOM killer would), waits until it is
   * gone, then lets its watchdog and lock go. A graceful stop is not what these tests are about,
   * and FerretDB's own shutdown can wait on open connections.
   */
  async stopDb(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    if (!db) return;
    if (db.pid) {
      try {
        process.kill(db.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      for (let i = 0; i < 200 && pidAlive(db.pid); i++) await sleep(25);
      if (pidAlive(db.pid)) throw new Error(`database process ${db.pid} still alive 5 s after SIGKILL`);
    }
    await Promise.race([db.stop(), sleep(15000).then(() => Promise.reject(new Error('database stop did not finish within 15 s')))]);
  }

  async startApp(extraEnv: Record<string, string> = {}): Promise<void> {
    this.app = await this.launchApp(this.appPort, extraEnv, (log) => (this.appLog = log));
  }

  /** Another app process on the same database (as a second instance behind a load balancer). */
  async startOtherApp(port: number, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
    const child = await this.launchApp(port, extraEnv, () => undefined);
    this.others.push(child);
    return child;
  }

  private async launchApp(port: number, extraEnv: Record<string, string>, onLog: (log: string) => void): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', fromRoot('server', 'index.ts')], {
      env: { ...process.env, NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', MONGODB_URI: this.uri, LOG_LEVEL: process.env.DEBUG_FAULTS ? 'debug' : 'info',
        // Many clients post from one address and fill forms instantly here: the abuse checks
        // (rate limits, minimum fill time) have their own tests.
        MIN_FILL_SECONDS: '0',
        RATE_LIMIT_PAGES: '100000',
        RATE_LIMIT_SUBMITS: '100000',
        RATE_LIMIT_KIOSK: '100000', ANALYTICS_FILE: path.join(this.dataDir, `analytics-${port}.duckdb`), ANALYTICS_CHECK_MINUTES: '0.1', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const seen = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`app did not start: ${log.slice(-2000)}`)), 180000);
      const onData = (d: Buffer): void => {
        if (process.env.DEBUG_FAULTS) process.stdout.write(`      [app ${port}] ${d.toString().slice(0, 300)}`);
        log = (log + d.toString()).slice(-100000);
        onLog(log);
        if (log.includes('is running on')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`app exited with ${code}: ${log.slice(-2000)}`)));
    });
    await seen;
    return child;
  }

  async killApp(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.app;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    this.app = undefined;
  }

  async tearDown(): Promise<void> {
    await this.client?.close().catch(() => undefined);
    await this.killApp('SIGKILL').catch(() => undefined);
    for (const o of this.others) if (o.exitCode === null) o.kill('SIGKILL');
    await this.stopDb().catch(() => undefined);
    if (this.dataDir) await fs.rm(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * What the app's analytical copy counts for a survey against a recount of MongoDB: stops the app
 * (SIGTERM: it writes its copy's last changes), opens its file in this process as it is (no
 * refilling) and recounts every stored response. Needs this process connected (connectDatabase).
 */
export async function copyAgainstRecount(h: FaultHarness, slug: string): Promise<{ copy: [string, number][]; recount: [string, number][] }> {
  await h.killApp('SIGTERM');
  const store = new EngineStore({ file: path.join(h.dataDir, `analytics-${h.appPort}.duckdb`), memoryLimitMb: 128 });
  await store.open();
  try {
    const survey = (await findSurvey(slug))!;
    return { copy: sortedTallies(await engineTallies(store, store.table(slug), NO_FILTER)), recount: sortedTallies(await recount(survey)) };
  } finally {
    store.close();
  }
}

/** Signs in to a running app as a board member (created here on first use), for its JSON API. */
export async function boardAgent(base: string): Promise<ReturnType<typeof request.agent>> {
  const email = 'board-faults@library.test';
  if (!(await UserModel.exists({ email }))) await createUser({ email, name: 'Board', role: 'board', password: TEST_PASSWORD });
  const agent = request.agent(base);
  const login = await agent.get('/login').expect(200);
  await agent.post('/login').type('form').send({ _csrf: csrfFrom(login.text), email, password: TEST_PASSWORD }).expect(303);
  return agent;
}

/**
 * One harness for a describe block: the database started before its tests, and after them the
 * fault hooks cleared, this process disconnected, and the app and database stopped.
 */
export function useFaultHarness(): FaultHarness {
  const h = new FaultHarness();
  before(async () => {
    await h.setUp();
  });
  after(async () => {
    faultHooks.afterInsert = undefined;
    await disconnectDatabase().catch(() => undefined);
    await h.tearDown();
  });
  return h;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
