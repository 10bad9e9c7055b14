import mongoose from 'mongoose';
import { BadRequestError } from '../server/errors.js';
import { hasOptions, type SurveyDefinition } from './definition.schema.js';
import { isLanguageCode } from './languages.js';
import { CHANNELS } from './response.model.js';

/** A dashboard filter, as in the URL: `q.<questionId>=<optionId>` (repeatable), channel, lang, location, from, to. */
export interface ResponseFilter {
  answers: Record<string, string[]>;
  channel?: string;
  lang?: string;
  location?: string;
  from?: string;
  to?: string;
  weighted: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KNOWN = new Set(['channel', 'lang', 'location', 'from', 'to', 'weighted', 'format', 'hl']);

function one(raw: unknown, name: string): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw new BadRequestError('invalidFilter', `${name} must be a single value`);
  return raw;
}

function validDate(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined;
  const d = new Date(`${raw}T00:00:00Z`);
  if (!DATE.test(raw) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== raw) throw new BadRequestError('invalidDate', `${name} must be a date like 2026-03-31`);
  return raw;
}

/** Reads and checks filters from a query string against the survey: unknown questions, options or malformed dates are a 400. */
export function parseFilter(def: SurveyDefinition, query: Record<string, unknown>, extraKnown: readonly string[] = []): ResponseFilter {
  const filter: ResponseFilter = { answers: {}, weighted: false };
  for (const [key, raw] of Object.entries(query)) {
    if (key.startsWith('q.')) {
      const qid = key.slice(2);
      const q = def.questions.find((x) => x.id === qid);
      if (!q || !(hasOptions(q) || q.type === 'rating' || q.type === 'shortText' || q.type === 'number')) throw new BadRequestError('unknownFilter', `no question "${qid}" to filter by`);
      const values = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== '');
      if (!values.every((v): v is string => typeof v === 'string' && v.length <= 100)) throw new BadRequestError('invalidFilter', `${key} must be text`);
      if (hasOptions(q)) {
        const ids = new Set([...q.options.map((o) => o.id), ...('other' in q && q.other ? ['other'] : [])]);
        const bad = values.find((v) => !ids.has(v));
        if (bad !== undefined) throw new BadRequestError('unknownFilter', `question "${qid}" has no option "${bad}"`);
      }
      if (values.length) filter.answers[qid] = values;
    } else if (!KNOWN.has(key) && !extraKnown.includes(key)) {
      throw new BadRequestError('unknownFilter', `unknown filter "${key}"`);
    }
  }
  const channel = one(query.channel, 'channel');
  if (channel !== undefined && !(CHANNELS as readonly string[]).includes(channel)) throw new BadRequestError('unknownFilter', `unknown channel "${channel}"`);
  const lang = one(query.lang, 'lang');
  if (lang !== undefined && !isLanguageCode(lang)) throw new BadRequestError('unknownFilter', `unknown language "${lang}"`);
  const location = one(query.location, 'location');
  const from = validDate(one(query.from, 'from'), 'from');
  const to = validDate(one(query.to, 'to'), 'to');
  if (from && to && from > to) throw new BadRequestError('invalidDate', '"from" is after "to"');
  const weighted = one(query.weighted, 'weighted');
  if (weighted !== undefined && weighted !== '1' && weighted !== '0') throw new BadRequestError('invalidFilter', 'weighted must be 1 or 0');
  return { ...filter, ...(channel ? { channel } : {}), ...(lang ? { lang } : {}), ...(location ? { location: location.slice(0, 60) } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), weighted: weighted === '1' };
}

export function isFiltered(f: ResponseFilter): boolean {
  return Object.keys(f.answers).length > 0 || Boolean(f.channel || f.lang || f.location || f.from || f.to);
}

/** The MongoDB query for a filter. Operators are built here from checked values, never taken from input. */
export function filterQuery(slug: string, f: ResponseFilter): Record<string, unknown> {
  const query: Record<string, unknown> = { surveySlug: slug };
  for (const [qid, values] of Object.entries(f.answers)) {
    // Numbers (ratings, household size) are stored as numbers.
    const asNumbers = values.map((v) => (/^-?\d+$/.test(v) ? Number(v) : null));
    const candidates = [...values, ...asNumbers.filter((n): n is number => n !== null)];
    query[`answers.${qid}`] = mongoose.trusted({ $in: candidates });
  }
  if (f.channel) query.channel = f.channel;
  if (f.lang) query.lang = f.lang;
  if (f.location) query.location = f.location;
  if (f.from || f.to) {
    query.submittedAt = mongoose.trusted({
      ...(f.from ? { $gte: new Date(`${f.from}T00:00:00Z`) } : {}),
      ...(f.to ? { $lt: new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86400000) } : {}),
    });
  }
  return query;
}

/** The filter as URL query parameters (for links, CSV downloads and the shareable address). */
export function filterParams(f: ResponseFilter): URLSearchParams {
  const p = new URLSearchParams();
  for (const [qid, values] of Object.entries(f.answers)) for (const v of values) p.append(`q.${qid}`, v);
  for (const k of ['channel', 'lang', 'location', 'from', 'to'] as const) if (f[k]) p.set(k, f[k]!);
  if (f.weighted) p.set('weighted', '1');
  return p;
}
