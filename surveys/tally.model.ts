import type { Collection } from 'mongodb';
import mongoose, { Schema } from 'mongoose';

/**
 * A survey's counters, one document per segment (see tally-segments.ts): everyone's under the
 * segment `*`, then each language, channel, location and answer value. `_id` is
 * `<slug>|<segment>`; `c` holds counter key → count. One document per segment because on
 * FerretDB 1.24 (SQLite) every update statement costs ~20–40 ms however many fields it
 * changes: a write of everyone's counters is one statement, and the dashboard reads one
 * document. Counter keys become field names here, so they are escaped first (`counterField`):
 * user text in a key (a location's name) can never be a path or an operator.
 */
const tallySchema = new Schema(
  {
    _id: { type: String, required: true },
    survey: { type: String, required: true },
    segment: { type: String, required: true },
    c: { type: Schema.Types.Mixed, default: {} },
    segmentsCounted: { type: Boolean },
  },
  { versionKey: false, minimize: false },
);
tallySchema.index({ survey: 1 });

export const TallyModel = mongoose.model('Tally', tallySchema, 'tallies');

export interface TallyDoc {
  _id: string;
  survey: string;
  segment: string;
  /** Escaped counter key → count. */
  c: Record<string, number>;
  /**
   * On everyone's document only: the segments have been counted along with everyone since the
   * survey's first answer or its last rebuild, so a one-filter view can read its segment.
   */
  segmentsCounted?: boolean;
}

/** The driver's collection, for the counter writes (no Mongoose casting on the hot path). */
export function talliesCollection(): Collection<TallyDoc> {
  return TallyModel.collection as unknown as Collection<TallyDoc>;
}
