import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongoose';
import { ConflictError } from '../server/errors.js';

const SUBMISSION_ID = /^[A-Za-z0-9_-]{16,64}$/;

export function newSubmissionId(): string {
  return randomUUID();
}

export function isSubmissionId(value: unknown): value is string {
  return typeof value === 'string' && SUBMISSION_ID.test(value);
}

/** What a duplicate check needs to tell a harmless retry from a reused id. */
export interface StoredSubmission {
  fingerprint?: string;
  surveySlug?: string;
  contact?: { email?: string; phone?: string };
}

const PROJECTION = { fingerprint: 1, surveySlug: 1, contact: 1 };

/**
 * The submission stored under this id in a collection whose `_id` is the submission id
 * (responses, likely spam), by primary key: the one filter FerretDB answers without reading the
 * whole collection. Through the raw collection, so the id is never cast to an ObjectId.
 */
export async function findById(collection: Collection, submissionId: string): Promise<StoredSubmission | null> {
  return (await collection.findOne({ _id: submissionId as never }, { projection: PROJECTION })) as StoredSubmission | null;
}

/**
 * `findById`, and for documents stored before the submission id became `_id` (they have an
 * ObjectId `_id`), the `submissionId` index. Only after a duplicate-key error, when the primary
 * key finds nothing: on FerretDB that second look-up reads the whole collection, so a resend of
 * an old submission costs what every resend used to, and a resend of a new one does not.
 */
export async function findAfterDuplicateKey(collection: Collection, submissionId: string): Promise<StoredSubmission | null> {
  return (await findById(collection, submissionId)) ?? ((await collection.findOne({ submissionId }, { projection: PROJECTION })) as StoredSubmission | null);
}

/** A retry (the same answers to the same survey) or another submission reusing the id. */
export function isSameSubmission(stored: StoredSubmission, fingerprint: string, surveySlug: string): boolean {
  return stored.fingerprint === fingerprint && stored.surveySlug === surveySlug;
}

/** The answer to a submission whose id is already stored: a retry is acknowledged, another submission reusing the id is refused (409). */
export function acknowledge(stored: StoredSubmission, fingerprint: string, surveySlug: string): { duplicate: true } {
  if (isSameSubmission(stored, fingerprint, surveySlug)) return { duplicate: true };
  throw new ConflictError('conflict');
}

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}
