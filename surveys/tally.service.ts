import type { SurveyDefinition } from './definition.schema.js';
import { ResponseModel } from './response.model.js';
import { getSurveyVersion } from './survey.service.js';
import { deleteSegments, incrementSegments, readSegment, replaceSegments, segmentChannelTotal } from './segment-tally.service.js';
import { TallyModel } from './tally.model.js';
import { TALLY, type TallyMap, type TallySource } from './tally.js';
import { countResponse, mergeCounts, newCounts, type SurveyCounts } from './tally-segments.js';

/**
 * Adds stored responses' counts (everyone's and each segment's, see tally-segments.ts) to the
 * survey's counters: one unordered bulk of `$inc` upserts, then one update per segment touched.
 *
 * `updateMany`, although each filter matches at most one document by `_id`: FerretDB 1.24 on
 * SQLite keeps the read cursor of every `updateOne` statement (and its pooled SQLite connection,
 * 100 at most) open until the whole command ends, so a bulk of ~40 tally upserts holds ~40
 * connections. Three concurrent submissions, or one import touching over 100 existing
 * counters, then wait for each other forever and the whole database hangs (`npm run bench`
 * found it). A multi-update reads its cursor to the end, which releases the connection at once.
 * On MongoDB the two are the same operation on the `_id` index.
 */
export function applyTallies(slug: string, counts: SurveyCounts): Promise<void> {
  if (counts.all.size === 0 && counts.segments.size === 0) return Promise.resolve();
  applied.set(slug, (applied.get(slug) ?? 0) + 1);
  // One counter bulk at a time per survey in this process: FerretDB on SQLite can lose one of two
  // concurrent `$inc`s on the same counter (MongoDB cannot). The reconciler covers other instances.
  // Submissions that arrive while a bulk is being written are merged into the next one (a group
  // commit): a burst of 50 answers costs one bulk of the counters they touch, not 50 bulks of ~40.
  let queue = queues.get(slug);
  if (!queue) {
    queue = {};
    queues.set(slug, queue);
  }
  const batch = (queue.next ??= newBatch());
  mergeCounts(batch.counts, counts);
  if (!queue.flight && !queue.timer) startNext(slug, queue);
  return batch.done;
}

const applied = new Map<string, number>();

/**
 * How many counter updates this instance has taken for a survey so far. A rebuild that saw this
 * change while it ran may have missed or deleted some of them (it reads the responses, then
 * replaces the counters), so the reconciler rebuilds again once it is quiet.
 */
export function tallyUpdatesTaken(slug: string): number {
  return applied.get(slug) ?? 0;
}

interface Batch {
  counts: SurveyCounts;
  done: Promise<void>;
  settle: (err?: unknown) => void;
}

interface Queue {
  /** The bulk being written. */
  flight?: Promise<void>;
  /** The pause before the next bulk while answers keep coming. */
  timer?: NodeJS.Timeout;
  /** Counters waiting for it. */
  next?: Batch;
}

const queues = new Map<string, Queue>();

function newBatch(): Batch {
  let settle: Batch['settle'] = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (err) => (err === undefined ? resolve() : reject(err));
  });
  return { counts: newCounts(), done, settle };
}

function startNext(slug: string, queue: Queue): void {
  const batch = queue.next;
  if (!batch) {
    queues.delete(slug);
    return;
  }
  queue.next = undefined;
  queue.flight = writeTallies(slug, batch.counts)
    .then(
      () => batch.settle(),
      (err: unknown) => {
        segmentsComplete.delete(slug);
        batch.settle(err ?? new Error('tally write failed'));
      },
    )
    .finally(() => {
      queue.flight = undefined;
      if (!queue.next) return startNext(slug, queue);
      // Busy: let answers gather for a moment, so the counters (a few hundred upserts however
      // many answers they hold) take a small share of the database's time. Readers and shutdown
      // do not wait for the pause (talliesSettled starts the bulk at once).
      queue.timer = setTimeout(() => {
        queue.timer = undefined;
        startNext(slug, queue);
      }, BUSY_PAUSE_MS);
      queue.timer.unref();
    });
}

/** See startNext. At 50 answers a second the counters lag by about this much plus one bulk. */
const BUSY_PAUSE_MS = 2000;

/** Starts a paused survey's next bulk now. */
function hurry(queue: Queue, slug: string): void {
  if (!queue.timer) return;
  clearTimeout(queue.timer);
  queue.timer = undefined;
  startNext(slug, queue);
}

/**
 * Resolves when every counter handed to `applyTallies` so far (for one survey, or all) has been
 * written or has failed. Readers call it first, so this instance always reads its own writes.
 */
