import mongoose, { Schema } from 'mongoose';
import type { AnswerValue } from './answers.js';

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

/** A new response as a submission builds it: every field the schema requires, checked and typed. */
export interface NewResponse {
  surveySlug: string;
  surveyVersion: number;
  submissionId: string;
  fingerprint: string;
  answers: Record<string, AnswerValue>;
  other: Record<string, string>;
  lang: string;
  channel: Channel;
  location?: string;
  tag?: string;
  submittedAt: Date;
}

/**
 * Stores a new response: the same document `ResponseModel.create` stores (fields in schema order,
 * then a new ObjectId `_id`, as Mongoose sends them), without building, casting and validating a
 * Mongoose document for values that are already checked and typed. That document was about an
 * eighth of the app's CPU per answer in `npm run bench`. It goes through the model's collection,
 * so while the database is away the insert waits and times out as the model's would, and a
 * reused submission id fails with the same duplicate-key error (11000).
 */
export async function insertResponse(r: NewResponse): Promise<void> {
  await ResponseModel.collection.insertOne({
    surveySlug: r.surveySlug,
    surveyVersion: r.surveyVersion,
    submissionId: r.submissionId,
    fingerprint: r.fingerprint,
    answers: r.answers,
    other: r.other,
    lang: r.lang,
    channel: r.channel,
    ...(r.location !== undefined ? { location: r.location } : {}),
    ...(r.tag !== undefined ? { tag: r.tag } : {}),
    submittedAt: r.submittedAt,
    _id: new mongoose.Types.ObjectId(),
  });
}
