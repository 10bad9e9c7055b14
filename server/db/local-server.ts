import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { ensureFerretDb } from './ferretdb.js';
import { lockFile, otherLiveUsers, pidAlive, readLock, registerUser, removeLockIf, serversOnFolder, stopPid, takeLock, unregisterUser, usersDir, writeLock, type FolderLock } from './folder-lock.js';
import { spawnWatched } from './watchdog.js';

export type LocalServerKind = 'mongod' | 'ferretdb' | 'memory';

export interface LocalServer {
  kind: LocalServerKind;
  uri: string;
  port: number;
  /** The server's process (the benchmark reads its CPU time). */
  pid?: number;
  /** True when another process started it and this one only uses it (stop() then leaves it running). */
  shared?: boolean;
  stop(): Promise<void>;
}

type Started = LocalServer & { watchdog?: number };

export interface LocalServerOptions {
  dataDir: string;
  port: number;
  cacheDir: string;
  dbName: string;
  ferretDbBin?: string;
  /** Try only these kinds, in this order (tests use FerretDB only). */
  kinds?: LocalServerKind[];
  log: (msg: string) => void;
  /** The database server's own warnings and errors (FerretDB logs at warn level). */
  serverLog?: (level: 'warn' | 'error', msg: string) => void;
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

function stopChild(child: ChildProcess, timeoutMs = 8000): Promise<void> {
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

/** Passes the server's own log lines (FerretDB's JSON lines at warn and error) to the app's log. */
function forwardLog(kind: LocalServerKind, opts: LocalServerOptions): (chunk: Buffer) => void {
  let partial = '';
  return (chunk) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      let level: 'warn' | 'error' = 'warn';
      let msg = line;
      try {
        const parsed = JSON.parse(line) as { level?: string; msg?: string };
        if (parsed.level === 'ERROR' || parsed.level === 'DPANIC' || parsed.level === 'PANIC' || parsed.level === 'FATAL') level = 'error';
        msg = parsed.msg ?? line;
      } catch {
        // not JSON (a Go panic, mongod's own output): pass it on as is
      }
      opts.serverLog?.(level, `${kind}: ${msg.slice(0, 2000)}`);
    }
  };
}

async function startProcess(kind: LocalServerKind, bin: string, args: string[], opts: LocalServerOptions, port: number, users: string): Promise<Started> {
  const { watchdog, pid } = spawnWatched(bin, args, usersDir(opts.dataDir), lockFile(opts.dataDir));
  let stderr = '';
  const forward = forwardLog(kind, opts);
  watchdog.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-8000);
    forward(d);
  });
  // Ended with this process, whatever the exit: the watchdog stops the server once no user is left.
  const onExit = (): void => {
    unregisterUser(users);
    if (otherLiveUsers(opts.dataDir) === 0) watchdog.kill('SIGTERM');
  };
  process.once('exit', onExit);
  try {
    await waitForPort(port, watchdog, 30000, () => stderr);
  } catch (err) {
    process.removeListener('exit', onExit);
    await stopChild(watchdog);
    throw err;
  }
  return {
    kind,
    port,
    pid: await pid,
    watchdog: watchdog.pid,
    uri: `mongodb://127.0.0.1:${port}/${opts.dbName}`,
    async stop() {
      process.removeListener('exit', onExit);
      unregisterUser(users);
      if (otherLiveUsers(opts.dataDir) > 0) {
        // A command (or another app) still uses it: the watchdog stops it after them.
        watchdog.stdout?.destroy();
        watchdog.stderr?.destroy();
        watchdog.unref();
        return;
      }
      await stopChild(watchdog);
      const serverPid = await pid.catch(() => undefined);
      removeLockIf(opts.dataDir, (raw) => (JSON.parse(raw) as FolderLock).pid === serverPid);
    },
  };
}

async function startMongod(opts: LocalServerOptions, port: number, users: string): Promise<Started | null> {
  const bin = onPath('mongod');
  if (!bin) return null;
  const dbPath = path.join(opts.dataDir, 'mongod');
  await fs.mkdir(dbPath, { recursive: true });
  opts.log(`Starting local mongod (${bin}) on 127.0.0.1:${port}, data in ${dbPath}`);
  return startProcess('mongod', bin, ['--dbpath', dbPath, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], opts, port, users);
}

async function startFerretDb(opts: LocalServerOptions, port: number, users: string): Promise<Started | null> {
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
      '--log-format=json',
    ],
    opts,
    port,
    users,
  );
}

async function startMemoryServer(opts: LocalServerOptions, port: number, users: string): Promise<Started | null> {
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
      unregisterUser(users);
      await server.stop({ doCleanup: false });
    },
  };
}

const starters: Record<LocalServerKind, (o: LocalServerOptions, port: number, users: string) => Promise<Started | null>> = {
  mongod: startMongod,
  ferretdb: startFerretDb,
  memory: startMemoryServer,
};

