import { CHANNELS } from './response.model.js';
import { SegmentTallyModel, segmentTallies, type SegmentTallyDoc } from './segment-tally.model.js';
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

/**
 * Adds counters to segments: one `$inc` update per segment, unordered. `updateMany` on an `_id`
 * for the reason given in tally.service.ts (FerretDB keeps an `updateOne` cursor open).
 */
export async function incrementSegments(slug: string, segments: Map<string, TallyMap>): Promise<void> {
  const ops = [...segments]
    .map(([segment, counters]) => {
      const inc: Record<string, number> = {};
      for (const [key, n] of counters) if (n !== 0) inc[`c.${counterField(key)}`] = n;
      return { segment, inc };
    })
    .filter(({ inc }) => Object.keys(inc).length > 0)
    .map(({ segment, inc }) => ({ updateMany: { filter: { _id: segmentId(slug, segment) }, update: { $inc: inc, $setOnInsert: { survey: slug, segment } }, upsert: true } }));
  if (ops.length) await segmentTallies().bulkWrite(ops, { ordered: false });
}

/** One segment's counters (empty when nobody in it has answered). */
export async function readSegment(slug: string, segment: string): Promise<TallyMap> {
  const doc = await segmentTallies().findOne({ _id: segmentId(slug, segment) }, { projection: { c: 1 } });
  const counters = doc?.c ?? {};
  return new Map(Object.entries(counters).map(([field, n]) => [counterKey(field), n]));
}

/**
 * Everyone counted in the channel segments. Each response is in exactly one channel, so this
 * equals the survey's total once the segments are complete: a survey counted before segments
 * existed (or whose segment write failed) shows up here as less.
 */
export async function segmentChannelTotal(slug: string): Promise<number> {
  const ids = CHANNELS.map((c) => segmentId(slug, SEGMENT.channel(c)));
  const docs = await segmentTallies().find({ _id: { $in: ids } }, { projection: { [`c.${counterField(TALLY.total)}`]: 1 } }).toArray();
  return docs.reduce((sum, d) => sum + Number(d.c?.[counterField(TALLY.total)] ?? 0), 0);
}

/** Replaces every segment of a survey (a rebuild, or counts made while bulk-loading). */
export async function replaceSegments(slug: string, segments: Map<string, TallyMap>): Promise<void> {
  await deleteSegments(slug);
  const docs = [...segments].map(([segment, counters]): SegmentTallyDoc => ({
    _id: segmentId(slug, segment),
    survey: slug,
    segment,
    c: Object.fromEntries([...counters].filter(([, n]) => n !== 0).map(([key, n]) => [counterField(key), n])),
  }));
  for (let i = 0; i < docs.length; i += 100) await segmentTallies().insertMany(docs.slice(i, i + 100), { ordered: false });
}

export async function deleteSegments(slug: string): Promise<void> {
  await SegmentTallyModel.deleteMany({ survey: slug });
}
