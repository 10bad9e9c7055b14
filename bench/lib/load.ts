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
