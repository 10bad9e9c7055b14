import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * One database server per data folder. `local-db.lock` in the folder names the server that
 * serves it (taken atomically with `open(..., 'wx')`); `local-db.users/` holds one empty file
 * per process using that server (`<pid>-<n>`). A later start or command finds the server there
 * and uses it; the watchdog beside the server stops it once no process using it is alive.
 */
export interface FolderLock {
  /** The database server's process (absent while it is starting, and for mongodb-memory-server). */
  pid?: number;
  port?: number;
  kind?: string;
  /** The process that took the lock (and starts the server). */
  owner: number;
  /** The watchdog that stops the server when its users are gone. */
  watchdog?: number;
  startedAt: string;
}

export const lockFile = (dataDir: string): string => path.join(dataDir, 'local-db.lock');
export const usersDir = (dataDir: string): string => path.join(dataDir, 'local-db.users');

export function pidAlive(pid: number | undefined): boolean {
  if (!pid || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let entries = 0;

/** Records this process as a user of the folder's server; returns the entry to remove later. */
export async function registerUser(dataDir: string): Promise<string> {
  await fs.mkdir(usersDir(dataDir), { recursive: true });
  const entry = path.join(usersDir(dataDir), `${process.pid}-${++entries}`);
  await fs.writeFile(entry, '');
  return entry;
}

export function unregisterUser(entry: string): void {
  try {
    unlinkSync(entry);
  } catch {
    // already gone
  }
}

/** How many live processes other than `except` use the folder's server. */
export function otherLiveUsers(dataDir: string, except?: string): number {
  let names: string[] = [];
  try {
    names = readdirSync(usersDir(dataDir));
  } catch {
    return 0;
  }
  return names.filter((n) => path.join(usersDir(dataDir), n) !== except && pidAlive(Number(n.split('-')[0]))).length;
}

/** Takes the lock if nobody holds it; true when taken. */
export async function takeLock(dataDir: string): Promise<boolean> {
  try {
    const handle = await fs.open(lockFile(dataDir), 'wx');
    const lock: FolderLock = { owner: process.pid, startedAt: new Date().toISOString() };
    await handle.writeFile(JSON.stringify(lock));
    await handle.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

export async function readLock(dataDir: string): Promise<{ lock: FolderLock | null; raw: string } | null> {
  let raw: string;
  try {
    raw = await fs.readFile(lockFile(dataDir), 'utf8');
  } catch {
    return null;
  }
  try {
    return { lock: JSON.parse(raw) as FolderLock, raw };
  } catch {
    // Half written (its writer is between open and write) or damaged.
    return { lock: null, raw };
  }
}

export async function writeLock(dataDir: string, lock: FolderLock): Promise<void> {
  await fs.writeFile(lockFile(dataDir), JSON.stringify(lock));
}

/** Removes the lock only if it still says what was read (another start may have replaced it). */
export function removeLockIf(dataDir: string, matches: (raw: string) => boolean): void {
  try {
    if (matches(readFileSync(lockFile(dataDir), 'utf8'))) unlinkSync(lockFile(dataDir));
  } catch {
    // gone already
  }
}

/**
 * Database processes whose command line names this folder (FerretDB's `--sqlite-url=file:<dir>/`,
 * mongod's `--dbpath <dir>`), read from /proc where there is one: catches a server left behind
 * by an app from before the lock, or whose lock was removed.
 */
export function serversOnFolder(arg: string): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const p of pids) {
    try {
      const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (argv.includes(arg)) found.push(Number(p));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** SIGTERM, then SIGKILL after `ms`; resolves once the process is gone. */
export async function stopPid(pid: number, ms = 5000): Promise<void> {
  if (!pidAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + ms;
  while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (pidAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
    while (pidAlive(pid)) await new Promise((r) => setTimeout(r, 20));
  }
}
