import mongoose, { Schema } from 'mongoose';

export const CHANNELS = ['web', 'kiosk', 'paper'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * One person's answers. Deliberately no IP address, user agent, cookie or account: only the
 * answers and how they reached us.
 */
const responseSchema = new Schema(
  {
    surveySlug: { type: String, required: true },
    surveyVersion: { type: Number, required: true },
    /** Generated into each form; a unique index makes retries and double taps store once. */
    submissionId: { type: String, required: true },
    /** Hash of the answers, to tell a harmless retry from a different submission reusing an id. */
    fingerprint: { type: String, required: true },
    answers: { type: Schema.Types.Mixed, default: {} },
    other: { type: Schema.Types.Mixed, default: {} },
    lang: { type: String, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    location: { type: String },
    /** Where the link came from, e.g. `flyer-school` from `?ch=flyer-school`. */
    tag: { type: String },
    /** Set on responses stored by a file import, so a failed import can remove exactly what it stored. */
    importBatch: { type: String },
    submittedAt: { type: Date, required: true },
  },
  { minimize: false, versionKey: false },
);
responseSchema.index({ submissionId: 1 }, { unique: true });
responseSchema.index({ surveySlug: 1, submittedAt: 1 });

export const ResponseModel = mongoose.model('Response', responseSchema, 'responses');
