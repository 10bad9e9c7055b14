import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const FERRETDB_VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';

/** Where the built FerretDB binary is cached: outside the clone, so fresh clones and CI reuse it. */
export function ferretDbBinaryPath(cacheDir: string): string {
  return path.join(cacheDir, 'bin', `ferretdb-${FERRETDB_VERSION}`);
}

function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}): ${err.trim().slice(-2000)}`));
    });
  });
}

async function hasGo(): Promise<boolean> {
  try {
    await run('go', ['version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns a runnable FerretDB binary, building it once with Go when it is missing.
 *
 * `go install ...@v1.24.2` is not used: it asks the module proxy for the version list (to
 * check deprecations), which some proxies refuse, and the resulting binary panics because
 * the module zip has no `build/version/version.txt`. So the module is downloaded, copied to a
 * scratch folder, given its version file, and built there.
 */
export async function ensureFerretDb(cacheDir: string, log: (msg: string) => void): Promise<string | null> {
  const target = ferretDbBinaryPath(cacheDir);
  if (existsSync(target)) return target;
  if (!(await hasGo())) return null;

  log(`Building FerretDB ${FERRETDB_VERSION} once with Go into ${target} (this takes a few minutes the first time)...`);
  const started = Date.now();
  const ticker = setInterval(() => log(`  still building FerretDB (${Math.round((Date.now() - started) / 1000)} s)...`), 15000);
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: process.env.GOTOOLCHAIN || 'auto' };
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'ferretdb-build-'));
  try {
    const info = JSON.parse(await run('go', ['mod', 'download', '-json', `${MODULE}@${FERRETDB_VERSION}`], { env })) as { Dir?: string };
    if (!info.Dir) throw new Error('go mod download did not report a module folder');
    const src = path.join(scratch, 'src');
    await fs.cp(info.Dir, src, { recursive: true });
    await run('chmod', ['-R', 'u+w', src]);
    await fs.writeFile(path.join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.partial-${process.pid}`;
    await run('go', ['build', '-o', partial, './cmd/ferretdb'], { cwd: src, env });
    await fs.rename(partial, target);
    log(`FerretDB built in ${Math.round((Date.now() - started) / 1000)} s.`);
    return target;
  } finally {
    clearInterval(ticker);
    await fs.rm(scratch, { recursive: true, force: true });
  }
}
