import mongoose from 'mongoose';
import { ConflictError, NotFoundError } from '../server/errors.js';
import type { AnswerValue } from './answers.js';
import { fileContact } from './contact.service.js';
import { ResponseModel, type NewResponse } from './response.model.js';
import { SpamResponseModel } from './spam.model.js';
import { acknowledge, findAfterDuplicateKey, isDuplicateKey, isSubmissionId } from './submission-id.js';
import { recordStored } from './submission-keys.js';
import { responsesStored } from './insights/analytics-changes.js';
import { findSurvey } from './survey.service.js';

/** A submission kept apart: the response it would have been, why, and any contact details left with it. */
export interface SpamRecord extends NewResponse {
  reasons: string[];
  contact?: { email?: string; phone?: string };
}

/**
 * Keeps a likely-spam submission apart (not counted). One submission id lives in one place, and
 * nothing here reads the responses (a scan on FerretDB at any size): after the held copy is
 * stored, its key (submission-keys.ts) is written. A key already there means the same answers
 * are stored (as a response, or held and released): the held copy is removed, its contact filed
 * as "not spam" would, and the resend acknowledged. The response path writes its key after its
 * own insert and looks at the held list again when the key was already there, so of a
 * concurrent pair exactly one copy stays, the response. A resend of a held submission is
 * acknowledged from the held list (small, read by `_id`); other answers under its id get 409.
 */
export async function storeSpam(record: SpamRecord, contactKey: string): Promise<{ duplicate: boolean }> {
  const { reasons, ...rest } = record;
  const { submissionId, fingerprint, surveySlug } = record;
  try {
    await SpamResponseModel.create({ ...rest, spam: { reasons } });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const held = await findAfterDuplicateKey(SpamResponseModel.collection, submissionId);
    if (held) return acknowledge(held, fingerprint, surveySlug);
    throw new ConflictError('conflict');
  }
  if (await recordStored(surveySlug, submissionId, fingerprint)) return { duplicate: false };
  if (record.contact) await fileContact({ key: contactKey, submissionId, surveySlug, contact: record.contact, lang: record.lang, at: record.submittedAt });
  await SpamResponseModel.collection.deleteOne({ _id: submissionId as never });
  return { duplicate: true };
}

export interface SpamItem {
  id: string;
  submittedAt: Date;
  reasons: string[];
  lang: string;
  channel: string;
  location: string;
  answers: Record<string, AnswerValue>;
  other: Record<string, string>;
  hasContact: boolean;
}

/** How many submissions wait for review in each of these surveys (surveys with none are left out). */
export async function spamCounts(slugs: string[]): Promise<Map<string, number>> {
  if (!slugs.length) return new Map();
  const groups = await SpamResponseModel.aggregate<{ _id: string; n: number }>([{ $match: { surveySlug: { $in: slugs } } }, { $group: { _id: '$surveySlug', n: { $sum: 1 } } }]);
  return new Map(groups.map((g) => [g._id, g.n]));
}

/** The submissions kept apart for a survey, newest first (at most `limit`). */
export async function listSpam(slug: string, limit = 200): Promise<{ total: number; items: SpamItem[] }> {
  const [total, docs] = await Promise.all([
    SpamResponseModel.countDocuments({ surveySlug: slug }),
    SpamResponseModel.find({ surveySlug: slug }).sort({ submittedAt: -1 }).limit(limit).lean(),
  ]);
  return {
    total,
    items: docs.map((d) => ({
      id: String(d._id),
      submittedAt: d.submittedAt,
      reasons: d.spam?.reasons ?? [],
      lang: d.lang,
      channel: d.channel,
      location: d.location ?? '',
      answers: (d.answers ?? {}) as Record<string, AnswerValue>,
      other: (d.other ?? {}) as Record<string, string>,
      hasContact: Boolean(d.contact),
    })),
  };
}

const OBJECT_ID = /^[0-9a-f]{24}$/;

/**
 * A held submission by the id in its review links: its submission id (`_id` since ids became
 * the key) or, for one held before that, its ObjectId. The id only ever reaches the database as
 * a string or an ObjectId built from 24 hex digits, never as an object.
 */
async function findSpam(slug: string, id: string) {
  const byKey = isSubmissionId(id) ? await SpamResponseModel.collection.findOne({ _id: id as never }) : null;
  const doc = byKey ?? (OBJECT_ID.test(id) ? await SpamResponseModel.collection.findOne({ _id: new mongoose.Types.ObjectId(id) as never }) : null);
  if (!doc || doc.surveySlug !== slug) throw new NotFoundError('notFound');
  return doc;
}

/**
 * "Not spam": moves the submission into the responses (and the analytical copies), like any submission.
 * Inserted before it is removed from the spam list, so a failure in between can only leave a
 * copy to delete, never lose the response; doing it again completes what a failed attempt left
 * undone (the contact, the removal) without storing or filing anything twice.
 */
export async function releaseSpam(slug: string, id: string, contactKey: string): Promise<void> {
  const doc = await findSpam(slug, id);
  const survey = await findSurvey(slug);
  if (!survey) throw new NotFoundError('surveyNotFound');
  const { _id, spam, contact, ...rest } = doc;
  void spam;
  const response = rest as unknown as NewResponse;
  try {
    await ResponseModel.create(response);
    await responsesStored([{ ...response, _id: response.submissionId }]);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Stored already, by an earlier attempt or as a response meanwhile: the analytical copies
    // take it again (replacing any copy they have), in case that attempt stopped before they did.
    await responsesStored([{ ...response, _id: response.submissionId }], { known: false });
  }
  const c = contact as { email?: string; phone?: string } | undefined;
  if (c && (c.email || c.phone)) await fileContact({ key: contactKey, submissionId: response.submissionId, surveySlug: slug, contact: c, lang: response.lang, at: response.submittedAt });
  await SpamResponseModel.collection.deleteOne({ _id });
}

/** Deletes a submission kept apart as spam, for good. */
export async function deleteSpam(slug: string, id: string): Promise<void> {
  const doc = await findSpam(slug, id);
  await SpamResponseModel.collection.deleteOne({ _id: doc._id });
}
