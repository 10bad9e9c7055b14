import type { SurveyDefinition } from './definition.schema.js';
import { ResponseModel } from './response.model.js';
import { getSurveyVersion } from './survey.service.js';
import { countedTotals, deleteSegments, incrementSegments, readSegment, replaceSegments, segmentsCounted } from './segment-tally.service.js';
import type { TallyMap, TallySource } from './tally.js';
import { addCounters, countResponse, mergeSegments, newCounts, SEGMENT, type SurveyCounts } from './tally-segments.js';
import { WriteBehind } from './write-behind.js';

/**
 * Adds stored responses' counts to the survey's counters, behind the answer: everyone's counters
 * within a few seconds, each segment's (see tally-segments.ts) within half a minute while answers
 * keep coming. Readers in this process wait for both (`talliesSettled`); a failed write marks the
 * survey for a rebuild (the caller's rejection handler).
 *
 * On FerretDB 1.24 (SQLite) each update statement costs ~20–40 ms however few fields it changes,
 * so what a write costs is the number of documents it touches: everyone's counters are one
 * document, the segments ~100 (one per segment). Merging answers (a group commit) and pausing
 * while busy keep that a bounded share of the database's time however many answers arrive;
 * segments pause longer because only one-filter views read them. One write at a time per survey and kind
 * in this process: FerretDB can lose one of two concurrent `$inc`s on the same counter (MongoDB
 * cannot); the reconciler covers other instances.
 */
export function applyTallies(slug: string, counts: SurveyCounts): Promise<void> {
  if (counts.all.size === 0 && counts.segments.size === 0) return Promise.resolve();
  applied.set(slug, (applied.get(slug) ?? 0) + 1);
  return Promise.all([everyone.add(slug, counts.all), segments.add(slug, counts.segments)]).then(() => undefined);
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

/** Everyone's counters: one `$inc` of a few hundred fields in one document (the segment `*`). */
function writeEveryone(slug: string, counters: TallyMap): Promise<void> {
  return incrementSegments(slug, new Map([[SEGMENT.everyone, counters]]));
}

const everyone = new WriteBehind<TallyMap>({ empty: () => new Map(), merge: addCounters, write: writeEveryone, busyPauseMs: 2000 });

const segments = new WriteBehind<Map<string, TallyMap>>({
  empty: () => new Map(),
  merge: mergeSegments,
  write: incrementSegments,
  busyPauseMs: 30000,
  onFailure: (slug) => {
    segmentsComplete.delete(slug);
    segmentsBroken.add(slug);
  },
});

/**
 * Resolves when every counter handed to `applyTallies` so far (for one survey, or all) has been
 * written or has failed. Readers call it first, so this instance always reads its own writes.
 */
export async function talliesSettled(slug?: string): Promise<void> {
  await Promise.all([everyone.settled(slug), segments.settled(slug)]);
}

/** The live counters of a survey (after this instance's own pending counts are written). */
export async function readTallies(slug: string): Promise<TallyMap> {
  await talliesSettled(slug);
  return readSegment(slug, SEGMENT.everyone);
}

/** How many responses a survey's counters hold (not waiting for this instance's pending counts). */
export async function countedTotal(slug: string): Promise<number> {
  return (await countedTotals([slug])).get(slug) ?? 0;
}

/** Surveys whose segments this instance has found complete (they stay so until a write fails). */
const segmentsComplete = new Set<string>();
/** Surveys with a failed segment write in this instance: their segments miss answers until rebuilt. */
const segmentsBroken = new Set<string>();

/**
 * Whether a survey's segment counters are complete: counted along with everyone's since its first
 * answer or its last rebuild (a mark on everyone's document, the same for every instance), and
 * none of this instance's segment writes has failed since. Segments of answers another instance
 * has counted but not written yet arrive within its write pause (30 s at most while busy). A
 * survey counted before segments existed, or after a failed segment write, is rebuilt by the
 * reconciler (see reconcile.service.ts); until then one-filter views count the responses.
 */
export async function segmentsCover(slug: string): Promise<boolean> {
  return !segmentsBroken.has(slug) && (await segmentsCounted(slug));
}

/**
 * One segment's live counters (after this instance's own pending counts are written), or null
 * when the survey's segments are not complete: the caller then counts the matching responses.
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
  await replaceSegments(slug, new Map([[SEGMENT.everyone, counts.all], ...counts.segments]));
  segmentsBroken.delete(slug);
}

/** Forgets a survey's counters (the survey is deleted). */
export async function deleteTallies(slug: string): Promise<void> {
  await talliesSettled(slug);
  segmentsComplete.delete(slug);
  segmentsBroken.delete(slug);
  await deleteSegments(slug);
}
