import mongoose, { Schema } from 'mongoose';
import { RESPONSE_FIELDS } from './response.model.js';

/**
 * A submission kept apart as likely spam, in its own collection so tallies, the dashboard,
 * analytics and exports never see it. Staff review it: "not spam" moves it into `responses`.
 * Like a response, it holds no IP address, user agent or cookie.
 */
const spamResponseSchema = new Schema(
  {
    ...RESPONSE_FIELDS,
    spam: { reasons: { type: [String], default: [] } },
    /** Contact details the person agreed to leave; moved to `contacts` (unlinked) if released. */
    contact: { type: Schema.Types.Mixed },
  },
  { minimize: false, versionKey: false },
);
spamResponseSchema.index({ submissionId: 1 }, { unique: true });
spamResponseSchema.index({ surveySlug: 1, submittedAt: 1 });

export const SpamResponseModel = mongoose.model('SpamResponse', spamResponseSchema, 'spam_responses');
