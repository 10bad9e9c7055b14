import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A tiny Node process between the app and its database server (Node has no prctl to tie a
 * child's life to its parent). It starts the server, passes its stderr on, prints its pid, and
 * stops it (SIGTERM, then SIGKILL after 5 s) on SIGTERM or as soon as no process listed in the
 * data folder's users directory is alive (an app killed with SIGKILL included); then it removes
 * the lock if the lock still names that server. CommonJS, run with `node -e`.
 */
const SCRIPT = `
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const c = JSON.parse(process.argv[1]);
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
const child = spawn(c.bin, c.args, { stdio: ['ignore', 'ignore', 'pipe'] });
child.stderr.on('data', (d) => { try { process.stderr.write(d); } catch {} });
child.on('error', (e) => { try { process.stderr.write(String(e) + '\\n'); } catch {} process.exit(1); });
process.stdout.write(JSON.stringify({ pid: child.pid }) + '\\n');
let stopping = false;
const stop = () => { if (stopping) return; stopping = true; child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 5000).unref(); };
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, stop);
child.on('exit', (code, signal) => {
  try { if (JSON.parse(fs.readFileSync(c.lockFile, 'utf8')).pid === child.pid) fs.unlinkSync(c.lockFile); } catch {}
  process.exit(code === null ? (signal === 'SIGTERM' ? 0 : 1) : code);
});
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
setInterval(() => {
  let names = [];
  try { names = fs.readdirSync(c.usersDir); } catch {}
  if (!names.some((n) => alive(Number(n.split('-')[0])))) stop();
}, 200);
`;

export interface Watched {
  watchdog: ChildProcess;
  /** The database server's pid, as the watchdog reported it. */
  pid: Promise<number>;
}

/** Starts `bin args` under a watchdog in its own process group (Ctrl-C reaches only the app, which stops it after its last writes). */
export function spawnWatched(bin: string, args: string[], usersDir: string, lockFile: string): Watched {
  const watchdog = spawn(process.execPath, ['-e', SCRIPT, JSON.stringify({ bin, args, usersDir, lockFile })], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = new Promise<number>((resolve, reject) => {
    let out = '';
    watchdog.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve((JSON.parse(line!) as { pid: number }).pid);
    });
    watchdog.once('exit', (code) => reject(new Error(`watchdog exited with code ${code}`)));
    watchdog.once('error', reject);
  });
  pid.catch(() => undefined);
  return { watchdog, pid };
}
