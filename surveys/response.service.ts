import { ConflictError, ValidationError } from '../server/errors.js';
import { fingerprint, parseAnswers, type FormValues } from './answers.js';
import { parseContact } from './contact.js';
import { fileContact, type ContactFiling } from './contact.service.js';
import type { LanguageCode } from './languages.js';
import { insertResponse, onResponsesStored, ResponseModel, type Channel, type NewResponse } from './response.model.js';
import { responsesStored } from './insights/analytics-changes.js';
import { SpamResponseModel } from './spam.model.js';
import { acknowledge, findAfterDuplicateKey, findById, isDuplicateKey, isSameSubmission } from './submission-id.js';
import { forgetStored, recordStored } from './submission-keys.js';
import type { SurveySnapshot } from './survey.service.js';
import { storeSpam } from './spam.service.js';

export { isSubmissionId, newSubmissionId } from './submission-id.js';

// Every group of responses stored goes into this instance's analytical copy at once and, through
// the change log, into the other instances' (see insights/analytics-changes.ts).
onResponsesStored((docs) => void responsesStored(docs));

/**
 * Fault-injection points for the fault tests (e.g. stop the database between storing a
 * response and filing its contact). Empty in normal operation.
 */
export const faultHooks: { beforeInsert?: () => Promise<void>; afterInsert?: () => Promise<void> } = {};

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
  /** The server's key for follow-up contact ids (contactIdKey in server/form-secret.ts). */
  contactKey: string;
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
  /** True when it was kept apart as likely spam (the person still sees the normal thank-you). */
  spam?: boolean;
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
  const { submissionId } = input;
  // The contact sent with this attempt or, failing that, one a removed held copy carried.
  const fileContactOf = async (fromHeld: ContactFiling['contact'] | undefined): Promise<void> => {
    const given = contact.contact ?? fromHeld;
    if (given) await fileContact({ key: input.contactKey, submissionId, surveySlug: survey.slug, contact: given, lang: input.lang, at: now });
  };
  if (input.spamReasons?.length) {
    const { duplicate } = await storeSpam({ ...stored, reasons: input.spamReasons, ...(contact.contact ? { contact: contact.contact } : {}) }, input.contactKey);
    return { submissionId, duplicate, spam: true };
  }
  // One submission id lives in one place: a resend of an answer held as likely spam is
  // acknowledged like any resend and changes nothing.
  const held = await findById(SpamResponseModel.collection, submissionId);
  if (held) return { submissionId, ...acknowledge(held, fp, survey.slug), spam: true };
  try {
    if (faultHooks.beforeInsert) await faultHooks.beforeInsert();
    await insertResponse(stored);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // A resend. Its key (written once the first attempt had stored it) says so from the unique
    // index alone; reading the response back is left for the rare rest: a first attempt cut off
    // before its key was written, a response stored before keys existed, or an id reused with
    // other answers (then the key just written is taken back).
    if (await recordStored(survey.slug, submissionId, fp)) {
      const existing = await findAfterDuplicateKey(ResponseModel.collection, submissionId);
      if (!existing || !isSameSubmission(existing, fp, survey.slug)) {
        await forgetStored(survey.slug, submissionId, fp);
        throw new ConflictError('conflict');
      }
    }
    // A retry completes whatever its first attempt left undone (the database may drop after the
    // response was stored and before the rest; 11 of 1,500 contacts were lost that way). Both
    // are cheap: the likely-spam list is small, and a contact is filed under a key of its own.
    await fileContactOf(await dropHeldCopy(submissionId, fp, survey.slug));
    return { submissionId, duplicate: true };
  }
  // Nothing is counted here: the analytical copies take the response from the insert itself
  // (onResponsesStored above), so the submit path is the insert, its key and the contact.
  if (faultHooks.afterInsert) await faultHooks.afterInsert();
  // A concurrent request holding the same answers as likely spam writes its key after its held
  // copy, and both paths look at the held list only when the other wrote the key first: here,
  // the key already there means the held copy is there and goes (the response stays); there,
  // storeSpam takes its own held copy back. So a new submission reads nothing after its insert.
  const heldContact = (await recordStored(survey.slug, submissionId, fp)) ? undefined : await dropHeldCopy(submissionId, fp, survey.slug);
  // After the response, never before, so an acknowledged contact always has its response.
  await fileContactOf(heldContact);
  return { submissionId, duplicate: false };
}

/**
 * The mirror of storeSpam's second check, one more look-up by primary key after the response is
 * stored: had the same submission been held as likely spam meanwhile (a concurrent pair), of
 * the two only the response stays. Returns the held copy's contact, to be filed if the response
 * came without one.
 */
async function dropHeldCopy(submissionId: string, fp: string, slug: string): Promise<ContactFiling['contact'] | undefined> {
  const held = await findById(SpamResponseModel.collection, submissionId);
  if (!held || !isSameSubmission(held, fp, slug)) return undefined;
  await SpamResponseModel.collection.deleteOne({ _id: submissionId as never });
  return held.contact?.email || held.contact?.phone ? held.contact : undefined;
}
