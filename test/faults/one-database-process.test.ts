import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../../server/config.js';
import { serversOnFolder } from '../../server/db/folder-lock.js';
import { freePort } from '../../server/db/local-server.js';
import { fromRoot } from '../../server/paths.js';
import { FaultHarness, sleep } from './harness.js';

/** Runs a command-line script the way cron would, against the same data folder. */
function runScript(script: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fromRoot('scripts', script), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('one database process per data folder (the app starting its own FerretDB)', function () {
  this.timeout(600000);
  const h = new FaultHarness();
  let env: Record<string, string> = {};
  let servers: () => number[] = () => [];

  before(async () => {
    h.dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cn-one-db-'));
    h.appPort = await freePort();
    const config = loadConfig({ NODE_ENV: 'test' });
    env = { MONGODB_URI: '', DATA_DIR: h.dataDir, LOCAL_DB_PORT: String(await freePort()), ...(config.FERRETDB_BIN ? { FERRETDB_BIN: config.FERRETDB_BIN } : {}) };
    servers = () => serversOnFolder(`--sqlite-url=file:${path.join(h.dataDir, 'ferretdb')}${path.sep}`);
  });
  after(async () => {
    await h.killApp('SIGTERM').catch(() => undefined);
    for (let i = 0; i < 100 && servers().length; i++) await sleep(100);
    await h.tearDown();
  });

  it('SIGKILL the app: its FerretDB is gone within 3 s; restarted with contacts:purge beside it, exactly one FerretDB serves the folder and writes through the app and the command work', async () => {
    await h.startApp(env);
    expect(servers()).to.have.length(1);

    await h.killApp('SIGKILL');
    let gone = false;
    for (let i = 0; i < 30 && !gone; i++) {
      await sleep(100);
      gone = servers().length === 0;
    }
    expect(gone, `still running after the app was killed: ${servers().join(', ')}`).to.equal(true);

    await h.startApp(env);
    const first = servers();
    expect(first).to.have.length(1);
    const counts: number[] = [];
    const purge = runScript('purge-contacts.ts', env);
    let done = false;
    void purge.then(() => (done = true));
    while (!done) {
      counts.push(servers().length);
      await sleep(50);
    }
    const { code, output } = await purge;
    expect(code, output).to.equal(0);
    expect(output).to.contain('in use');
    expect([...new Set(counts)]).to.deep.equal([1]);
    expect(servers()).to.deep.equal(first);

    // Writes through the app's server, and a collection created by a command, then written by the app.
    const seed = await runScript('create-admin.ts', { ...env, ADMIN_PASSWORD: 'a long enough test passphrase 7' }, ['--email', 'admin@example.org', '--name', 'Admin']);
    expect(seed.code, seed.output).to.equal(0);
    expect(seed.output).to.contain('in use');
    const form = new URLSearchParams({ sid: 'one-db-process-check-0001', lang: 'en', 'q:interests': 'job-skills', 'rank:priorities:1': 'job-skills' });
    const res = await fetch(`${h.base}/s/community-needs`, { method: 'POST', body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' } });
    expect(res.status, await res.text()).to.equal(200);
    const lock = JSON.parse(await fs.readFile(path.join(h.dataDir, 'local-db.lock'), 'utf8')) as { port: number; pid: number };
    expect(lock.pid).to.equal(first[0]);
    const client = new MongoClient(`mongodb://127.0.0.1:${lock.port}/community-needs`, { serverSelectionTimeoutMS: 5000 });
    try {
      expect(await client.db().collection('responses').countDocuments({ submissionId: 'one-db-process-check-0001' })).to.equal(1);
      expect(await client.db().collection('users').countDocuments({})).to.equal(1);
    } finally {
      await client.close();
    }
    expect(servers()).to.deep.equal(first);
  });
});
