import mongoose from 'mongoose';
import type { FunnelCount } from '../../analytics/funnel.js';
import { FunnelCountModel } from './funnel-count.model.js';

/**
 * Counting where people stop, anonymously. A form page shown and a submission stored each add
 * one to a counter kept in this process; every interval the counters are written as new
 * documents (one per survey, channel, day, kind and page) and start again from zero. Reads add
 * this process's unwritten counts to what is stored, so a page shows its own latest counts at
 * once (other instances' within one interval).
 */

export interface FunnelStep {
  survey: string;
  channel: string;
  kind: FunnelCount['kind'];
  /** The page shown, from 1 (page 1 = the survey opened); ignored for `sent`. */
  page?: number;
}

const pending = new Map<string, number>();
const SEP = '\u0000';

function keyOf(step: FunnelStep, day: string): string {
  return [step.survey, step.channel, day, step.kind, step.kind === 'sent' ? 0 : (step.page ?? 1)].join(SEP);
}

/** Adds one to a counter (no database call; written by the next flush). */
export function countFunnelStep(step: FunnelStep, now: Date = new Date()): void {
  const key = keyOf(step, now.toISOString().slice(0, 10));
  pending.set(key, (pending.get(key) ?? 0) + 1);
}

function parseKey(key: string): { survey: string; channel: string; day: string; kind: FunnelCount['kind']; page: number } {
  const [survey, channel, day, kind, page] = key.split(SEP);
  return { survey: survey!, channel: channel!, day: day!, kind: kind as FunnelCount['kind'], page: Number(page) };
}

let flushing: Promise<void> = Promise.resolve();

/**
 * Writes the counters kept so far as new documents. When the database is away they are kept and
 * written with the next flush, so no count is lost to an outage of this process's database link.
 */
export function flushFunnelCounts(): Promise<void> {
  const batch = [...pending.entries()];
  pending.clear();
  const write = async (): Promise<void> => {
    if (!batch.length) return;
    try {
      await FunnelCountModel.insertMany(batch.map(([key, n]) => ({ ...parseKey(key), n })), { ordered: false });
    } catch (err) {
      for (const [key, n] of batch) pending.set(key, (pending.get(key) ?? 0) + n);
      throw err;
    }
  };
  flushing = flushing.then(write, write);
  return flushing;
}

/** Flushes every `intervalMs`; the returned function stops and writes what is left (shutdown). */
export function startFunnelFlush(intervalMs: number, onError: (err: unknown) => void = () => undefined): () => Promise<void> {
  const timer = setInterval(() => {
    if (mongoose.connection.readyState !== 1) return;
    flushFunnelCounts().catch(onError);
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await flushFunnelCounts().catch(onError);
  };
}

/** A day range (`YYYY-MM-DD`, both ends included), as the dashboard's date filter. */
export interface DayRange {
  from?: string;
  to?: string;
}

const inRange = (day: string, range: DayRange): boolean => (!range.from || day >= range.from) && (!range.to || day <= range.to);

/** The counts of one survey, summed per channel, kind and page: stored ones plus this process's unwritten ones. */
export async function funnelCounts(survey: string, range: DayRange = {}): Promise<FunnelCount[]> {
  const day: Record<string, string> = {};
  if (range.from) day.$gte = range.from;
  if (range.to) day.$lte = range.to;
  const match = { survey, ...(range.from || range.to ? { day: mongoose.trusted(day) } : {}) };
  const rows = await FunnelCountModel.aggregate<{ _id: { channel: string; kind: FunnelCount['kind']; page: number }; n: number }>([
    { $match: match },
    { $group: { _id: { channel: '$channel', kind: '$kind', page: '$page' }, n: { $sum: '$n' } } },
  ]);
  const sums = new Map<string, FunnelCount>();
  const add = (c: FunnelCount): void => {
    const key = [c.channel, c.kind, c.page].join(SEP);
    const had = sums.get(key);
    if (had) had.n += c.n;
    else sums.set(key, { ...c });
  };
  for (const r of rows) add({ channel: r._id.channel, kind: r._id.kind, page: r._id.page, n: r.n });
  for (const [key, n] of pending) {
    const k = parseKey(key);
    if (k.survey === survey && inRange(k.day, range)) add({ channel: k.channel, kind: k.kind, page: k.page, n });
  }
  return [...sums.values()].sort((a, b) => a.channel.localeCompare(b.channel) || a.kind.localeCompare(b.kind) || a.page - b.page);
}
