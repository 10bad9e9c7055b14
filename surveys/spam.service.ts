import { ConflictError, NotFoundError } from '../server/errors.js';
import type { AnswerValue } from './answers.js';
import { CONSENT_VERSION } from './contact.js';
import { ContactModel } from './contact.model.js';
import { ResponseModel, type NewResponse } from './response.model.js';
import { SpamResponseModel } from './spam.model.js';
import { findSurvey } from './survey.service.js';
import { answerCounts } from './tally-segments.js';
import { applyTallies } from './tally.service.js';
import { markTalliesDirty } from './reconcile.service.js';

/** A submission kept apart: the response it would have been, why, and any contact details left with it. */
export interface SpamRecord extends NewResponse {
  reasons: string[];
  contact?: { email?: string; phone?: string };
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/**
 * Keeps a likely-spam submission apart (not counted). The same id with the same answers is a
 * harmless retry; with other answers it is refused like any reused id.
 */
export async function storeSpam(record: SpamRecord): Promise<{ duplicate: boolean }> {
  const { reasons, ...rest } = record;
  const already = await ResponseModel.findOne({ submissionId: record.submissionId }, { fingerprint: 1, surveySlug: 1 }).lean();
  if (already) {
    if (already.fingerprint === record.fingerprint && already.surveySlug === record.surveySlug) return { duplicate: true };
    throw new ConflictError('conflict');
  }
  try {
    await SpamResponseModel.create({ ...rest, spam: { reasons } });
    return { duplicate: false };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const existing = await SpamResponseModel.findOne({ submissionId: record.submissionId }, { fingerprint: 1, surveySlug: 1 }).lean();
    if (existing && existing.fingerprint === record.fingerprint && existing.surveySlug === record.surveySlug) return { duplicate: true };
    throw new ConflictError('conflict');
  }
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

async function findSpam(slug: string, id: string) {
  const doc = OBJECT_ID.test(id) ? await SpamResponseModel.findOne({ _id: id, surveySlug: slug }).lean() : null;
  if (!doc) throw new NotFoundError('notFound');
  return doc;
}

/**
 * "Not spam": moves the submission into the responses and counts it, like any submission.
 * Inserted before it is removed from the spam list, so a failure in between can only leave a
 * copy to delete, never lose the response.
 */
export async function releaseSpam(slug: string, id: string): Promise<void> {
  const doc = await findSpam(slug, id);
  const survey = await findSurvey(slug);
  if (!survey) throw new NotFoundError('surveyNotFound');
  const { _id, spam, contact, ...response } = doc;
  void spam;
  let inserted = true;
  try {
    await ResponseModel.create(response);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    inserted = false;
  }
  if (inserted) {
    try {
      await applyTallies(slug, answerCounts(survey.definition, { answers: response.answers as Record<string, AnswerValue>, lang: response.lang as never, channel: response.channel, location: response.location ?? null, submittedAt: response.submittedAt }));
    } catch {
      markTalliesDirty(slug);
    }
    const c = contact as { email?: string; phone?: string } | undefined;
    if (c && (c.email || c.phone)) await ContactModel.create({ surveySlug: slug, ...c, lang: response.lang, consentVersion: CONSENT_VERSION, day: response.submittedAt.toISOString().slice(0, 10) });
  }
  await SpamResponseModel.deleteOne({ _id });
}

/** Deletes a submission kept apart as spam, for good. */
export async function deleteSpam(slug: string, id: string): Promise<void> {
  const doc = await findSpam(slug, id);
  await SpamResponseModel.deleteOne({ _id: doc._id });
}
