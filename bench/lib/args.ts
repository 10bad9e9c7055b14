import { argument } from '../../scripts/cli.js';

export interface BenchArgs {
  /** Response counts to fill and measure, ascending. */
  sizes: number[];
  connections: number;
  /** Concurrent clients of the form page step (the form beside a bare "hello" route). */
  formConnections: number;
  /** Seconds of each submission run (app, raw insert, raw insert + tallies). */
  durationS: number;
  /** Seconds of each form page run. */
  pageDurationS: number;
  /** Seconds an analytics step may take before it is stopped and reported as over time. */
  stepTimeoutS: number;
  /** Analytics steps to run (default: all), e.g. to re-measure one with `--reuse`. */
  steps: string[] | undefined;
  /** Keep bench/.data and reuse a size's data when it already holds that many responses. */
  reuse: boolean;
  /** Skip the HTTP part (submissions and pages) or the data part (sizes and analytics). */
  skipHttp: boolean;
  skipData: boolean;
  /** Write a V8 CPU profile of the app during the HTTP part (bench/.data/profiles; see bench/profile-summary.ts). */
  cpuProf: boolean;
  /** An existing server instead of a local FerretDB (databases `community-needs-bench-*` are used). */
  uri: string | undefined;
}

const has = (flag: string): boolean => process.argv.includes(`--${flag}`);

/** `10k`, `100k`, `1m`, `250000`. */
export function parseSize(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([km]?)$/i.exec(raw.trim());
  if (!m) throw new Error(`--sizes: "${raw}" is not a size like 10k, 100k or 1m`);
  return Math.round(Number(m[1]) * ({ k: 1e3, m: 1e6 }[m[2]!.toLowerCase()] ?? 1));
}

export function sizeLabel(n: number): string {
  return n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
}

function positive(name: string, fallback: number): number {
  const raw = argument(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

export function parseArgs(): BenchArgs {
  const sizes = (argument('sizes') ?? '10k,100k,1m').split(',').filter(Boolean).map(parseSize).sort((a, b) => a - b);
  return {
    sizes: [...new Set(sizes)],
    connections: positive('connections', 50),
    formConnections: positive('form-connections', 200),
    durationS: positive('duration', 20),
    pageDurationS: positive('page-duration', 10),
    stepTimeoutS: positive('step-timeout', 3600),
    steps: argument('steps')?.split(',').filter(Boolean),
    reuse: has('reuse'),
    skipHttp: has('skip-http'),
    skipData: has('skip-data'),
    cpuProf: has('cpu-prof'),
    uri: argument('uri') ?? process.env.BENCH_MONGODB_URI,
  };
}
