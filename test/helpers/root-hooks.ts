import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, disconnectDatabase } from '../../server/db/connection.js';
import { freePort, startLocalServer, type LocalServer } from '../../server/db/local-server.js';
import { loadConfig } from '../../server/config.js';

// Every test run starts its own real database (FerretDB, or mongod when on PATH) on a free
// port with a temporary data folder, and removes both at the end. TEST_MONGODB_URI points the
// tests at an existing server instead (e.g. a real MongoDB in another CI).
let server: LocalServer | undefined;
let dataDir: string | undefined;

export const testDatabase: { uri: string; dataDir: string } = { uri: '', dataDir: '' };

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(600000);
    const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
    let uri = process.env.TEST_MONGODB_URI;
    if (!uri) {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'community-needs-test-'));
      server = await startLocalServer({
        dataDir,
        port: await freePort(),
        cacheDir: config.TOOLS_CACHE_DIR,
        dbName: 'community-needs-test',
        kinds: ['mongod', 'ferretdb'],
        ...(config.FERRETDB_BIN ? { ferretDbBin: config.FERRETDB_BIN } : {}),
        log: (msg) => console.log(`      [test database] ${msg}`),
      });
      uri = server.uri;
      testDatabase.dataDir = dataDir;
    }
    testDatabase.uri = uri;
    await connectDatabase(uri);
  },
  async afterAll(): Promise<void> {
    await disconnectDatabase();
    await server?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  },
};
