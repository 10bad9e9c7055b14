import mongoose, { Schema } from 'mongoose';

/**
 * One small key per stored submission: `<survey>|<submission id>|<answers fingerprint>` as its
 * `_id`, written once the submission is stored (as a response or held as likely spam). A resend
 * tries to write it again, and the unique `_id` index answers "already stored, with these very
 * answers" without reading the responses: the one check every server (FerretDB included, where
 * any read of a big collection is a scan) answers from an index. See submission-keys.ts.
 */
const submissionKeySchema = new Schema({ _id: { type: String, required: true } }, { versionKey: false });

export const SubmissionKeyModel = mongoose.model('SubmissionKey', submissionKeySchema, 'submission_keys');
