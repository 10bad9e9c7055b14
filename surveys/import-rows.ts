import { createHash } from 'node:crypto';
import { cleanText, fieldName, parseAnswers, type AnswerValue } from './answers.js';
import type { LanguageCode } from './languages.js';
import type { Question } from './definition.schema.js';
import { normaliseKey, IGNORE, type ImportVocabulary } from './import-mapping.js';
import type { Channel } from './response.model.js';
import { isSubmissionId } from './response.service.js';
import { restoreCell } from './spreadsheet-cells.js';

export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** One problem in one row; `field` is a question id, or `meta:<field>` for the response's own columns. */
export interface RowProblem {
  row: number;
  field: string;
  code: string;
  params?: Record<string, string | number>;
}

export interface RowDefaults {
  lang: LanguageCode;
  channel: Channel;
  tag?: string;
  /** Dates after this are refused as typing mistakes. */
  now: Date;
}

export interface ConvertedRow {
  row: number;
  answers: Record<string, AnswerValue>;
  other: Record<string, string>;
  lang: LanguageCode;
  channel: Channel;
  location?: string;
  tag?: string;
  /** Undefined when the file has no date: the import time is used. */
  submittedAt?: Date;
  /** From a `submission_id` column; otherwise a stable id is derived from `contentKey`. */
  submissionId?: string;
  /** The row's normalised content, for the stable id. */
  contentKey: string;
  problems: RowProblem[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** A date cell: ISO 8601 (a time without an offset is UTC) or an Excel serial day number. */
export function parseDateCell(text: string): Date | null {
  const m = ISO_DATE.exec(text);
  let d: Date;
  if (m) {
    const offset = m[8] && !/^z$/i.test(m[8]) ? m[8].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z';
    d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}.${(m[7] ?? '0').padEnd(3, '0')}${offset}`);
    if (!Number.isNaN(d.getTime()) && !m[8] && d.toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}`) return null;
  } else if (/^\d{5}(?:\.\d+)?$/.test(text)) {
    d = new Date(EXCEL_EPOCH + Math.round(Number(text) * 86400000));
  } else return null;
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Splits a multi-choice or ranking cell on ";" (the separator the export writes). */
export function splitList(text: string): string[] {
  return text.split(';').map((s) => s.trim()).filter(Boolean);
}

/** Where each column's cells go, worked out once per file rather than once per cell. */
export interface ColumnPlan {
  kind: 'ignore' | 'meta' | 'answer' | 'other' | 'rank';
  target: string;
  /** The question id, or the meta field name. */
  id: string;
  question?: Question;
  place?: number;
}

export function planColumns(vocab: ImportVocabulary, mapping: string[]): ColumnPlan[] {
  return mapping.map((target) => {
    if (target === IGNORE) return { kind: 'ignore', target, id: '' };
    const [kind = '', id = '', place] = target.split(':');
    if (kind === 'meta') return { kind, target, id };
    const question = vocab.def.questions.find((q) => q.id === id);
    if (!question) return { kind: 'ignore', target, id };
    if (kind === 'rank') return { kind, target, id, question, place: Number(place) };
    return { kind: kind === 'other' ? 'other' : 'answer', target, id, question };
  });
}

/**
 * Turns one row into the form fields the web form would post, checks them with the same
 * `parseAnswers` as every other channel, and reads the response's own columns.
 */
export function convertRow(vocab: ImportVocabulary, plan: ColumnPlan[], row: number, cells: string[], defaults: RowDefaults): ConvertedRow {
  const { def } = vocab;
  const problems: RowProblem[] = [];
  const problem = (field: string, code: string, params?: RowProblem['params']): void => void problems.push({ row, field, code, ...(params ? { params } : {}) });
  const body: Record<string, string | string[]> = {};
  const meta: Record<string, string> = {};
  const out: Omit<ConvertedRow, 'answers' | 'other' | 'contentKey' | 'problems'> = { row, lang: defaults.lang, channel: defaults.channel, ...(defaults.tag ? { tag: defaults.tag } : {}) };
  const option = (qid: string, text: string): string | null => {
    const id = vocab.options.get(qid)?.get(normaliseKey(text));
    if (id === undefined) problem(qid, 'unknownOption', { value: text.slice(0, 80) });
    return id ?? null;
  };

  plan.forEach((column, i) => {
    if (column.kind === 'ignore') return;
    const text = restoreCell((cells[i] ?? '').trim());
    if (text === '') return;
    const { id: qid, question: q, target } = column;
    if (column.kind === 'meta') return void (meta[qid] = text);
    if (!q) return;
    if (column.kind === 'other') body[target] = text;
    else if (column.kind === 'rank') {
      const id = option(qid, text);
      if (id) body[fieldName.rank(qid, column.place!)] = id;
    } else if (q.type === 'ranking') {
      splitList(text).forEach((t, n) => {
        const id = option(qid, t);
        if (id) body[fieldName.rank(qid, n + 1)] = id;
      });
    } else if (q.type === 'multi') {
      body[target] = splitList(text).map((t) => option(qid, t)).filter((id): id is string => id !== null);
    } else if (q.type === 'single' || q.type === 'rating') {
      const id = option(qid, text);
      if (id) body[target] = id;
    } else {
      body[target] = text;
    }
  });

  if (meta.submission_id !== undefined) {
    if (isSubmissionId(meta.submission_id)) out.submissionId = meta.submission_id;
    else problem('meta:submission_id', 'invalidSubmissionId');
  }
  if (meta.language !== undefined) {
    const lang = vocab.languages.get(normaliseKey(meta.language));
    if (lang && (def.languages as string[]).includes(lang)) out.lang = lang;
    else problem('meta:language', 'unknownLanguage', { value: meta.language.slice(0, 40) });
  }
  if (meta.channel !== undefined) {
    const channel = vocab.channels.get(normaliseKey(meta.channel));
    if (channel) out.channel = channel;
    else problem('meta:channel', 'unknownChannel', { value: meta.channel.slice(0, 40) });
  }
  if (meta.submitted_at !== undefined) {
    const d = parseDateCell(meta.submitted_at);
    if (d && d.getTime() >= Date.UTC(2000, 0, 1) && d.getTime() <= defaults.now.getTime() + 86400000) out.submittedAt = d;
    else problem('meta:submitted_at', 'invalidDate', { value: meta.submitted_at.slice(0, 40) });
  }
  if (meta.location !== undefined) out.location = cleanText(meta.location, false).slice(0, 60);
  if (meta.tag !== undefined) {
    const tag = meta.tag.toLowerCase();
    if (TAG_PATTERN.test(tag)) out.tag = tag;
    else problem('meta:tag', 'invalidTag');
  }

  const parsed = parseAnswers(def, body);
  const reported = new Set(problems.map((p) => p.field));
  for (const p of parsed.problems) if (!reported.has(p.field)) problem(p.field, p.code, p.params);
  // What the row says, independent of column order, header language or option labels vs ids
  // (parseAnswers fills answers and other in question order, so the JSON is canonical).
  const contentKey = JSON.stringify([parsed.answers, parsed.other, out.lang, out.channel, out.location ?? '', out.tag ?? '', out.submittedAt?.toISOString() ?? '']);
  return { ...out, answers: parsed.answers, other: parsed.other, contentKey, problems };
}

/**
 * A stable submission id for a row without one: a hash of the survey, the row's normalised
 * content and how many identical rows came before it in the file. Importing the same file
 * again gives the same ids (so nothing is stored twice), while two people who gave identical
 * answers on paper still count as two.
 */
export function stableSubmissionId(slug: string, contentKey: string, occurrence: number): string {
  return `imp-${createHash('sha256').update(`${slug}\u0000${contentKey}\u0000${occurrence}`).digest('hex').slice(0, 40)}`;
}
