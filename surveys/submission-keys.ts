import { groupInsert } from './group-insert.js';
import { SubmissionKeyModel } from './submission-key.model.js';
import { isDuplicateKey } from './submission-id.js';

function keyOf(surveySlug: string, submissionId: string, fingerprint: string): string {
  return `${surveySlug}|${submissionId}|${fingerprint}`;
}

const insertKey = groupInsert(() => SubmissionKeyModel.collection);

/**
 * Records that this submission (survey, id, answers) is stored. Returns false when it already
 * was: a resend of a stored submission, known from the unique index alone (an insert that fails
 * on a duplicate key costs the same at 1,000 or 1,000,000 responses, on MongoDB and FerretDB).
 * Written only after the submission itself, so a key never stands for something not stored.
 * Keys written together go in one insert (`groupInsert`).
 */
export async function recordStored(surveySlug: string, submissionId: string, fingerprint: string): Promise<boolean> {
  try {
    await insertKey({ _id: keyOf(surveySlug, submissionId, fingerprint) });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Takes back a key written while checking a resend that turned out to carry other answers (rare: a reused id). */
export async function forgetStored(surveySlug: string, submissionId: string, fingerprint: string): Promise<void> {
  await SubmissionKeyModel.collection.deleteOne({ _id: keyOf(surveySlug, submissionId, fingerprint) as never });
}
