import type { Collection, Document } from 'mongodb';
import { ContactModel } from '../contact.model.js';
import { PartnerModel } from '../partner.model.js';
import { ResponseModel } from '../response.model.js';
import { SettingsModel } from '../settings.model.js';
import { SpamResponseModel } from '../spam.model.js';
import { SurveyModel, SurveyVersionModel } from '../survey.model.js';
import { SetupLockModel, UserModel } from '../user.model.js';

/**
 * What a backup holds, in the order it is written and restored: small collections first, so a
 * restore shows the library's set-up within seconds and the long part (responses) last.
 */
const ARCHIVED = {
  settings: SettingsModel,
  users: UserModel,
  setup_lock: SetupLockModel,
  surveys: SurveyModel,
  survey_versions: SurveyVersionModel,
  partners: PartnerModel,
  spam_responses: SpamResponseModel,
  responses: ResponseModel,
} as const;

/** Follow-up contacts: archived only when asked for (`--with-contacts`). */
export const CONTACTS = 'contacts';

/**
 * Collections deliberately left out, and why. Every collection the app stores is either archived
 * or listed here; a test reads the models and fails on one that is neither.
 */
export const NOT_ARCHIVED: Readonly<Record<string, string>> = {
  sessions: 'sign-in sessions: server secrets tied to this server; everyone signs in again',
  rate_limits: 'hit counters keyed with the server form secret; they expire within minutes',
  tallies: 'counters derived from the responses; rebuilt after a restore',
  import_batches: 'an uploaded file between preview and confirmation; expires within an hour',
  partner_imports: 'a partner CSV between preview and confirmation; expires within a day',
  submission_keys: 'one key per stored submission, so a resend is known without reading the responses; after a restore, a resend of a restored submission is still recognised, by the slower look-up',
  analytics_changes: 'what changed in the responses, for the other app instances\' analytical copies; pruned after minutes, and a restore makes every copy fill again',
  analytics_instances: 'the app instances writing that log, and their oldest entry kept; each instance writes its own again',
  login_throttles: 'failed sign-ins per hashed email; they expire within 15 minutes, and a restore should not lock anyone out',
  funnel_counts: 'anonymous daily counts of forms opened and sent (the dashboard\'s "where people stop"); after a restore they start again from zero',
};

export type ArchivedName = keyof typeof ARCHIVED | typeof CONTACTS;

/** The collections a backup writes, in order. */
export function archivedNames(withContacts: boolean): ArchivedName[] {
  const names: ArchivedName[] = Object.keys(ARCHIVED) as (keyof typeof ARCHIVED)[];
  return withContacts ? [...names, CONTACTS] : names;
}

export function isArchivedName(name: string): name is ArchivedName {
  return name === CONTACTS || Object.hasOwn(ARCHIVED, name);
}

/**
 * The driver's collection (no Mongoose casting, defaults or hooks), so documents are read and
 * written exactly as stored: the same field order, number types and binary data.
 */
export function rawCollection(name: ArchivedName): Collection<Document> {
  const model = name === CONTACTS ? ContactModel : ARCHIVED[name];
  return model.collection as unknown as Collection<Document>;
}

/** Collections in the database that are neither archived nor deliberately left out (a newer app's, or someone else's). */
export async function unknownCollections(): Promise<string[]> {
  const db = SurveyModel.db.db;
  if (!db) return [];
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  return names.filter((n) => !isArchivedName(n) && !Object.hasOwn(NOT_ARCHIVED, n) && !n.startsWith('system.')).sort();
}
