import mongoose, { Schema } from 'mongoose';
import type { AnswerValue } from './answers.js';
import { groupInsert } from './group-insert.js';

export const CHANNELS = ['web', 'kiosk', 'paper'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The fields of one person's answers, shared by a response and a submission kept apart as likely
 * spam (spam.model.ts). Deliberately no IP address, user agent, cookie or account: only the
 * answers and how they reached us.
 */
export const RESPONSE_FIELDS = {
  /**
   * The submission id itself (a string), so finding a submission by its id is a primary-key read
   * on every server: FerretDB on SQLite pushes down only an equality on `_id` and scans the whole
   * collection for any other filter (1.1-1.4 s per look-up at 17,000 responses). Documents stored
   * before this have an ObjectId `_id`; they are still found by `submissionId` (see
   * submission-lookup.ts). Look `_id` up through the raw collection: this schema would cast an
   * ObjectId filter to a string. `create` fills it in; the raw inserts set it themselves.
   */
  _id: {
    type: String,
    default(this: { submissionId?: string }) {
      return this.submissionId;
    },
  },
  surveySlug: { type: String, required: true },
  surveyVersion: { type: Number, required: true },
  /** Generated into each form; also `_id`. The unique index stays for documents stored before that. */
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
  submittedAt: { type: Date, required: true },
} as const;

const responseSchema = new Schema(
  {
    ...RESPONSE_FIELDS,
    /** Set on responses stored by a file import, so a failed import can remove exactly what it stored. */
    importBatch: { type: String },
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

/** The document `ResponseModel.create` would store: fields in schema order, then `_id` (the submission id, as its default puts it last). */
function responseDocument(r: NewResponse): Record<string, unknown> {
  return {
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
    _id: r.submissionId,
  };
}

/** Told of every group of responses `insertResponse` stored (the analytical copy follows them). */
type StoredListener = (docs: Record<string, unknown>[]) => void;
let storedListener: StoredListener | undefined;
export function onResponsesStored(listener: StoredListener | undefined): void {
  storedListener = listener;
}

const insertGrouped = groupInsert(() => ResponseModel.collection, { onStored: (docs) => storedListener?.(docs) });

/**
 * Stores a new response, resolving once it is stored: the same document `ResponseModel.create`
 * stores, without building, casting and validating a Mongoose document for values that are
 * already checked and typed (that was about an eighth of the app's CPU per answer in
 * `npm run bench`). Responses arriving together are stored by one insert (`groupInsert`).
 */
export function insertResponse(r: NewResponse): Promise<void> {
  return insertGrouped(responseDocument(r));
}
