import { randomUUID } from 'node:crypto';
import { ResponseModel } from '../response.model.js';
import { SurveyModel } from '../survey.model.js';
import { AnalyticsChangeModel } from './analytics-change.model.js';
import { addToCopy, copyCounts, forAnalytics, indexWholeCopies, markComplete, markIncomplete, rebuildCopy, removeFromCopy, setChecked, setChecking, setManaged } from './analytics-copy.js';

/**
 * Keeps every instance's analytical copy in step with MongoDB: each write path tells its own
 * copy at once and the others through the change log (analytics-change.model.ts); each instance
 * reads the log every second; a periodic check compares counts per survey with MongoDB and
 * copies again any survey that differs (a write whose outcome was unknown, a log entry pruned
 * before an instance read it, a restore, a change made outside the app).
 */
const me = randomUUID();
const seen = new Map<string, number>();
let retentionMs = 5 * 60_000;
let lastRead = Date.now();
let onError: (what: string, err: unknown) => void = () => undefined;
/** Set when a change could not be logged: the next check comes sooner. */
let suspect = false;

async function logChange(change: { kind: 'add' | 'remove' | 'resync'; slug: string; docs?: Record<string, unknown>[]; ids?: string[] }): Promise<void> {
  try {
    await AnalyticsChangeModel.collection.insertOne({ ...change, at: new Date(), from: me });
  } catch (err) {
    suspect = true;
    onError('could not log a change for the other instances', err);
  }
}

function withoutContacts(doc: Record<string, unknown>): Record<string, unknown> {
  const { contact, fingerprint, importBatch, ...rest } = doc;
  void contact;
  void fingerprint;
  void importBatch;
  return rest;
}

/** Responses just stored (any write path): into this copy at once, and into the log for the others. */
export function responsesStored(docs: Record<string, unknown>[], opts: { known?: boolean } = { known: true }): Promise<void> {
  const local = addToCopy(docs.map(forAnalytics), opts);
  const bySlug = new Map<string, Record<string, unknown>[]>();
  for (const d of docs) bySlug.set(String(d.surveySlug), [...(bySlug.get(String(d.surveySlug)) ?? []), withoutContacts(d)]);
  const logged = Promise.all([...bySlug].map(([slug, list]) => logChange({ kind: 'add', slug, docs: list })));
  return Promise.all([local.catch((err: unknown) => onError('could not add to the analytics copy', err)), logged]).then(() => undefined);
}

export async function responsesRemoved(slug: string, ids: string[]): Promise<void> {
  await removeFromCopy(slug, ids);
  await logChange({ kind: 'remove', slug, ids });
}

/** Many responses of a survey changed at once (a demo reset, an import undone, a restore): copy it again everywhere. */
export async function surveyResync(slug: string): Promise<void> {
  await logChange({ kind: 'resync', slug });
  await markIncomplete(slug);
}

/** Reads the log once and applies what other instances wrote. */
export async function followChanges(): Promise<void> {
  const entries = await AnalyticsChangeModel.collection.find({}).toArray();
  const gap = Date.now() - lastRead;
  lastRead = Date.now();
  entries.sort((a, b) => String(a._id).localeCompare(String(b._id)));
  for (const e of entries) {
    const id = String(e._id);
    if (seen.has(id)) continue;
    // Marked only once applied: an entry that failed is tried again at the next read.
    if (e.from !== me && e.kind === 'add') await addToCopy(((e.docs ?? []) as Record<string, unknown>[]).map(forAnalytics));
    else if (e.from !== me && e.kind === 'remove') await removeFromCopy(String(e.slug), (e.ids ?? []) as string[]);
    else if (e.from !== me && e.kind === 'resync') void markIncomplete(String(e.slug)).catch((err: unknown) => onError('could not copy a survey again', err));
    seen.set(id, Date.now());
  }
  for (const [id, at] of seen) if (Date.now() - at > 2 * retentionMs) seen.delete(id);
  // Away longer than the log keeps entries: some may be gone unread.
  if (gap > retentionMs / 2) suspect = true;
}

/**
 * Compares the responses per survey in MongoDB with the copy and copies again each survey that
 * differs. The copy is counted before and after MongoDB is (its count is no snapshot while
 * answers arrive), and a survey counts as in step when MongoDB's count lies between the two.
 */
export async function checkCopy(): Promise<{ checked: number; rebuilt: string[] }> {
  const before = await copyCounts();
  const groups = await ResponseModel.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$surveySlug', n: { $sum: 1 } } }]);
  const after = await copyCounts();
  const stored = new Map(groups.map((g) => [String(g._id), Number(g.n)]));
  // Surveys without a response yet are in step too (nothing in either).
  const surveys = (await SurveyModel.find({}, { slug: 1 }).lean()).map((s) => String(s.slug));
  const differ: string[] = [];
  for (const slug of new Set([...surveys, ...stored.keys(), ...after.keys()])) {
    const n = stored.get(slug) ?? 0;
    const low = Math.min(before.get(slug) ?? 0, after.get(slug) ?? 0);
    const high = Math.max(before.get(slug) ?? 0, after.get(slug) ?? 0);
    if (n >= low && n <= high) markComplete(slug);
    else differ.push(slug);
  }
  suspect = false;
  setChecked(new Set([...surveys, ...stored.keys(), ...after.keys()]));
  if (differ.length) await rebuildCopy(differ, stored);
  return { checked: stored.size, rebuilt: differ };
}

export interface FollowOptions {
  pollMs: number;
  checkEveryMs: number;
  retentionMs: number;
  onError: (what: string, err: unknown) => void;
  onRebuilt: (slugs: string[]) => void;
}

/** Starts the first check (views show "catching up" meanwhile), reading the log, pruning it and the periodic check. Returns a stop function. */
export function startFollowing(opts: FollowOptions): () => void {
  retentionMs = opts.retentionMs;
  onError = opts.onError;
  setManaged(true);
  lastRead = Date.now();
  let stopped = false;
  let busy = false;
  let lastCheck = Date.now();
  const check = async (): Promise<void> => {
    lastCheck = Date.now();
    const { rebuilt } = await checkCopy();
    if (rebuilt.length) opts.onRebuilt(rebuilt);
  };
  const first = check().catch((err: unknown) => opts.onError('could not check the analytics copy', err));
  setChecking(first);
  // Then the filtered views' counter indexes, in the background (views use DuckDB until one is built).
  void first.finally(() => setChecking(null)).then(() => indexWholeCopies()).catch((err: unknown) => opts.onError('could not index the analytics copy', err));
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    void (async () => {
      try {
        await followChanges();
        if (Math.random() < opts.pollMs / 30_000) await AnalyticsChangeModel.collection.deleteMany({ at: { $lt: new Date(Date.now() - retentionMs) } });
        const due = Date.now() - lastCheck > (suspect ? Math.min(30_000, opts.checkEveryMs) : opts.checkEveryMs);
        if (due) await check();
      } catch (err) {
        opts.onError('could not follow the other instances', err);
      } finally {
        busy = false;
      }
    })();
  }, opts.pollMs);
  timer.unref();
  return () => {
    stopped = true;
    setManaged(false);
    clearInterval(timer);
  };
}
