import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../server/paths.js';
import type { SurveyDefinitionInput, SurveyDefinition } from '../definition.schema.js';
import { describeProblem, validateDefinition } from '../definition.service.js';
import { LANGUAGE_CODES } from '../languages.js';
import { applyStrings, type FlatStrings } from '../translation.js';

const HERE = fromRoot('surveys', 'templates');

export const TEMPLATE_SLUGS = ['community-needs'] as const;

/**
 * A built-in template: `definition.json` holds the structure and the English text; each
 * `<lang>.json` beside it is a flat translation file (the same format staff export and import).
 */
export function loadTemplate(name: (typeof TEMPLATE_SLUGS)[number], topicIds: ReadonlySet<string>): SurveyDefinition {
  const dir = path.join(HERE, name);
  const raw = JSON.parse(readFileSync(path.join(dir, 'definition.json'), 'utf8')) as SurveyDefinitionInput;
  const result = validateDefinition(raw, topicIds);
  if (!result.ok) throw new Error(`Template ${name} is invalid: ${result.problems.map(describeProblem).join('; ')}`);
  let def = result.definition;
  for (const lang of LANGUAGE_CODES) {
    const file = path.join(dir, `${lang}.json`);
    if (lang === def.defaultLanguage || !existsSync(file)) continue;
    def = applyStrings(def, lang, JSON.parse(readFileSync(file, 'utf8')) as FlatStrings);
  }
  return def;
}
