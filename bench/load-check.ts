// After `npm run load`: what the database holds, compared with what the app acknowledged.
// Reads the submission ids of the survey's stored responses (and of those kept apart as likely
// spam) through a cursor, so duplicates are counted, not inferred from totals.
import type { Db } from 'mongodb';
import { SpamResponseModel } from '../surveys/spam.model.js';
import { waitForQuiet } from './submission.js';

export interface DbCheck {
  /** Seconds waited for the app's writes behind the answers (counters) to settle. */
  quietAfterS: number;
  /** countDocuments of the survey's responses. */
  stored: number;
  /** Responses read through the cursor, their distinct submission ids, and the difference (the same id stored more than once). */
  read: number;
  distinct: number;
  duplicates: number;
  /** Up to 20 of the ids stored more than once, with how often. */
  duplicateIds: [string, number][];
  /** Stored responses that carry no submission id at all. */
  withoutId: number;
  /** Acknowledged by the app, and found neither among the responses nor kept apart as spam. */
  acknowledgedMissing: number;
  missingIds: string[];
  /** Responses of this run's ids that the app never acknowledged (a post cut off by a timeout may still land). */
  storedNeverAcknowledged: number;
  /** Responses of ids this run never sent (there before, or from someone else: only with --url). */
  storedFromElsewhere: number;
  /** This run's ids kept apart as likely spam (the sender saw the normal answer). */
  heldAsSpam: number;
  readMs: number;
}

/** The id of a stored response, whichever way it is stored: a `submissionId` field, or the id as `_id`. */
function idOf(doc: { _id?: unknown; submissionId?: unknown }): string | null {
  if (typeof doc.submissionId === 'string') return doc.submissionId;
  return typeof doc._id === 'string' ? doc._id : null;
}

async function readIds(db: Db, collection: string, slug: string): Promise<{ counts: Map<string, number>; read: number; withoutId: number }> {
  const counts = new Map<string, number>();
  let read = 0;
  let withoutId = 0;
  const cursor = db.collection<{ _id: unknown; submissionId?: unknown }>(collection).find({ surveySlug: slug }, { projection: { _id: 1, submissionId: 1 }, batchSize: 5000 });
  for await (const doc of cursor) {
    read++;
    const id = idOf(doc);
    if (id === null) withoutId++;
    else counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return { counts, read, withoutId };
}

export async function checkDatabase(db: Db, slug: string, sent: ReadonlySet<string>, acknowledged: ReadonlySet<string>): Promise<DbCheck> {
  const quietAfterS = await waitForQuiet(db);
  const started = Date.now();
  const stored = await db.collection('responses').countDocuments({ surveySlug: slug });
  const responses = await readIds(db, 'responses', slug);
  const spam = await readIds(db, SpamResponseModel.collection.collectionName, slug);
  const readMs = Date.now() - started;
  const twice = [...responses.counts].filter(([, n]) => n > 1);
  const missingIds = [...acknowledged].filter((id) => !responses.counts.has(id) && !spam.counts.has(id));
  let storedNeverAcknowledged = 0;
  let storedFromElsewhere = 0;
  for (const id of responses.counts.keys()) {
    if (!sent.has(id)) storedFromElsewhere++;
    else if (!acknowledged.has(id)) storedNeverAcknowledged++;
  }
  return {
    quietAfterS,
    stored,
    read: responses.read,
    distinct: responses.counts.size,
    duplicates: responses.read - responses.withoutId - responses.counts.size,
    duplicateIds: twice.slice(0, 20),
    withoutId: responses.withoutId,
    acknowledgedMissing: missingIds.length,
    missingIds: missingIds.slice(0, 20),
    storedNeverAcknowledged,
    storedFromElsewhere,
    heldAsSpam: [...spam.counts.keys()].filter((id) => sent.has(id)).length,
    readMs,
  };
}
