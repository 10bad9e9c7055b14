import { fieldName, OTHER } from './answers.js';
import { hasOptions, type Question, type SurveyDefinition } from './definition.schema.js';
import { LANGUAGES, type LanguageCode } from './languages.js';
import { CHANNELS, type Channel } from './response.model.js';
import { restoreCell } from './spreadsheet-cells.js';
import { META_FIELDS, metaTarget, responseColumns, type ColumnLabels } from './response-columns.js';

/** A column nobody maps is ignored. */
export const IGNORE = '';

/** Case-, width- and space-insensitive form of a header or cell ("Age group *" = "agegroup"). */
export function normaliseKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '').replace(/[*:：]+$/u, '');
}

/**
 * Everything the import recognises for one survey: headers (question ids, labels in every
 * survey language, and the export's own headers in every interface language), option cells
 * (ids and labels in every language), channels and languages.
 */
export interface ImportVocabulary {
  def: SurveyDefinition;
  headers: Map<string, string>;
  options: Map<string, Map<string, string>>;
  channels: Map<string, Channel>;
  languages: Map<string, LanguageCode>;
  /** Every target a column can have, in survey order (for the mapping select). */
  targets: string[];
}

function addOnce<V>(map: Map<string, V>, key: string, value: V): void {
  const k = normaliseKey(key);
  if (k && !map.has(k)) map.set(k, value);
}

function optionLookup(q: Question, labels: ColumnLabels[]): Map<string, string> {
  const map = new Map<string, string>();
  if (hasOptions(q)) {
    for (const o of q.options) addOnce(map, o.id, o.id);
    for (const o of q.options) for (const text of Object.values(o.label)) addOnce(map, text ?? '', o.id);
    if ('other' in q && q.other) {
      addOnce(map, OTHER, OTHER);
      for (const l of labels) addOnce(map, l.otherOption, OTHER);
    }
  } else if (q.type === 'rating') {
    for (const n of [1, 2, 3, 4, 5] as const) addOnce(map, String(n), String(n));
    for (const n of [1, 2, 3, 4, 5] as const) for (const text of Object.values(q.scale.labels[n])) addOnce(map, text ?? '', String(n));
  }
  return map;
}

/** Builds the vocabulary from the definition and the export labels of every interface language. */
export function importVocabulary(def: SurveyDefinition, labelsByLang: Map<LanguageCode, ColumnLabels>): ImportVocabulary {
  const allLabels = [...labelsByLang.values()];
  const headers = new Map<string, string>();
  const first = allLabels[0]!;
  // Exact ids first (the id export), then labels, so an id always wins over a look-alike label.
  for (const c of responseColumns(def, def.defaultLanguage as LanguageCode, first)) addOnce(headers, c.idHeader, c.target);
  for (const q of def.questions) addOnce(headers, q.id, fieldName.answer(q.id));
  addOnce(headers, 'survey_version', metaTarget('version'));
  addOnce(headers, 'lang', metaTarget('language'));
  for (const lang of def.languages as LanguageCode[]) {
    for (const labels of allLabels) for (const c of responseColumns(def, lang, labels)) addOnce(headers, c.label, c.target);
    // A ranking question's own label names a column with all its places in one cell, separated by ";".
    for (const q of def.questions) addOnce(headers, q.label[lang] ?? '', fieldName.answer(q.id));
  }
  const options = new Map(def.questions.map((q) => [q.id, optionLookup(q, allLabels)]));
  const channels = new Map<string, Channel>();
  for (const c of CHANNELS) addOnce(channels, c, c);
  for (const labels of allLabels) for (const c of CHANNELS) addOnce(channels, labels.channels[c], c);
  const languages = new Map<string, LanguageCode>();
  for (const l of LANGUAGES) {
    addOnce(languages, l.code, l.code);
    addOnce(languages, l.name, l.code);
  }
  const targets = [
    ...META_FIELDS.map(metaTarget),
    ...def.questions.flatMap((q) => [
      fieldName.answer(q.id),
      ...(q.type === 'ranking' ? Array.from({ length: q.top }, (_, i) => fieldName.rank(q.id, i + 1)) : []),
      ...('other' in q && q.other ? [fieldName.other(q.id)] : []),
    ]),
  ];
  return { def, headers, options, channels, languages, targets };
}

/** The column mapping guessed from the headers: a target per column, or IGNORE. */
export function guessMapping(vocab: ImportVocabulary, headers: string[]): string[] {
  const used = new Set<string>();
  return headers.map((h) => {
    const target = vocab.headers.get(normaliseKey(restoreCell(h)));
    if (!target || used.has(target)) return IGNORE;
    used.add(target);
    return target;
  });
}

export interface MappingProblem {
  /** The column (0-based) the problem is about, if any. */
  column?: number;
  code: 'nothingMapped' | 'duplicateColumn' | 'rankingTwice' | 'missingColumn' | 'unknownTarget';
  params?: Record<string, string | number>;
}

/** The question a target fills (`q:age`, `rank:priorities:2` and `other:interests` all name a question). */
export function targetQuestion(target: string): string | null {
  const m = /^(?:q|other|rank):([^:]+)/.exec(target);
  return m ? m[1]! : null;
}

/** Whole-file problems of a mapping: nothing mapped, a target twice, a required question without a column. */
export function mappingProblems(vocab: ImportVocabulary, mapping: string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const seen = new Map<string, number>();
  mapping.forEach((target, column) => {
    if (target === IGNORE) return;
    if (!vocab.targets.includes(target)) return void problems.push({ column, code: 'unknownTarget' });
    if (seen.has(target)) problems.push({ column, code: 'duplicateColumn', params: { first: seen.get(target)! + 1 } });
    else seen.set(target, column);
  });
  const answered = new Set(mapping.map(targetQuestion).filter((q): q is string => q !== null));
  if (answered.size === 0) return [{ code: 'nothingMapped' }];
  for (const q of vocab.def.questions) {
    if (q.type === 'ranking' && seen.has(fieldName.answer(q.id)) && mapping.some((t) => t.startsWith(`rank:${q.id}:`))) problems.push({ column: seen.get(fieldName.answer(q.id))!, code: 'rankingTwice' });
    if (q.required && !q.showIf && !answered.has(q.id)) problems.push({ code: 'missingColumn', params: { question: q.id } });
  }
  return problems;
}
