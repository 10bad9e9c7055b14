import type { i18n as I18n, TFunction } from 'i18next';
import { hasOptions, type LocalizedText, type SurveyDefinition } from '../surveys/definition.schema.js';
import type { ResponseFilter } from '../surveys/filters.js';
import type { StoredBatch } from '../surveys/import-batch.service.js';
import { IGNORE, importVocabulary, targetQuestion, type ImportVocabulary } from '../surveys/import-mapping.js';
import type { TableRow } from '../surveys/import-table.js';
import type { ImportCheck } from '../surveys/import.service.js';
import { LANGUAGE_CODES, LANGUAGES, type LanguageCode } from '../surveys/languages.js';
import { CHANNELS } from '../surveys/response.model.js';
import { META_FIELDS, type ColumnLabels, type MetaField } from '../surveys/response-columns.js';
import { localize } from './form-view.js';

const META_KEYS: Record<MetaField, string> = { submission_id: 'submissionId', version: 'version', language: 'language', channel: 'channel', location: 'location', tag: 'tag', submitted_at: 'submittedAt' };

/** The export's readable headers and words in one interface language. */
export function columnLabels(t: TFunction): ColumnLabels {
  return {
    meta: Object.fromEntries(META_FIELDS.map((f) => [f, t(`data:columns.${META_KEYS[f]}`)])) as Record<MetaField, string>,
    otherColumn: (question) => t('data:columns.other', { question }),
    placeColumn: (question, place) => t('data:columns.place', { question, place }),
    otherOption: t('form.other'),
    channels: { web: t('staff:channels.web'), kiosk: t('staff:channels.kiosk'), paper: t('staff:channels.paper') },
  };
}

/** Everything an import recognises, in every interface language (a Spanish export imports into an English page). */
export function vocabularyFor(def: SurveyDefinition, i18n: I18n): ImportVocabulary {
  return importVocabulary(def, new Map(LANGUAGE_CODES.map((code) => [code, columnLabels(i18n.getFixedT(code))])));
}

type Labeler = (text: LocalizedText | undefined) => string;

function labeler(def: SurveyDefinition, lang: LanguageCode): Labeler {
  return (text) => localize(text, lang, def.defaultLanguage as LanguageCode);
}

const short = (text: string, max: number): string => ([...text].length > max ? `${[...text].slice(0, max - 1).join('').trimEnd()}…` : text);

/** How a mapping target reads in the select (long labels shortened) and in error lists: "3. Interests", "4. Priorities (place 2)". */
export function targetLabel(def: SurveyDefinition, target: string, t: TFunction, L: Labeler, maxLabel = Infinity): string {
  if (target === IGNORE) return t('data:import.ignore');
  if (target.startsWith('meta:')) return t(`data:columns.${META_KEYS[target.slice(5) as MetaField]}`);
  const qid = targetQuestion(target);
  const index = def.questions.findIndex((q) => q.id === qid);
  if (index < 0) return target;
  const question = t('data:import.questionRef', { number: index + 1, label: short(L(def.questions[index]!.label), maxLabel) });
  if (target.startsWith('rank:')) return t('data:columns.place', { question, place: Number(target.split(':')[2]) });
  if (target.startsWith('other:')) return t('data:columns.other', { question });
  return question;
}

export interface PreviewModel {
  batchId: string;
  fileName: string;
  rowCount: number;
  columns: { index: number; header: string; target: string; problem: string }[];
  choices: { value: string; label: string }[];
  sample: TableRow[];
  fileProblems: string[];
  rowErrors: { row: number; question: string; reason: string }[];
  moreErrors: number;
  problemRows: number;
  alreadyImported: number;
  toStore: number;
  ready: boolean;
}

const MAX_LISTED_ERRORS = 200;

/** Localizes a check for the preview page: mapping per column, problems with row, question and reason. */
export function previewModel(def: SurveyDefinition, vocab: ImportVocabulary, batch: StoredBatch, sample: TableRow[], check: ImportCheck, t: TFunction, lang: LanguageCode): PreviewModel {
  const L = labeler(def, lang);
  const questionLabel = (id: string): string => targetLabel(def, id.startsWith('meta:') ? id : `q:${id}`, t, L);
  const reason = (code: string, params: Record<string, string | number> = {}): string => {
    const extra: Record<string, string | number> = { ...params };
    if (typeof params.question === 'string') extra.question = questionLabel(params.question);
    if (code === 'exclusiveOption' || code === 'rankNotChosen') {
      const q = def.questions.find((x) => hasOptions(x) && x.options.some((o) => o.id === params.option));
      const option = q && hasOptions(q) ? q.options.find((o) => o.id === params.option) : undefined;
      extra.label = L(option?.label) || String(params.option ?? '');
    }
    return t(`data:import.reasons.${code}`, extra);
  };
  const columns = batch.headers.map((header, index) => {
    const p = check.mappingProblems.find((x) => x.column === index);
    return { index, header, target: batch.mapping[index] ?? IGNORE, problem: p ? reason(p.code, { ...p.params, first: p.params?.first ?? '' }) : '' };
  });
  return {
    batchId: batch.id,
    fileName: batch.fileName,
    rowCount: check.rowCount,
    columns,
    choices: [IGNORE, ...vocab.targets].map((value) => ({ value, label: targetLabel(def, value, t, L, 40) })),
    sample,
    fileProblems: check.mappingProblems.filter((p) => p.column === undefined).map((p) => reason(p.code, p.params)),
    rowErrors: check.problems.slice(0, MAX_LISTED_ERRORS).map((p) => ({ row: p.row, question: questionLabel(p.field), reason: reason(p.code, p.params) })),
    moreErrors: Math.max(0, check.problems.length - MAX_LISTED_ERRORS),
    problemRows: check.problemRows,
    alreadyImported: check.alreadyImported,
    toStore: check.toStore.length,
    ready: check.ready,
  };
}

export interface ExportField {
  name: string;
  id: string;
  label: string;
  options: { value: string; label: string; selected: boolean }[];
}

/** The export page's filter selects: demographic questions, channel, language, location (as on the dashboard). */
export function exportFields(def: SurveyDefinition, filter: ResponseFilter, locations: string[], t: TFunction, lang: LanguageCode): ExportField[] {
  const L = labeler(def, lang);
  const fields: ExportField[] = def.questions.filter((q) => q.demographic && hasOptions(q)).map((q) => ({
    name: `q.${q.id}`,
    id: `f-q-${q.id}`,
    label: L(q.label),
    options: hasOptions(q) ? q.options.map((o) => ({ value: o.id, label: L(o.label), selected: (filter.answers[q.id] ?? []).includes(o.id) })) : [],
  }));
  fields.push({ name: 'channel', id: 'f-channel', label: t('staff:filters.channel'), options: CHANNELS.map((c) => ({ value: c, label: t(`staff:channels.${c}`), selected: filter.channel === c })) });
  fields.push({ name: 'lang', id: 'f-lang', label: t('staff:filters.language'), options: LANGUAGES.filter((l) => (def.languages as string[]).includes(l.code)).map((l) => ({ value: l.code, label: l.name, selected: filter.lang === l.code })) });
  if (locations.length) fields.push({ name: 'location', id: 'f-location', label: t('staff:filters.location'), options: locations.map((l) => ({ value: l, label: l, selected: filter.location === l })) });
  return fields;
}
