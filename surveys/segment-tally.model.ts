import type { Collection } from 'mongodb';
import mongoose, { Schema } from 'mongoose';

/**
 * One document per survey segment (see tally-segments.ts) holding all its counters in `c`, so a
 * one-filter view reads one document. `_id` is `<slug>|<segment>`. Counter keys become field
 * names here, so they are escaped first (`counterField`): a key can never be a path or an operator.
 */
const segmentTallySchema = new Schema(
  {
    _id: { type: String, required: true },
    survey: { type: String, required: true },
    segment: { type: String, required: true },
    c: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
);
segmentTallySchema.index({ survey: 1 });

export const SegmentTallyModel = mongoose.model('SegmentTally', segmentTallySchema, 'segment_tallies');

export interface SegmentTallyDoc {
  _id: string;
  survey: string;
  segment: string;
  /** Escaped counter key → count. */
  c: Record<string, number>;
}

/** The driver's collection, for the bulk counter writes (no Mongoose casting on the hot path). */
export function segmentTallies(): Collection<SegmentTallyDoc> {
  return SegmentTallyModel.collection as unknown as Collection<SegmentTallyDoc>;
}
