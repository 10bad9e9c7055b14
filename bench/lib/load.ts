import autocannon from 'autocannon';
type Options = Parameters<typeof autocannon>[0];
import { now, percentile } from './measure.js';

/** Throughput and latency of one load run (HTTP through autocannon, or a loop of driver calls). */
export interface LoadResult {
  label: string;
  connections: number;
  durationS: number;
  completed: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers that were neither 2xx nor 3xx, plus connection errors and timeouts. */
  bad: number;
  statusCodes: Record<string, number>;
}

/** Runs autocannon against the app; 3xx answers count as success (a valid form post is a 303). */
export async function httpLoad(label: string, options: Options & { connections: number; duration: number }): Promise<LoadResult> {
  const r = await autocannon({ timeout: 30, ...options });
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count]));
  const answered = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  const good = r['2xx'] + r['3xx'];
  return {
    label,
    connections: options.connections,
    durationS: r.duration,
    completed: answered,
    perSecond: good / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    bad: answered - good + r.errors + r.timeouts,
    statusCodes,
  };
}

/**
 * `concurrency` loops each calling `op` back to back for `durationS` seconds: the same shape of
 * load as autocannon's connections, for work that does not go through HTTP (the raw driver).
 */
export async function loopLoad(label: string, concurrency: number, durationS: number, op: (worker: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = now();
  const deadline = started + durationS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (now() < deadline) {
        const t = now();
        try {
          await op(worker);
          latencies.push(now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { label, connections: concurrency, durationS: elapsed, completed: latencies.length + errors, perSecond: latencies.length / elapsed, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), bad: errors, statusCodes: {} };
}

/** A load run measured once every connection is answering, plus how the connecting went. */
export interface SteadyLoadResult extends LoadResult {
  /** Time until every connection had its first answer (NaN: not all did within the ramp limit). */
  rampMs: number;
  /** Latency of the first answer on each connection: connecting while the others already load the app. */
  firstAnswer: { p50Ms: number; p99Ms: number; maxMs: number };
}

/**
 * Runs autocannon on the same connections through a warm-up and a measured window: the window
 * opens after `warmS` seconds once every connection has had an answer (or after `maxRampS` more
 * seconds in any case) and lasts `duration` seconds. All clients connect at the same instant, and
 * a busy Node server accepts one new connection per event-loop turn, so at 200 connections the
 * first answers can wait seconds; they are reported apart (`firstAnswer`), not mixed into the
 * steady-state percentiles.
 */
export async function steadyHttpLoad(label: string, options: Options & { connections: number; duration: number }, warmS = 3, maxRampS = 30): Promise<SteadyLoadResult> {
  const started = now();
  const connected = new Set<unknown>();
  const firsts: number[] = [];
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let windowStart = 0;
  let rampMs = NaN;
  let errors = 0;
  const instance = autocannon({ timeout: 30, ...options, duration: warmS + maxRampS + options.duration });
  const maybeOpen = (): void => {
    const since = now() - started;
    if (windowStart || since < warmS * 1000 || (connected.size < options.connections && since < (warmS + maxRampS) * 1000)) return;
    windowStart = now();
    setTimeout(() => instance.stop(), options.duration * 1000);
  };
  const tick = setInterval(maybeOpen, 100);
  instance.on('response', (client: unknown, status: number, _bytes: number, ms: number) => {
    if (!connected.has(client)) {
      connected.add(client);
      firsts.push(ms);
      if (connected.size === options.connections) rampMs = now() - started;
    }
    if (!windowStart) return maybeOpen();
    latencies.push(ms);
    statusCodes[status] = (statusCodes[status] ?? 0) + 1;
  });
  const failed = (): void => void (windowStart && errors++);
  instance.on('reqError', failed);
  instance.on('timeout', failed);
  await instance;
  clearInterval(tick);
  const durationS = windowStart ? (now() - windowStart) / 1000 : NaN;
  latencies.sort((a, b) => a - b);
  firsts.sort((a, b) => a - b);
  const good = Object.entries(statusCodes).reduce((n, [code, count]) => n + (/^[23]/.test(code) ? count : 0), 0);
  return {
    label,
    connections: options.connections,
    durationS,
    completed: latencies.length,
    perSecond: good / durationS,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    bad: latencies.length - good + errors,
    statusCodes,
    rampMs,
    firstAnswer: { p50Ms: percentile(firsts, 50), p99Ms: percentile(firsts, 99), maxMs: firsts.at(-1) ?? NaN },
  };
}
