import { fieldName, OTHER, type AnswerValue } from './answers.js';
import { hasOptions, type LocalizedText, type Question, type SurveyDefinition } from './definition.schema.js';
import { languageName, type LanguageCode } from './languages.js';
import type { Channel } from './response.model.js';

/** Columns about a response rather than its answers, in export order. */
export const META_FIELDS = ['submission_id', 'version', 'language', 'channel', 'location', 'tag', 'submitted_at'] as const;
export type MetaField = (typeof META_FIELDS)[number];
export const metaTarget = (f: MetaField): string => `meta:${f}`;

/** Localized words of the readable export, in one language (built from the `data` namespace). */
export interface ColumnLabels {
  meta: Record<MetaField, string>;
  otherColumn: (question: string) => string;
  placeColumn: (question: string, place: number) => string;
  otherOption: string;
  channels: Record<Channel, string>;
}

export interface ResponseColumn {
  /** What the column holds, named like the form field it fills (`q:age`, `rank:priorities:2`, `other:interests`), or `meta:<field>`. */
  target: string;
  /** The header of the id export: `age`, `priorities_2`, `interests_other`, `submission_id`. */
  idHeader: string;
  /** The readable header in the chosen language. */
  label: string;
  question?: Question;
  place?: number;
  meta?: MetaField;
}

/** A stored response as the exports read it. */
export interface ExportableResponse {
  submissionId: string;
  surveyVersion: number;
  lang: string;
  channel: string;
  location?: string | null;
  tag?: string | null;
  submittedAt: Date;
  answers: Record<string, AnswerValue>;
  other: Record<string, string>;
}

export type CellValue = string | number | Date | null;

export function localized(text: LocalizedText | undefined, lang: LanguageCode, fallback: LanguageCode): string {
  if (!text) return '';
  return text[lang] ?? text[fallback] ?? Object.values(text)[0] ?? '';
}

/**
 * The columns of a response export, one per question (a ranking: one per place; "other" texts
 * in a column of their own), after the response's own fields. Import reads the same columns,
 * so an export always maps back.
 */
export function responseColumns(def: SurveyDefinition, lang: LanguageCode, labels: ColumnLabels): ResponseColumn[] {
  const L = (text: LocalizedText | undefined): string => localized(text, lang, def.defaultLanguage as LanguageCode);
  const columns: ResponseColumn[] = META_FIELDS.map((meta) => ({ target: metaTarget(meta), idHeader: meta, label: labels.meta[meta], meta }));
  for (const q of def.questions) {
    const label = L(q.label);
    if (q.type === 'ranking') {
      for (let place = 1; place <= q.top; place++) columns.push({ target: fieldName.rank(q.id, place), idHeader: `${q.id}_${place}`, label: labels.placeColumn(label, place), question: q, place });
    } else {
      columns.push({ target: fieldName.answer(q.id), idHeader: q.id, label, question: q });
    }
    if ('other' in q && q.other) columns.push({ target: fieldName.other(q.id), idHeader: `${q.id}_other`, label: labels.otherColumn(label), question: q });
  }
  return columns;
}

/** One cell of an export: ids (`ids`), or labels in `lang` (`labels`). Numbers stay numbers. */
export function cellValue(column: ResponseColumn, r: ExportableResponse, mode: 'ids' | 'labels', lang: LanguageCode, def: SurveyDefinition, labels: ColumnLabels): CellValue {
  const optionLabel = (q: Question, id: string): string => {
    if (mode === 'ids') return id;
    if (id === OTHER) return labels.otherOption;
    const option = hasOptions(q) ? q.options.find((o) => o.id === id) : undefined;
    return option ? localized(option.label, lang, def.defaultLanguage as LanguageCode) : id;
  };
  switch (column.meta) {
    case 'submission_id':
      return r.submissionId;
    case 'version':
      return r.surveyVersion;
    case 'language':
      return mode === 'ids' ? r.lang : languageName(r.lang as LanguageCode);
    case 'channel':
      return mode === 'ids' ? r.channel : (labels.channels[r.channel as Channel] ?? r.channel);
    case 'location':
      return r.location ?? null;
    case 'tag':
      return r.tag ?? null;
    case 'submitted_at':
      return r.submittedAt;
  }
  const q = column.question!;
  if (column.target.startsWith('other:')) return r.other?.[q.id] ?? null;
  const value = r.answers?.[q.id];
  if (value === undefined || value === '') return null;
  if (column.place !== undefined) {
    const pick = Array.isArray(value) ? value[column.place - 1] : undefined;
    return pick === undefined ? null : optionLabel(q, pick);
  }
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((id) => optionLabel(q, id)).join('; ');
  return hasOptions(q) ? optionLabel(q, value) : value;
}
