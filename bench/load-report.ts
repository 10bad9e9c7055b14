// The table and the JSON of `npm run load`.
import type { DbCheck } from './load-check.js';
import type { ClientOptions, ClientResults } from './load-clients.js';
import { percentile } from './lib/measure.js';
import { checked, formatNumber, row, type ResultRow } from './lib/report.js';

export interface Latency {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function latency(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? NaN };
}

export interface LoadSummary {
  /** Distinct submissions acknowledged per second, and posts answered per second (resends included). */
  acknowledgedPerSecond: number;
  postsPerSecond: number;
  post: Latency;
  /** Post latency by answer (`200 stored`, `200 duplicate`, `503`, ...): what a retry costs beside a new submission. */
  postByAnswer: Record<string, Latency>;
  formLoad: Latency;
  /** Answers to posts other than 200, by status (429 is also counted on its own). */
  non2xx: Record<string, number>;
  tooManyRequests: number;
  errors: number;
}

export function summarize(c: ClientResults): LoadSummary {
  const non2xx = Object.fromEntries(Object.entries(c.posts.statuses).filter(([k]) => !k.startsWith('2')));
  return {
    acknowledgedPerSecond: c.acknowledged.size / c.elapsedS,
    postsPerSecond: c.posts.latenciesMs.length / c.elapsedS,
    post: latency(c.posts.latenciesMs),
    postByAnswer: Object.fromEntries(Object.entries(c.posts.latenciesByAnswer).map(([k, v]) => [k, latency(v)])),
    formLoad: latency(c.formLoads.latenciesMs),
    non2xx,
    tooManyRequests: c.posts.statuses['429'] ?? 0,
    errors: Object.values(c.errors).reduce((a, b) => a + b, 0),
  };
}

const n = (v: number): string => formatNumber(v, 0);
const lat = (l: Latency): string => `p50 ${formatNumber(l.p50Ms, 1)} ms, p99 ${formatNumber(l.p99Ms, 1)} ms, max ${formatNumber(l.maxMs, 0)} ms`;
const kinds = (counts: Record<string, number>): string => Object.entries(counts).map(([k, v]) => `${k}: ${n(v)}`).join(', ') || 'none';

export function loadRows(o: ClientOptions, c: ClientResults, s: LoadSummary, d: DbCheck | null): ResultRow[] {
  const rows: ResultRow[] = [
    row(`Submitters × seconds (resend ${formatNumber(o.retryShare * 100, 0)} % after the answer, double tap ${formatNumber(o.doubleTapShare * 100, 0)} %)`, '', `${o.clients} × ${o.seconds} s (ran ${formatNumber(c.elapsedS, 1)} s)`, 'info'),
    row('Throughput: submissions acknowledged (distinct ids) / posts answered, per second', '', `${formatNumber(s.acknowledgedPerSecond, 0)}/s / ${formatNumber(s.postsPerSecond, 0)}/s`, 'info', '', { value: s.acknowledgedPerSecond, unit: 'acknowledged/s' }),
    row('Post latency (every answered post)', '', lat(s.post), 'info', '', { value: s.post.p99Ms, unit: 'ms p99' }),
    ...Object.entries(s.postByAnswer).map(([answer, l]) => row(`Post latency, answers "${answer}" (${n(l.count)})`, '', lat(l), 'info', '', { value: l.p50Ms, unit: 'ms p50' })),
    row('Form page latency (GET before each submission)', '', lat(s.formLoad), 'info', '', { value: s.formLoad.p99Ms, unit: 'ms p99' }),
    row('Posts sent / answers by status', '', `${n(c.posts.sent)} / ${kinds(c.posts.statuses)}`, 'info'),
    checked('Posts answered other than 2xx (by status below)', '', Object.values(s.non2xx).reduce((a, b) => a + b, 0), '', '0', (v) => v === 0),
    row('Non-2xx by status', '', kinds(s.non2xx), 'info'),
    row('Over the rate limit (429; the app started here allows far more)', '', n(s.tooManyRequests), 'info', '', { value: s.tooManyRequests }),
    checked(`Errors (no answer, or an answer that made no sense): ${kinds(c.errors)}`, '', s.errors, '', '0', (v) => v === 0),
    row('Resends: after a failure / after an answer (retry) / double taps', '', `${n(c.resends.afterFailure)} / ${n(c.resends.afterAnswer)} / ${n(c.resends.doubleTaps)}`, 'info'),
    row('Acknowledged: ids / answers "stored" / answers "duplicate"', '', `${n(c.acknowledged.size)} / ${n(c.acks.stored)} / ${n(c.acks.duplicate)}`, 'info', '', { value: c.acknowledged.size }),
    checked('Ids answered "stored" more than once', '', c.acks.storedTwice, '', '0', (v) => v === 0),
    row('Ids sent but never acknowledged (resends stop 10 s after the run; refused posts are not resent)', '', n(c.sent.size - c.acknowledged.size), 'info', '', { value: c.sent.size - c.acknowledged.size }),
  ];
  if (!d) return [...rows, row('Database check', '', 'not run', 'skipped')];
  return [
    ...rows,
    row('Stored responses of the survey (countDocuments) / read through the cursor', '', `${n(d.stored)} / ${n(d.read)}`, d.stored === d.read ? 'info' : 'miss', '', { value: d.stored }),
    checked('Acknowledged but not stored (nor held as spam)', '', d.acknowledgedMissing, '', '0', (v) => v === 0),
    checked('Same submission id stored twice: read − distinct ids', '', d.duplicates, '', '0', (v) => v === 0),
    row('Acknowledged vs stored (this run\'s ids)', '', `${n(c.acknowledged.size)} acknowledged, ${n(d.distinct - d.storedFromElsewhere)} stored`, 'info'),
    row('Stored but never acknowledged (a post that timed out may still land)', '', n(d.storedNeverAcknowledged), 'info', '', { value: d.storedNeverAcknowledged }),
    row('Held as likely spam (acknowledged as usual)', '', n(d.heldAsSpam), d.heldAsSpam ? 'miss' : 'info', '0 with MIN_FILL_SECONDS=0', { value: d.heldAsSpam }),
    row('Stored responses from elsewhere (not sent by this run) / without any id', '', `${n(d.storedFromElsewhere)} / ${n(d.withoutId)}`, 'info'),
  ];
}
