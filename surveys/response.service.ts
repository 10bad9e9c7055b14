import { randomUUID } from 'node:crypto';
import { ConflictError, ValidationError } from '../server/errors.js';
import { fingerprint, parseAnswers, type FormValues } from './answers.js';
import { parseContact, CONSENT_VERSION } from './contact.js';
import { ContactModel } from './contact.model.js';
import type { LanguageCode } from './languages.js';
import { insertResponse, ResponseModel, type Channel, type NewResponse } from './response.model.js';
import type { SurveySnapshot } from './survey.service.js';
import { answerCounts } from './tally-segments.js';
import { applyTallies } from './tally.service.js';
import { markTalliesDirty } from './reconcile.service.js';
import { storeSpam } from './spam.service.js';

/**
 * Fault-injection points for the fault tests (e.g. stop the database between storing a
 * response and counting it). Empty in normal operation.
 */
export const faultHooks: { afterInsert?: () => Promise<void> } = {};

const SUBMISSION_ID = /^[A-Za-z0-9_-]{16,64}$/;

export function newSubmissionId(): string {
  return randomUUID();
}

export function isSubmissionId(value: unknown): value is string {
  return typeof value === 'string' && SUBMISSION_ID.test(value);
}

/** Thrown for an invalid submission; carries what was typed so the form comes back filled in. */
export class SubmissionInvalidError extends ValidationError {
  readonly values: FormValues;
  constructor(problems: ValidationError['problems'], values: FormValues) {
    super(problems);
    this.values = values;
  }
}

export interface SubmitInput {
  survey: SurveySnapshot;
  body: Record<string, unknown>;
  submissionId: string;
  lang: LanguageCode;
  channel: Channel;
  location?: string;
  tag?: string;
  now?: Date;
  /** Set when the submission looks automated: it is kept apart for review, not counted. */
  spamReasons?: string[];
}

export interface SubmitResult {
  submissionId: string;
  /** True when this id was already stored with the same answers (a retry or double tap). */
  duplicate: boolean;
  /**
   * Whether the counters took this response: resolves true once they are written, false if that
   * failed (the survey is then marked for reconciliation). The answer does not wait for it.
   */
  counted: Promise<boolean>;
  /** True when it was kept apart as likely spam (the person still sees the normal thank-you). */
  spam?: boolean;
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/** What the person typed, to put back into the form (e.g. after switching language). */
export function formValues(def: SurveySnapshot['definition'], body: Record<string, unknown>): FormValues {
  return { ...parseAnswers(def, body).values, ...parseContact(body).values };
}

/**
 * Validates and stores one response. The same submission id with the same answers is
 * acknowledged again without a second copy; with different answers it is refused (409).
 */
export async function submitResponse(input: SubmitInput): Promise<SubmitResult> {
  const { survey, body } = input;
  const parsed = parseAnswers(survey.definition, body);
  const contact = parseContact(body);
  Object.assign(parsed.values, contact.values);
  const problems = [...parsed.problems, ...contact.problems];
  if (problems.length) throw new SubmissionInvalidError(problems, parsed.values);

  const fp = fingerprint(parsed.answers, parsed.other);
  const now = input.now ?? new Date();
  // What is stored, as a response or (likely spam) kept apart for review.
  const stored: NewResponse = {
    surveySlug: survey.slug,
    surveyVersion: survey.version,
    submissionId: input.submissionId,
    fingerprint: fp,
    answers: parsed.answers,
    other: parsed.other,
    lang: input.lang,
    channel: input.channel,
    ...(input.location ? { location: input.location } : {}),
    ...(input.tag ? { tag: input.tag } : {}),
    submittedAt: now,
  };
  if (input.spamReasons?.length) {
    const { duplicate } = await storeSpam({ ...stored, reasons: input.spamReasons, ...(contact.contact ? { contact: contact.contact } : {}) });
    return { submissionId: input.submissionId, duplicate, counted: Promise.resolve(false), spam: true };
  }
  try {
    await insertResponse(stored);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const existing = await ResponseModel.findOne({ submissionId: input.submissionId }, { fingerprint: 1, surveySlug: 1 }).lean();
    if (existing && existing.fingerprint === fp && existing.surveySlug === survey.slug) return { submissionId: input.submissionId, duplicate: true, counted: Promise.resolve(true) };
    throw new ConflictError('conflict');
  }
  // Counted only after it is stored, so a failed insert can never inflate the tallies. The person
  // does not wait for the counters: they are merged with other submissions' and written in the
  // background (a write-behind; readers in this instance wait for it, see readTallies). If the
  // write fails, or the process dies first, reconciliation rebuilds the counters from the
  // responses (dirty mark, or the total-vs-stored comparison at start-up and periodically).
  let counted: Promise<boolean>;
  try {
    if (faultHooks.afterInsert) await faultHooks.afterInsert();
    counted = applyTallies(survey.slug, answerCounts(survey.definition, { answers: parsed.answers, lang: input.lang, channel: input.channel, location: input.location ?? null, submittedAt: now })).then(
      () => true,
      () => {
        markTalliesDirty(survey.slug);
        return false;
      },
    );
  } catch {
    markTalliesDirty(survey.slug);
    counted = Promise.resolve(false);
  }
  if (contact.contact) {
    await ContactModel.create({ surveySlug: survey.slug, ...contact.contact, lang: input.lang, consentVersion: CONSENT_VERSION, day: now.toISOString().slice(0, 10) });
  }
  return { submissionId: input.submissionId, duplicate: false, counted };
}
