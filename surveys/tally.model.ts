import mongoose, { Schema } from 'mongoose';

/**
 * Per-survey counters kept up to date at submission with atomic `$inc` upserts, so the
 * unfiltered dashboard reads a few hundred small documents instead of every response.
 * `_id` is `<slug>|<key>`; keys are values, never field names, so user text in a key can
 * never become an operator or a path.
 */
const tallySchema = new Schema(
  {
    _id: { type: String, required: true },
    survey: { type: String, required: true },
    key: { type: String, required: true },
    n: { type: Number, required: true, default: 0 },
  },
  { versionKey: false },
);
tallySchema.index({ survey: 1 });

export const TallyModel = mongoose.model('Tally', tallySchema, 'tallies');
