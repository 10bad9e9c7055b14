import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { normalizeTerm, tokenize, type OpenTextResources } from '../analytics/open-text.js';
import { fromRoot } from '../server/paths.js';
import { getCatalog } from './catalog.service.js';
import { LANGUAGE_CODES, type LanguageCode } from './languages.js';

const DATA_DIR = fromRoot('analytics', 'data');

const Term = z.string().trim().min(1);
/** `analytics/data/stopwords/<lang>.json`: words and phrases that carry no meaning in answers. */
export const StopwordList = z.array(Term).min(1);
/** `analytics/data/keywords/<lang>.json`: topic id → words and phrases that mean the topic. */
export const KeywordLists = z.record(z.string(), z.array(Term).min(1));

/** The open-text resources with language codes the app ships. */
export interface OpenTextData extends OpenTextResources {
  stopwords: Readonly<Record<LanguageCode, readonly string[]>>;
  keywords: Readonly<Record<LanguageCode, Readonly<Record<string, readonly string[]>>>>;
}

/** Thrown at load when the shipped stop-word or keyword lists are inconsistent. */
export class OpenTextDataError extends Error {
  readonly code = 'openTextData';
  constructor(readonly problems: string[]) {
    super(`The open-text data is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'OpenTextDataError';
  }
}

/** What the files hold, per language, before validation (`undefined` when a file is missing). */
export interface RawOpenTextData {
  stopwords: Partial<Record<string, unknown>>;
  keywords: Partial<Record<string, unknown>>;
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ');
}

/** Normalised, de-duplicated, empty results dropped (reported by the caller). */
function normalizeAll(terms: readonly string[], lang: string): string[] {
  return [...new Set(terms.map((t) => normalizeTerm(t, lang)).filter(Boolean))];
}

/**
 * Validates raw lists against the catalog and the shipped languages, and returns them
 * normalised with the analytics normaliser (so answers and lists compare alike). Every
 * language needs both lists; every catalog topic needs at least one keyword in every language;
 * no entry may be empty, or normalise to nothing, and no keyword may consist of stop words only
 * (it would match answers that say nothing about the topic).
 */
export function validateOpenTextData(raw: RawOpenTextData, topicIds: Iterable<string>, langs: readonly LanguageCode[] = LANGUAGE_CODES): OpenTextData {
  const problems: string[] = [];
  const topics = [...topicIds];
  const stopwords = {} as Record<LanguageCode, string[]>;
  const keywords = {} as Record<LanguageCode, Record<string, string[]>>;
  for (const lang of langs) {
    if (raw.stopwords[lang] === undefined) problems.push(`stopwords/${lang}.json is missing`);
    if (raw.keywords[lang] === undefined) problems.push(`keywords/${lang}.json is missing`);
    const stops = StopwordList.safeParse(raw.stopwords[lang] ?? []);
    const stopList = stops.success ? stops.data : [];
    if (!stops.success && raw.stopwords[lang] !== undefined) problems.push(`stopwords/${lang}.json: ${issues(stops.error)}`);
    for (const s of stopList) if (!normalizeTerm(s, lang)) problems.push(`stopwords/${lang}.json: "${s}" has no words`);
    const stopSet = new Set(normalizeAll(stopList, lang));
    stopwords[lang] = [...stopSet];

    if (raw.keywords[lang] === undefined) continue;
    const lists = KeywordLists.safeParse(raw.keywords[lang]);
    if (!lists.success) {
      problems.push(`keywords/${lang}.json: ${issues(lists.error)}`);
      continue;
    }
    keywords[lang] = {};
    for (const id of Object.keys(lists.data)) if (!topics.includes(id)) problems.push(`keywords/${lang}.json: unknown topic ${id}`);
    for (const id of topics) {
      const list = lists.data[id];
      if (!list) {
        problems.push(`keywords/${lang}.json: topic ${id} has no keywords`);
        continue;
      }
      for (const k of list) {
        const tokens = tokenize(k, lang);
        if (!tokens.length) problems.push(`keywords/${lang}.json: ${id} "${k}" has no words`);
        else if (tokens.every((t) => stopSet.has(t))) problems.push(`keywords/${lang}.json: ${id} "${k}" is only stop words`);
      }
      keywords[lang][id] = normalizeAll(list, lang);
    }
  }
  if (problems.length) throw new OpenTextDataError(problems);
  return Object.freeze({ stopwords, keywords });
}

/** A file's JSON, or `undefined` when it does not exist (reported by the validation). */
function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(path.join(DATA_DIR, file), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new OpenTextDataError([`${file}: ${(err as Error).message}`]);
  }
}

/** Reads `analytics/data/{stopwords,keywords}/<lang>.json` for every shipped language and validates them. */
export function loadOpenTextResources(): OpenTextData {
  const raw: RawOpenTextData = { stopwords: {}, keywords: {} };
  for (const lang of LANGUAGE_CODES) {
    raw.stopwords[lang] = readJson(path.join('stopwords', `${lang}.json`));
    raw.keywords[lang] = readJson(path.join('keywords', `${lang}.json`));
  }
  return validateOpenTextData(raw, getCatalog().topicIds);
}

let cached: OpenTextData | undefined;
/** The validated open-text resources, loaded on first use and cached for the process. */
export function getOpenTextResources(): OpenTextData {
  cached ??= loadOpenTextResources();
  return cached;
}
