import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Starts one of the bench's TypeScript files as a child process (through tsx), with an IPC channel; its output goes to `logFile` when given. */
export function forkTs(file: string, env: Record<string, string>, options: { logFile?: string; execArgv?: string[] } = {}): ChildProcess {
  const out = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  return fork(fileURLToPath(new URL(`../${file}`, import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out === 'ignore' ? 'inherit' : out, 'ipc'],
  });
}

/** The next IPC message of a type; rejects if the child exits first or `timeoutMs` passes. */
export function nextMessage<T extends { type: string }>(child: ChildProcess, type: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no "${type}" message within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    const onMessage = (msg: unknown): void => {
      if ((msg as { type?: string }).type === type) finish(null, msg as T);
      else if ((msg as { type?: string }).type === 'error') finish(new Error((msg as { message?: string }).message ?? 'child failed'));
    };
    const onExit = (code: number | null, signal: string | null): void => finish(new Error(`child exited (${signal ?? code}) before sending "${type}"`));
    function finish(err: Error | null, msg?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(msg!);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Stops a child: SIGTERM, then SIGKILL after a grace period. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A child's current resident memory in MB, read from /proc (Linux); NaN elsewhere. */
export function childRssMb(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Samples a child's RSS every `everyMs` until stopped; returns the highest value seen (MB). */
export function sampleChildRss(pid: number | undefined, everyMs = 10): () => number {
  let peak = childRssMb(pid);
  const timer = setInterval(() => {
    const v = childRssMb(pid);
    if (v > peak || Number.isNaN(peak)) peak = v;
  }, everyMs);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

/** CPU time (user + system) a process has used so far in ms, from /proc (Linux, 100 ticks a second); NaN elsewhere. */
export function processCpuMs(pid: number | undefined): number {
  try {
    // Fields after the command name (which may hold spaces) start at state; utime and stime are the 12th and 13th of them.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}
