import { expect } from 'chai';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { freePort, NoLocalDatabaseError, startLocalServer } from '../../server/db/local-server.js';
import { loadConfig } from '../../server/config.js';

describe('local database launcher', function () {
  this.timeout(120000);
  const config = loadConfig({ NODE_ENV: 'test' });

  it('starts FerretDB in a data folder, and data written survives a stop and a new start', async function () {
    if (process.env.TEST_MONGODB_URI) this.skip();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cn-launcher-'));
    const options = { dataDir, port: await freePort(), cacheDir: config.TOOLS_CACHE_DIR, dbName: 'persist', kinds: ['ferretdb' as const], log: () => undefined };
    try {
      const first = await startLocalServer(options);
      expect(first.kind).to.equal('ferretdb');
      const conn = await mongoose.createConnection(first.uri).asPromise();
      await conn.collection('things').insertOne({ name: 'kept' });
      await conn.close();
      await first.stop();

      const second = await startLocalServer(options);
      const again = await mongoose.createConnection(second.uri).asPromise();
      expect(await again.collection('things').countDocuments({ name: 'kept' })).to.equal(1);
      await again.close();
      await second.stop();
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('when no database can start, one clear error names MONGODB_URI', async () => {
    const savedPath = process.env.PATH;
    const emptyCache = await fs.mkdtemp(path.join(os.tmpdir(), 'cn-nocache-'));
    process.env.PATH = '/nonexistent';
    try {
      await startLocalServer({ dataDir: emptyCache, port: await freePort(), cacheDir: emptyCache, dbName: 'x', kinds: ['mongod', 'ferretdb'], log: () => undefined });
      expect.fail('should not start');
    } catch (err) {
      expect(err).to.be.instanceOf(NoLocalDatabaseError);
      expect((err as Error).message).to.contain('MONGODB_URI');
    } finally {
      process.env.PATH = savedPath;
      await fs.rm(emptyCache, { recursive: true, force: true });
    }
  });
});
