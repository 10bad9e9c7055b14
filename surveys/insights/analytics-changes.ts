import { randomUUID } from 'node:crypto';
import { ResponseModel } from '../response.model.js';
import { SurveyModel } from '../survey.model.js';
import { AnalyticsChangeModel, AnalyticsInstanceModel } from './analytics-change.model.js';
import { addToCopy, copyCounts, forAnalytics, indexWholeCopies, markComplete, markIncomplete, rebuildCopy, removeFromCopy, setChecked, setChecking, setManaged } from './analytics-copy.js';

/**
 * Keeps every instance's analytical copy in step with MongoDB: each write path tells its own
 * copy at once and the others through the change log (analytics-change.model.ts); each instance
 * reads the log every second; a periodic check compares counts per survey with MongoDB and
 * copies again any survey that differs (a write whose outcome was unknown, a log entry pruned
 * before an instance read it, a restore, a change made outside the app).
 */
const me = randomUUID();
let retentionMs = 5 * 60_000;
let lastRead = Date.now();
let onError: (what: string, err: unknown) => void = () => undefined;
/** Set when a change could not be logged or may have been missed: the next check comes sooner. */
let suspect = false;

const entryId = (instance: string, seq: number): string => `${instance}|${String(seq).padStart(12, '0')}`;

/** This instance's next entry number, and the entries it wrote (number, time) until they are pruned. */
let nextSeq = 0;
const written: { seq: number; at: number }[] = [];
/** Entries are written one at a time, so numbers are never skipped (a failed write's number is used again). */
let writing: Promise<void> = Promise.resolve();

function logChange(change: { kind: 'add' | 'remove' | 'resync'; slug: string; docs?: Record<string, unknown>[]; ids?: string[] }): Promise<void> {
  const write = async (): Promise<void> => {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await AnalyticsChangeModel.collection.insertOne({ _id: entryId(me, nextSeq) as never, ...change, at: new Date(), from: me });
        written.push({ seq: nextSeq, at: Date.now() });
        nextSeq += 1;
        return;
      } catch (err) {
        // The number is taken: an earlier write whose answer was lost did store it. Move on.
        if ((err as { code?: number }).code === 11000) {
          nextSeq += 1;
          continue;
        }
        suspect = true;
        onError('could not log a change for the other instances', err);
        return;
      }
    }
  };
  const p = writing.then(write, write);
  writing = p.catch(() => undefined);
  return p;
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

/** Where this instance has read each other instance's entries up to (the next number to read). */
const reading = new Map<string, number>();

/**
 * Reads the entries other instances wrote since the last read, each by `_id`, and applies them;
 * then prunes this instance's own old entries and says which is its oldest kept.
 */
export async function followChanges(): Promise<void> {
  const gap = Date.now() - lastRead;
  lastRead = Date.now();
  const instances = await AnalyticsInstanceModel.collection.find({}).toArray();
  for (const inst of instances) {
    const id = String(inst._id);
    if (id === me) continue;
    const oldest = Number(inst.oldest);
    let next = reading.get(id) ?? oldest;
    // Behind the entries it still keeps: some were pruned unread.
    if (next < oldest) {
      suspect = true;
      next = oldest;
    }
    for (;;) {
      const e = await AnalyticsChangeModel.collection.findOne({ _id: entryId(id, next) as never });
      if (!e) break;
      // Moved past only once applied: an entry that failed is tried again at the next read.
      if (e.kind === 'add') await addToCopy(((e.docs ?? []) as Record<string, unknown>[]).map(forAnalytics));
      else if (e.kind === 'remove') await removeFromCopy(String(e.slug), (e.ids ?? []) as string[]);
      else if (e.kind === 'resync') void markIncomplete(String(e.slug)).catch((err: unknown) => onError('could not copy a survey again', err));
      next += 1;
      reading.set(id, next);
    }
    reading.set(id, next);
    // An instance silent for twice the retention is gone (its entries are pruned by then too).
    if (Date.now() - new Date(inst.at as Date).getTime() > 2 * retentionMs) {
      await AnalyticsInstanceModel.collection.deleteOne({ _id: id as never });
      reading.delete(id);
    }
  }
  await pruneOwn();
  // Away longer than the log keeps entries: some may be gone unread.
  if (gap > retentionMs / 2) suspect = true;
}

/** Deletes this instance's entries older than the retention (each by `_id`) and records its oldest kept entry. */
async function pruneOwn(): Promise<void> {
  await writing;
  while (written.length && Date.now() - written[0]!.at > retentionMs) {
    await AnalyticsChangeModel.collection.deleteOne({ _id: entryId(me, written[0]!.seq) as never });
    written.shift();
  }
  await AnalyticsInstanceModel.collection.updateOne({ _id: me as never }, { $set: { oldest: written[0]?.seq ?? nextSeq, at: new Date() } }, { upsert: true });
}

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
    // Entries of instances that stopped without pruning their own (a crash): with the check, not
    // every second (a filter on anything but _id decodes the whole log on FerretDB).
    await AnalyticsChangeModel.collection.deleteMany({ at: { $lt: new Date(Date.now() - 2 * retentionMs) } });
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
