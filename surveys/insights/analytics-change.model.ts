import mongoose, { Schema } from 'mongoose';

/**
 * How app instances tell each other what changed in the responses, for their analytical copies:
 * a log pruned after a few minutes. Each instance numbers its own entries (`_id`
 * `<instance>|<sequence>`), so a follower reads exactly the entries it has not seen, each by
 * `_id` equality: the one filter FerretDB answers without decoding the whole collection (it has
 * no change streams; reading the whole log every second decoded minutes of responses under
 * load). An added response travels in its entry (never contacts), so a follower never reads the
 * responses for it.
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

/**
 * The instances writing to the log: each one's oldest entry still kept (a follower that meets a
 * new instance starts there) and when it last said so. Read whole by followers (a few documents).
 */
const analyticsInstanceSchema = new Schema(
  {
    _id: { type: String, required: true },
    oldest: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export const AnalyticsInstanceModel = mongoose.model('AnalyticsInstance', analyticsInstanceSchema, 'analytics_instances');