/** The command-line argument by which a server names this folder (see serversOnFolder). */
function folderArgs(dataDir: string): string[] {
  return [`--sqlite-url=file:${path.join(dataDir, 'ferretdb')}${path.sep}`, path.join(dataDir, 'mongod')];
}

/** Whether the server a lock names is alive, serving this folder, and answering. */
async function answers(lock: FolderLock, dataDir: string): Promise<boolean> {
  if (!lock.port) return false;
  if (lock.pid !== undefined) {
    if (!pidAlive(lock.pid)) return false;
    const onFolder = folderArgs(dataDir).flatMap(serversOnFolder);
    // Where /proc can be read, the pid must be a server of this very folder (pids are reused).
    if (existsSync('/proc/self/cmdline') && !onFolder.includes(lock.pid)) return false;
  }
  const client = new MongoClient(`mongodb://127.0.0.1:${lock.port}/`, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000, directConnection: true });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function sharedServer(lock: FolderLock, opts: LocalServerOptions, users: string): LocalServer {
  const onExit = (): void => unregisterUser(users);
  process.once('exit', onExit);
  return {
    kind: (lock.kind as LocalServerKind) ?? 'ferretdb',
    port: lock.port!,
    ...(lock.pid ? { pid: lock.pid } : {}),
    shared: true,
    uri: `mongodb://127.0.0.1:${lock.port}/${opts.dbName}`,
    async stop() {
      // Only the process that started a server stops it (or its watchdog, after the last user).
      process.removeListener('exit', onExit);
      unregisterUser(users);
    },
  };
}

/**
 * Holds the folder's lock, or finds the live server another process (the app, a command) runs
 * there. A lock whose server is dead, serves another folder or does not answer is stale: its
 * server, if any, is stopped and the lock removed.
 */
async function lockOrShare(opts: LocalServerOptions, users: string): Promise<LocalServer | null> {
  const deadline = Date.now() + 60000;
  for (;;) {
    if (await takeLock(opts.dataDir)) return null;
    const found = await readLock(opts.dataDir);
    if (!found) continue;
    const { lock, raw } = found;
    if (lock?.port && (await answers(lock, opts.dataDir))) {
      opts.log(`Using the ${lock.kind ?? 'local'} database already serving ${opts.dataDir} (port ${lock.port}, pid ${lock.pid ?? '?'})`);
      return sharedServer(lock, opts, users);
    }
    // Being started right now by a live process: wait for it.
    if ((!lock || !lock.port) && pidAlive(lock?.owner) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    if (lock?.watchdog && lock.watchdog !== process.pid) await stopPid(lock.watchdog);
    if (lock?.pid && folderArgs(opts.dataDir).flatMap(serversOnFolder).includes(lock.pid)) await stopPid(lock.pid);
    removeLockIf(opts.dataDir, (now) => now === raw);
  }
}

/**
 * Starts a database server for local use: `mongod` from PATH, else FerretDB (built once with
 * Go), else mongodb-memory-server. Throws NoLocalDatabaseError naming what to set when none starts.
 */
export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  await fs.mkdir(opts.dataDir, { recursive: true });
  const users = await registerUser(opts.dataDir);
  let started: Started | null = null;
  try {
    const shared = await lockOrShare(opts, users);
    if (shared) return shared;
    // This process holds the lock: a server still running on the folder without one (left by an
    // app from before the lock) would be a second writer, so it is stopped first.
    for (const pid of folderArgs(opts.dataDir).flatMap(serversOnFolder)) {
      opts.log(`Stopping a database server (pid ${pid}) left running on ${opts.dataDir}`);
      await stopPid(pid);
    }
    const port = (await portIsFree(opts.port)) ? opts.port : await freePort();
    const failures: string[] = [];
    for (const kind of opts.kinds ?? (['mongod', 'ferretdb', 'memory'] as const)) {
      try {
        started = await starters[kind](opts, port, users);
        if (started) break;
        failures.push(`${kind}: not available`);
      } catch (err) {
        failures.push(`${kind}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (!started) {
      throw new NoLocalDatabaseError(
        'No database could be started. Set MONGODB_URI to your MongoDB server ' +
          '(for example mongodb://localhost:27017/community-needs or a MongoDB Atlas URI), ' +
          'or install Go (to build FerretDB) or MongoDB (mongod on PATH).\n' +
          failures.map((f) => `  - ${f}`).join('\n'),
      );
    }
    const { watchdog, ...server } = started;
    await writeLock(opts.dataDir, { owner: process.pid, kind: server.kind, port: server.port, startedAt: new Date().toISOString(), ...(server.pid ? { pid: server.pid } : {}), ...(watchdog ? { watchdog } : {}) });
    return server;
  } catch (err) {
    await started?.stop().catch(() => undefined);
    unregisterUser(users);
    removeLockIf(opts.dataDir, (raw) => (JSON.parse(raw) as FolderLock).owner === process.pid);
    throw err;
  }
}
