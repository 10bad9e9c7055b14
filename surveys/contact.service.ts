import { createHmac } from 'node:crypto';
import { CONSENT_VERSION } from './contact.js';
import { ContactModel } from './contact.model.js';
import { isDuplicateKey } from './submission-id.js';

export interface ContactFiling {
  /** A key only the server holds (derived from the form secret); see contactId. */
  key: string;
  submissionId: string;
  surveySlug: string;
  contact: { email?: string; phone?: string };
  lang: string;
  /** When it was given; only the day is kept. */
  at: Date;
}

/**
 * A follow-up contact's `_id`: an HMAC of the submission id under a server key. The same for
 * every attempt of one submission, so a retry can file a contact its first attempt did not
 * (the database dropped between the response and the contact) without ever filing it twice;
 * and without the key, which staff never see, it cannot be matched to the response's id.
 */
export function contactId(key: string, submissionId: string): string {
  return createHmac('sha256', key).update(`contact\u0000${submissionId}`).digest('base64url');
}

/** Files the contact apart from the answers; filing it again (a retry) changes nothing. */
export async function fileContact(f: ContactFiling): Promise<void> {
  try {
    await ContactModel.create({ _id: contactId(f.key, f.submissionId), surveySlug: f.surveySlug, ...f.contact, lang: f.lang, consentVersion: CONSENT_VERSION, day: f.at.toISOString().slice(0, 10) });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}
