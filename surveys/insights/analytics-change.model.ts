import mongoose, { Schema } from 'mongoose';

/**
 * How app instances tell each other what changed in the responses, for their analytical copies:
 * a small log, pruned after a few minutes. FerretDB has no change streams and reads any filter
 * by decoding the whole collection, so followers read this log whole (it stays small) instead
 * of asking the responses what is new. An added response travels in its entry (never contacts),
 * so a follower never reads the responses for it.
 */
const analyticsChangeSchema = new Schema(
  {
    at: { type: Date, required: true },
    /** The instance that wrote it (it applied the change itself already). */
    from: { type: String, required: true },
    kind: { type: String, enum: ['add', 'remove', 'resync'], required: true },
    slug: { type: String, required: true },
    docs: { type: [Schema.Types.Mixed], default: undefined },
    ids: { type: [String], default: undefined },
  },
  { versionKey: false },
);

export const AnalyticsChangeModel = mongoose.model('AnalyticsChange', analyticsChangeSchema, 'analytics_changes');