export async function talliesSettled(slug?: string): Promise<void> {
  const pending = (): Queue[] => (slug === undefined ? [...queues.values()] : [queues.get(slug)].filter((q): q is Queue => q !== undefined));
  for (let round = 0; round < 1000; round++) {
    for (const [s, q] of queues) if (slug === undefined || s === slug) hurry(q, s);
    const waiting = pending().flatMap((q) => [q.flight, q.next?.done]).filter(Boolean);
    if (!waiting.length) return;
    await Promise.allSettled(waiting);
  }
}

/**
 * Segments first, then everyone's: at any moment the segments hold at least what the survey's
 * total says, which is how `readSegmentTallies` tells complete segments from missing ones.
 */
async function writeTallies(slug: string, counts: SurveyCounts): Promise<void> {
  await incrementSegments(slug, counts.segments);
  const counted = [...counts.all].filter(([, n]) => n !== 0);
  if (!counted.length) return;
  await TallyModel.bulkWrite(
    counted.map(([key, n]) => ({
      updateMany: { filter: { _id: `${slug}|${key}` }, update: { $inc: { n }, $setOnInsert: { survey: slug, key } }, upsert: true },
    })),
    { ordered: false },
  );
}

/** The live counters of a survey (after this instance's own pending counts are written). */
export async function readTallies(slug: string): Promise<TallyMap> {
  await talliesSettled(slug);
  const docs = await TallyModel.find({ survey: slug }, { key: 1, n: 1 }).lean();
  return new Map(docs.map((d) => [d.key, d.n]));
}

const segmentsComplete = new Set<string>();

/**
 * Whether a survey's segment counters hold everyone its total counts. Segments are written
 * before the total (see writeTallies), so the total is read first: complete segments then always
 * hold at least as many. A survey counted before segments existed, or whose rebuild is under
 * way, has fewer; the reconciler rebuilds the first kind (see reconcile.service.ts).
 */
export async function segmentsCover(slug: string): Promise<boolean> {
  const total = await TallyModel.findById(`${slug}|${TALLY.total}`, { n: 1 }).lean();
  return (await segmentChannelTotal(slug)) >= (total?.n ?? 0);
}

/**
 * One segment's live counters (after this instance's own pending counts are written), or null
 * when the survey's segments are not complete: the caller then counts the matching responses.
 * Once complete, a survey stays so in this instance until one of its counter writes fails.
 */
export async function readSegmentTallies(slug: string, segment: string): Promise<TallyMap | null> {
  await talliesSettled(slug);
  if (!segmentsComplete.has(slug)) {
    if (!(await segmentsCover(slug))) return null;
    segmentsComplete.add(slug);
  }
  return readSegment(slug, segment);
}

/**
 * Recomputes the counters from the raw responses (each with the definition version it
 * answered) and replaces the stored ones. Used by `npm run tallies:rebuild` and reconciliation.
 */
export async function rebuildTallies(slug: string, current: SurveyDefinition): Promise<SurveyCounts> {
  const totals = newCounts();
  const versions = new Map<number, SurveyDefinition>();
  const cursor = ResponseModel.find({ surveySlug: slug }, { answers: 1, lang: 1, channel: 1, location: 1, submittedAt: 1, surveyVersion: 1 }).lean().cursor({ batchSize: 1000 });
  for await (const doc of cursor) {
    let def = versions.get(doc.surveyVersion);
    if (!def) {
      def = (await getSurveyVersion(slug, doc.surveyVersion)) ?? current;
      versions.set(doc.surveyVersion, def);
    }
    countResponse(def, doc as unknown as TallySource, totals);
  }
  await replaceTallies(slug, totals);
  return totals;
}

/** Replaces a survey's stored counters with these (a rebuild, or counts made while bulk-loading). */
export async function replaceTallies(slug: string, counts: SurveyCounts): Promise<void> {
  await talliesSettled(slug);
  segmentsComplete.delete(slug);
  await TallyModel.deleteMany({ survey: slug });
  const docs = [...counts.all].filter(([, n]) => n !== 0).map(([key, n]) => ({ _id: `${slug}|${key}`, survey: slug, key, n }));
  for (let i = 0; i < docs.length; i += 1000) await TallyModel.insertMany(docs.slice(i, i + 1000), { ordered: false });
  await replaceSegments(slug, counts.segments);
}

/** Forgets a survey's counters (the survey is deleted). */
export async function deleteTallies(slug: string): Promise<void> {
  await talliesSettled(slug);
  segmentsComplete.delete(slug);
  await TallyModel.deleteMany({ survey: slug });
  await deleteSegments(slug);
}
