import { getCatalog, topicName } from '../surveys/catalog.service.js';
import type { LanguageCode } from '../surveys/languages.js';
import { PARTNER_FIELDS, PARTNER_STATUSES } from '../surveys/partner.schema.js';
import type { PartnerQuery, PartnerView } from '../surveys/partner.service.js';

export const PARTNERS_BASE = '/staff/partners';

export interface Choice {
  value: string;
  label: string;
}

/** Partner types and topics by name in the viewer's language, in catalog order. */
export function catalogChoices(lang: LanguageCode): { types: Choice[]; topics: Choice[]; typeName: (id: string) => string; topicName: (id: string) => string } {
  const catalog = getCatalog();
  const texts = catalog.texts[lang] ?? catalog.texts.en;
  const typeName = (id: string): string => texts.partners[id] ?? catalog.texts.en.partners[id] ?? id;
  const name = (id: string): string => topicName(catalog, id, lang);
  return {
    types: catalog.partnerTypes.map((id) => ({ value: id, label: typeName(id) })),
    topics: catalog.topics.map((t) => ({ value: t.id, label: name(t.id) })),
    typeName,
    topicName: name,
  };
}

export const STATUSES = PARTNER_STATUSES;

/** The form's values as typed (strings; topics a list), from a request body or a stored organization. */
export type FormValues = Record<(typeof PARTNER_FIELDS)[number], string> & { topicList: string[] };

export function formValues(source: Record<string, unknown> | PartnerView | undefined): FormValues {
  const src = (source ?? {}) as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const topics = src.topics;
  const topicList = Array.isArray(topics) ? topics.filter((x): x is string => typeof x === 'string') : typeof topics === 'string' ? [topics] : [];
  const values = Object.fromEntries(PARTNER_FIELDS.map((f) => [f, str(src[f])])) as unknown as FormValues;
  values.status ||= 'idea';
  values.topicList = topicList;
  return values;
}

/** The list's address with its search and filters (and an optional page), e.g. for links and the CSV export. */
export function listHref(path: string, query: PartnerQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const k of ['q', 'type', 'topic', 'status'] as const) if (query[k]) params.set(k, query[k]!);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** Only the fields that are plain body text (no `_csrf`), for service calls. */
export function partnerBody(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(PARTNER_FIELDS.map((f) => [f, b[f]]));
}

/** A day (YYYY-MM-DD) as the viewer's language writes it, e.g. "12 Mar 2026". */
export function dayFormatter(lang: LanguageCode): (day: string) => string {
  const format = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  return (day: string): string => format.format(new Date(`${day}T00:00:00Z`));
}
