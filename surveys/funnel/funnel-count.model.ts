import mongoose, { Schema } from 'mongoose';

/**
 * Anonymous counts of forms shown and sent: one document per flush of one app instance, per
 * survey, channel, day, kind and page, never updated. Nothing in it refers to a person or a
 * response (no id, address, cookie, time of day or answer), and insert-only documents cannot
 * lose a count to two instances incrementing at once (FerretDB may drop one of two concurrent
 * `$inc`s on the same document).
 */
const funnelCountSchema = new Schema(
  {
    survey: { type: String, required: true },
    channel: { type: String, required: true },
    /** The UTC day, `YYYY-MM-DD`, so the dashboard's date filter applies. */
    day: { type: String, required: true },
    kind: { type: String, required: true, enum: ['reached', 'sent'] },
    /** The page shown (1 = the form opened); 0 for `sent`. */
    page: { type: Number, required: true },
    n: { type: Number, required: true },
  },
  { versionKey: false },
);
funnelCountSchema.index({ survey: 1, day: 1 });

export const FunnelCountModel = mongoose.model('FunnelCount', funnelCountSchema, 'funnel_counts');
