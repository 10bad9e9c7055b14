import { talliesCollection, TallyModel, type TallyDoc } from './tally.model.js';
import { SEGMENT } from './tally-segments.js';
import { TALLY, type TallyMap } from './tally.js';

/** A counter key as a field name: `%`, `.`, `$` and NUL escaped (`%2E`), reversibly. */
export function counterField(key: string): string {
  // eslint-disable-next-line no-control-regex -- NUL cannot be in a field name
  return key.replace(/[%.$\u0000]/g, (ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

export function counterKey(field: string): string {
  return field.replace(/%(25|2E|24|00)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const segmentId = (slug: string, segment: string): string => `${slug}|${segment}`;
const TOTAL_FIELD = `c.${counterField(TALLY.total)}`;

/**
 * Adds counters to segments (everyone's is the segment `*`): one `$inc` update per segment,
 * unordered. `updateMany` on an `_id`, not `updateOne`: FerretDB 1.24 on SQLite keeps the read
 * cursor of every `updateOne` statement (and its pooled SQLite connection, 100 at most) open
 * until the whole command ends, so concurrent bulks could wait for each other forever (the
 * benchmark found it); a multi-update reads its cursor to the end. On MongoDB the two are the
 * same operation on the `_id` index.
 */
export async function incrementSegments(slug: string, segments: Map<string, TallyMap>): Promise<void> {
  const ops = [...segments]
    .map(([segment, counters]) => {
      const inc: Record<string, number> = {};
      for (const [key, n] of counters) if (n !== 0) inc[`c.${counterField(key)}`] = n;
      return { segment, inc };
    })
    .filter(({ inc }) => Object.keys(inc).length > 0)
    .map(({ segment, inc }) => ({ updateMany: { filter: { _id: segmentId(slug, segment) }, update: { $inc: inc, $setOnInsert: onInsert(slug, segment) }, upsert: true } }));
  if (ops.length) await talliesCollection().bulkWrite(ops, { ordered: false });
}

/**
 * A new document's fields. A survey whose everyone's document is created here has counted its
 * segments from its first answer (every answer goes to both), so it is marked as such.
 */
function onInsert(slug: string, segment: string): Partial<TallyDoc> {
  return segment === SEGMENT.everyone ? { survey: slug, segment, segmentsCounted: true } : { survey: slug, segment };
}

/** One segment's counters (empty when nobody in it has answered). */
export async function readSegment(slug: string, segment: string): Promise<TallyMap> {
  const doc = await talliesCollection().findOne({ _id: segmentId(slug, segment) }, { projection: { c: 1 } });
  return new Map(Object.entries(doc?.c ?? {}).map(([field, n]) => [counterKey(field), n]));
}

/** The counted totals of these surveys, in one read (0 for a survey nobody has answered). */
export async function countedTotals(slugs: readonly string[]): Promise<Map<string, number>> {
  const docs = await talliesCollection()
    .find({ _id: { $in: slugs.map((s) => segmentId(s, SEGMENT.everyone)) } }, { projection: { survey: 1, [TOTAL_FIELD]: 1 } })
    .toArray();
  const totals = new Map(slugs.map((s) => [s, 0]));
  for (const d of docs) totals.set(d.survey, Number(d.c?.[counterField(TALLY.total)] ?? 0));
  return totals;
}

/**
 * Whether a survey's segments hold everyone its counters hold, give or take answers still on
 * their way from an instance: true when its everyone's document carries the mark (see
 * `TallyDoc.segmentsCounted`) or it has none yet (nobody has answered). A survey counted before
 * segments existed lacks the mark until it is rebuilt.
 */
export async function segmentsCounted(slug: string): Promise<boolean> {
  const doc = await talliesCollection().findOne({ _id: segmentId(slug, SEGMENT.everyone) }, { projection: { segmentsCounted: 1 } });
  return !doc || doc.segmentsCounted === true;
}

/** Replaces every counter of a survey (a rebuild, or counts made while bulk-loading). */
export async function replaceSegments(slug: string, segments: Map<string, TallyMap>): Promise<void> {
  await deleteSegments(slug);
  const docs = [...segments].map(([segment, counters]): TallyDoc => ({
    _id: segmentId(slug, segment),
    survey: slug,
    segment,
    c: Object.fromEntries([...counters].filter(([, n]) => n !== 0).map(([key, n]) => [counterField(key), n])),
    ...(segment === SEGMENT.everyone ? { segmentsCounted: true } : {}),
  }));
  for (let i = 0; i < docs.length; i += 100) await talliesCollection().insertMany(docs.slice(i, i + 100), { ordered: false });
}

/** Deletes every counter of a survey (also any left in an earlier layout: they share `survey`). */
export async function deleteSegments(slug: string): Promise<void> {
  await TallyModel.deleteMany({ survey: slug });
}
