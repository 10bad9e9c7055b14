import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../server/paths.js';
import { CatalogStructure, CatalogTexts } from './catalog.schema.js';
import { LANGUAGE_CODES, type LanguageCode } from './languages.js';

const SOURCE_DIR = fromRoot('surveys', 'catalog');

export interface PartnerSuggestion {
  type: string;
  name: string;
  reason: string;
  /** The invitation to add an organization of this type, e.g. "Add a senior center you work with". */
  invite: string;
}

export interface Catalog {
  topicIds: ReadonlySet<string>;
  partnerTypes: readonly string[];
  topics: CatalogStructure['topics'];
  texts: Record<LanguageCode, CatalogTexts>;
}

/** Thrown at load when the shipped catalog is inconsistent; the app refuses to start. */
export class CatalogError extends Error {}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(path.join(SOURCE_DIR, file), 'utf8'));
}

/**
 * Loads and validates the topic and partner catalog: every topic's partners (at least three) are
 * known partner types, and every topic, partner type, reason and invitation has text in every
 * shipped language.
 */
export function loadCatalog(): Catalog {
  const structure = CatalogStructure.parse(readJson('topics.json'));
  const problems: string[] = [];
  const partnerSet = new Set(structure.partnerTypes);
  for (const t of structure.topics) {
    for (const p of t.partners) if (!partnerSet.has(p)) problems.push(`topic ${t.id}: unknown partner type ${p}`);
  }
  const texts = {} as Record<LanguageCode, CatalogTexts>;
  for (const lang of LANGUAGE_CODES) {
    const parsed = CatalogTexts.safeParse(readJson(path.join('i18n', `${lang}.json`)));
    if (!parsed.success) {
      problems.push(`i18n/${lang}.json: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      continue;
    }
    texts[lang] = parsed.data;
    for (const t of structure.topics) {
      if (!parsed.data.topics[t.id]) problems.push(`i18n/${lang}.json: topic ${t.id} has no name`);
      for (const p of t.partners) if (!parsed.data.reasons[`${t.id}/${p}`]) problems.push(`i18n/${lang}.json: no reason for ${t.id}/${p}`);
    }
    for (const p of structure.partnerTypes) {
      if (!parsed.data.partners[p]) problems.push(`i18n/${lang}.json: partner type ${p} has no name`);
      if (!parsed.data.invites[p]) problems.push(`i18n/${lang}.json: partner type ${p} has no invitation`);
    }
  }
  if (problems.length) throw new CatalogError(`The topic catalog is invalid:\n  ${problems.join('\n  ')}`);
  return { topicIds: new Set(structure.topics.map((t) => t.id)), partnerTypes: structure.partnerTypes, topics: structure.topics, texts };
}

let cached: Catalog | undefined;
export function getCatalog(): Catalog {
  cached ??= loadCatalog();
  return cached;
}

export function topicName(catalog: Catalog, topicId: string, lang: LanguageCode): string {
  return catalog.texts[lang]?.topics[topicId]?.name ?? catalog.texts.en.topics[topicId]?.name ?? topicId;
}

/** The catalog's partner types for a topic, strongest first, with reasons in `lang`. */
export function partnersForTopic(catalog: Catalog, topicId: string, lang: LanguageCode): PartnerSuggestion[] {
  const topic = catalog.topics.find((t) => t.id === topicId);
  if (!topic) return [];
  const texts = catalog.texts[lang] ?? catalog.texts.en;
  return topic.partners.map((type) => ({ type, name: texts.partners[type] ?? type, reason: texts.reasons[`${topicId}/${type}`] ?? '', invite: texts.invites[type] ?? catalog.texts.en.invites[type] ?? '' }));
}
