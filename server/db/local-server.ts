import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { ensureFerretDb } from './ferretdb.js';

export type LocalServerKind = 'mongod' | 'ferretdb' | 'memory';

export interface LocalServer {
  kind: LocalServerKind;
  uri: string;
  port: number;
  /** The server's process, when it is a child of this one (the benchmark reads its CPU time). */
  pid?: number;
  stop(): Promise<void>;
}

export interface LocalServerOptions {
  dataDir: string;
  port: number;
  cacheDir: string;
  dbName: string;
  ferretDbBin?: string;
  /** Try only these kinds, in this order (tests use FerretDB only). */
  kinds?: LocalServerKind[];
  log: (msg: string) => void;
}

export class NoLocalDatabaseError extends Error {}

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    let exited = false;
    child.once('exit', (code) => {
      exited = true;
      reject(new Error(`exited with code ${code} before accepting connections: ${stderr().slice(-1500)}`));
    });
    const attempt = (): void => {
      if (exited) return;
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`did not accept connections on port ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function stopChild(child: ChildProcess, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startProcess(kind: LocalServerKind, bin: string, args: string[], opts: LocalServerOptions, port: number): Promise<LocalServer> {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-8000);
  });
  // Never leave a database running behind a crashed or killed app.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  try {
    await waitForPort(port, child, 30000, () => stderr);
  } catch (err) {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    throw err;
  }
  return {
    kind,
    port,
    ...(child.pid ? { pid: child.pid } : {}),
    uri: `mongodb://127.0.0.1:${port}/${opts.dbName}`,
    async stop() {
      process.removeListener('exit', killOnExit);
      await stopChild(child);
    },
  };
}

async function startMongod(opts: LocalServerOptions, port: number): Promise<LocalServer | null> {
  const bin = onPath('mongod');
  if (!bin) return null;
  const dbPath = path.join(opts.dataDir, 'mongod');
  await fs.mkdir(dbPath, { recursive: true });
  opts.log(`Starting local mongod (${bin}) on 127.0.0.1:${port}, data in ${dbPath}`);
  return startProcess('mongod', bin, ['--dbpath', dbPath, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], opts, port);
}

async function startFerretDb(opts: LocalServerOptions, port: number): Promise<LocalServer | null> {
  const bin = opts.ferretDbBin ?? (await ensureFerretDb(opts.cacheDir, opts.log));
  if (!bin) return null;
  const sqliteDir = path.join(opts.dataDir, 'ferretdb');
  const stateDir = path.join(opts.dataDir, 'ferretdb-state');
  await fs.mkdir(sqliteDir, { recursive: true });
  await fs.mkdir(stateDir, { recursive: true });
  opts.log(`Starting local FerretDB on 127.0.0.1:${port}, data in ${sqliteDir}`);
  return startProcess(
    'ferretdb',
    bin,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${sqliteDir}${path.sep}`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${stateDir}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--log-level=error',
    ],
    opts,
    port,
  );
}

async function startMemoryServer(opts: LocalServerOptions, port: number): Promise<LocalServer | null> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const dbPath = path.join(opts.dataDir, 'memory-server');
  await fs.mkdir(dbPath, { recursive: true });
  opts.log('Starting mongodb-memory-server (downloads MongoDB on first use)...');
  const server = await MongoMemoryServer.create({ instance: { port, dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1' } });
  return {
    kind: 'memory',
    port,
    uri: server.getUri(opts.dbName),
    async stop() {
      await server.stop({ doCleanup: false });
    },
  };
}

const starters: Record<LocalServerKind, (o: LocalServerOptions, port: number) => Promise<LocalServer | null>> = {
  mongod: startMongod,
  ferretdb: startFerretDb,
  memory: startMemoryServer,
};

/**
 * Starts a database server for local use: `mongod` from PATH, else FerretDB (built once with
 * Go), else mongodb-memory-server. Throws NoLocalDatabaseError naming what to set when none starts.
 */
export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const port = (await portIsFree(opts.port)) ? opts.port : await freePort();
  const failures: string[] = [];
  for (const kind of opts.kinds ?? (['mongod', 'ferretdb', 'memory'] as const)) {
    try {
      const server = await starters[kind](opts, port);
      if (server) return server;
      failures.push(`${kind}: not available`);
    } catch (err) {
      failures.push(`${kind}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new NoLocalDatabaseError(
    'No database could be started. Set MONGODB_URI to your MongoDB server ' +
      '(for example mongodb://localhost:27017/community-needs or a MongoDB Atlas URI), ' +
      'or install Go (to build FerretDB) or MongoDB (mongod on PATH).\n' +
      failures.map((f) => `  - ${f}`).join('\n'),
  );
}
