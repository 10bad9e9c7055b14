import { cleanText, type AnswerProblem, type FormValues } from './answers.js';

/** Bumped when the consent sentence changes, so each contact records which text was agreed to. */
export const CONSENT_VERSION = '2026-11';

export const contactField = { email: 'contact:email', phone: 'contact:phone', consent: 'contact:consent' } as const;

const LABEL = '[^\\s@<>()[\\]\\\\,;:".]+';
const EMAIL = new RegExp(`^[^\\s@<>()[\\]\\\\,;:"]{1,64}@(?:${LABEL}\\.)+${LABEL.slice(0, -1)}{2,63}$`);
const PHONE = /^\+?[0-9 ().-]{7,25}$/;

export interface ParsedContact {
  contact?: { email?: string; phone?: string };
  problems: AnswerProblem[];
  values: FormValues;
}

function text(raw: unknown): string | null {
  if (raw === undefined || raw === null) return '';
  return typeof raw === 'string' ? raw : null;
}

/** The optional follow-up contact: email or phone, only with the consent box ticked. */
export function parseContact(body: Record<string, unknown>): ParsedContact {
  const problem = (code: string): ParsedContact => ({ problems: [{ field: 'contact', code }], values });
  const emailRaw = text(body[contactField.email]);
  const phoneRaw = text(body[contactField.phone]);
  const consentRaw = body[contactField.consent];
  const values: FormValues = { [contactField.email]: emailRaw ?? '', [contactField.phone]: phoneRaw ?? '', [contactField.consent]: consentRaw === 'yes' ? 'yes' : '' };
  if (emailRaw === null || phoneRaw === null || (consentRaw !== undefined && typeof consentRaw !== 'string')) return problem('wrongType');
  const email = cleanText(emailRaw, false);
  const phone = cleanText(phoneRaw, false);
  const consent = consentRaw === 'yes';
  if (!email && !phone) return consent ? problem('contactMissing') : { problems: [], values };
  if (!consent) return problem('contactConsent');
  if (email && (email.length > 254 || !EMAIL.test(email))) return problem('contactEmail');
  if (phone && (!PHONE.test(phone) || phone.replace(/\D/g, '').length < 7)) return problem('contactPhone');
  return { contact: { ...(email ? { email: email.toLowerCase() } : {}), ...(phone ? { phone } : {}) }, problems: [], values };
}
