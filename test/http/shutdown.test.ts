import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { freePort } from '../../server/db/local-server.js';
import { fromRoot } from '../../server/paths.js';
import { testDatabase } from '../helpers/root-hooks.js';

describe('server process', function () {
  this.timeout(240000);

  it('starts with MONGODB_URI, serves, and on SIGTERM finishes an in-flight request and exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', fromRoot('server', 'index.ts')], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MONGODB_URI: testDatabase.uri, LOG_LEVEL: 'info', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 180000;
    while (!output.includes('is running on') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(output, output).to.contain('is running on');

    const inFlight = fetch(`http://127.0.0.1:${port}/s/community-needs`);
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).to.equal(200);
    expect(await exited).to.equal(0);
    expect(output).to.contain('shutting down');
  });
});
