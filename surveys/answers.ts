import { createHash } from 'node:crypto';
import { hasOptions, type ChoiceQuestion, type Question, type SurveyDefinition } from './definition.schema.js';
import { placesFor, rankableIds } from './rank-from.js';

type RankingQuestion = Extract<Question, { type: 'ranking' }>;

/** A stored answer: one option id, several (in order for a ranking), a number, or text. */
export type AnswerValue = string | string[] | number;

export interface AnswerProblem {
  /** The question id, or `contact` / `form` for problems outside a question. */
  field: string;
  code: string;
  params?: Record<string, string | number>;
}

/** What the form showed and the person typed, so an invalid form comes back filled in. */
export type FormValues = Record<string, string | string[]>;

export interface ParsedAnswers {
  answers: Record<string, AnswerValue>;
  other: Record<string, string>;
  problems: AnswerProblem[];
  values: FormValues;
}

export const OTHER = 'other';
export const fieldName = {
  answer: (qid: string): string => `q:${qid}`,
  other: (qid: string): string => `other:${qid}`,
  rank: (qid: string, place: number): string => `rank:${qid}:${place}`,
};
const FIELD_PREFIX = /^(q|other|rank):([^:]*)(?::(\d+))?$/;

/** Cleans free text: well-formed Unicode, NFC, no control characters except line breaks and tabs. */
export function cleanText(value: string, multiline: boolean): string {
  const wellFormed = value.toWellFormed();
  // Control characters are exactly what this removes.
  // eslint-disable-next-line no-control-regex
  const noControls = wellFormed.replace(multiline ? /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g : /[\u0000-\u001F\u007F]/g, multiline ? '' : ' ');
  return noControls.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

/** Counts characters as people see them (code points), not UTF-16 units. */
export function textLength(value: string): number {
  return [...value].length;
}

type Raw = unknown;

function toMany(got: { value?: string; wrongType?: boolean }): { values?: string[]; wrongType?: boolean } {
  return got.wrongType ? { wrongType: true } : { values: got.value ? [got.value] : [] };
}

/** A single string from a field, or a problem when the field holds an object or several values. */
function single(raw: Raw): { value?: string; wrongType?: boolean } {
  if (raw === undefined || raw === null) return {};
  if (typeof raw === 'string') return { value: raw };
  if (typeof raw === 'number' && Number.isFinite(raw)) return { value: String(raw) };
  if (Array.isArray(raw) && raw.length === 1 && typeof raw[0] === 'string') return { value: raw[0] };
  return { wrongType: true };
}

function many(raw: Raw): { values?: string[]; wrongType?: boolean } {
  if (raw === undefined || raw === null) return { values: [] };
  if (typeof raw === 'string') return { values: raw === '' ? [] : [raw] };
  if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return { values: (raw as string[]).filter((v) => v !== '') };
  return { wrongType: true };
}

/** Whether a question is shown, given the answers parsed so far (conditions point backwards). */
export function isShown(q: Question, answers: Record<string, AnswerValue>): boolean {
  if (!q.showIf) return true;
  const answer = answers[q.showIf.question];
  const chosen = Array.isArray(answer) ? answer : answer === undefined ? [] : [String(answer)];
  return chosen.some((id) => q.showIf!.anyOf.includes(id));
}

function addProblem(out: ParsedAnswers, field: string, code: string, params?: AnswerProblem['params']): void {
  out.problems.push({ field, code, ...(params ? { params } : {}) });
}

// The checks below run for every question of every submission: they scan the few dozen options
// rather than build a Set per question and answer, and allocate no closures.

function isOptionOf(q: ChoiceQuestion, id: string): boolean {
  for (const o of q.options) if (o.id === id) return true;
  return false;
}

function hasDuplicates(ids: string[]): boolean {
  for (let i = 1; i < ids.length; i++) if (ids.indexOf(ids[i]!) < i) return true;
  return false;
}

/**
 * A ranking over what the person chose in an earlier question (`rankFrom`). With fewer than two
 * chosen it is not asked and places sent anyway are dropped, like a hidden question's; exactly
 * one chosen is recorded as that topic in first place, because that is the person's order (so
 * Borda points do not pass over people with a single interest). Otherwise only chosen options
 * may be ranked.
 */
function rankChosen(q: RankingQuestion, picks: string[], rankable: string[], out: ParsedAnswers): void {
  if (placesFor(q, rankable.length) === 0) {
    if (rankable.length === 1) out.answers[q.id] = rankable;
    return;
  }
  for (const id of picks) if (!isOptionOf(q, id)) return addProblem(out, q.id, 'invalidOption');
  for (const id of picks) if (!rankable.includes(id)) return addProblem(out, q.id, 'rankNotChosen', { option: id, question: q.rankFrom! });
  if (hasDuplicates(picks)) return addProblem(out, q.id, 'rankingDuplicate');
  if (picks.length === 0) return q.required ? addProblem(out, q.id, 'required') : undefined;
  out.answers[q.id] = picks;
}

function parseQuestion(q: Question, body: Record<string, Raw>, out: ParsedAnswers, rankable?: string[]): void {
  const name = fieldName.answer(q.id);

  switch (q.type) {
    case 'single':
    case 'multi': {
      const got = q.type === 'single' ? toMany(single(body[name])) : many(body[name]);
      if (got.wrongType) return addProblem(out, q.id, 'wrongType');
      const chosen = got.values ?? [];
      out.values[name] = q.type === 'single' ? (chosen[0] ?? '') : chosen;
      const otherName = fieldName.other(q.id);
      const otherRaw = single(body[otherName]);
      if (otherRaw.wrongType) return addProblem(out, q.id, 'wrongType');
      const otherText = q.other ? cleanText(otherRaw.value ?? '', false) : '';
      if (q.other) out.values[otherName] = otherRaw.value ?? '';
      // Typing in "Other" but forgetting to tick it still counts as choosing "Other".
      if (otherText && !chosen.includes(OTHER) && (q.type === 'multi' || chosen.length === 0)) chosen.push(OTHER);
      for (const id of chosen) if (!(isOptionOf(q, id) || (q.other && id === OTHER))) return addProblem(out, q.id, 'invalidOption');
      if (hasDuplicates(chosen)) return addProblem(out, q.id, 'invalidOption');
      if (chosen.length === 0) return q.required ? addProblem(out, q.id, 'required') : undefined;
      if (q.type === 'multi') {
        const exclusive = chosen.length > 1 ? q.options.find((o) => o.exclusive && chosen.includes(o.id)) : undefined;
        if (exclusive) return addProblem(out, q.id, 'exclusiveOption', { option: exclusive.id });
        if (q.maxChoices && chosen.length > q.maxChoices) return addProblem(out, q.id, 'tooMany', { max: q.maxChoices });
      }
      if (chosen.includes(OTHER)) {
        if (!otherText) return addProblem(out, q.id, 'otherRequired');
        if (textLength(otherText) > 200) return addProblem(out, q.id, 'tooLong', { max: 200 });
        out.other[q.id] = otherText;
      }
      out.answers[q.id] = q.type === 'single' ? chosen[0]! : chosen;
      return;
    }
    case 'ranking': {
      const picks: string[] = [];
      for (let place = 1; place <= q.top; place++) {
        const rankName = fieldName.rank(q.id, place);
        const got = single(body[rankName]);
        if (got.wrongType) return addProblem(out, q.id, 'wrongType');
        out.values[rankName] = got.value ?? '';
        if (got.value) picks.push(got.value);
      }
      if (rankable) return rankChosen(q, picks, rankable, out);
      for (const id of picks) if (!isOptionOf(q, id)) return addProblem(out, q.id, 'invalidOption');
      if (hasDuplicates(picks)) return addProblem(out, q.id, 'rankingDuplicate');
      // Empty places are closed up: choosing only places 2 and 3 means a top two.
      if (picks.length === 0) return q.required ? addProblem(out, q.id, 'required') : undefined;
      out.answers[q.id] = picks;
      return;
    }
    case 'rating': {
      const got = single(body[name]);
      if (got.wrongType) return addProblem(out, q.id, 'wrongType');
      out.values[name] = got.value ?? '';
      if (!got.value) return q.required ? addProblem(out, q.id, 'required') : undefined;
      if (!/^[1-5]$/.test(got.value)) return addProblem(out, q.id, 'invalidOption');
      out.answers[q.id] = Number(got.value);
      return;
    }
    case 'number': {
      const got = single(body[name]);
      if (got.wrongType) return addProblem(out, q.id, 'wrongType');
      const text = (got.value ?? '').trim();
      out.values[name] = got.value ?? '';
      if (!text) return q.required ? addProblem(out, q.id, 'required') : undefined;
      if (!/^-?\d{1,9}$/.test(text)) return addProblem(out, q.id, 'notANumber');
      const n = Number(text);
      if (n < q.min || n > q.max) return addProblem(out, q.id, 'outOfRange', { min: q.min, max: q.max });
      out.answers[q.id] = n;
      return;
    }
    case 'shortText':
    case 'longText': {
      const got = single(body[name]);
      if (got.wrongType) return addProblem(out, q.id, 'wrongType');
      out.values[name] = got.value ?? '';
      const text = cleanText(got.value ?? '', q.type === 'longText');
      if (!text) return q.required ? addProblem(out, q.id, 'required') : undefined;
      if (textLength(text) > q.maxLength) return addProblem(out, q.id, 'tooLong', { max: q.maxLength });
      out.answers[q.id] = text;
      return;
    }
  }
}

/**
 * Parses and validates submitted form fields against a definition. Hidden conditional
 * questions are skipped (their answers dropped); fields naming unknown questions are refused.
 */
export function parseAnswers(def: SurveyDefinition, body: Record<string, Raw>): ParsedAnswers {
  const out: ParsedAnswers = { answers: {}, other: {}, problems: [], values: {} };
  const ids = new Set(def.questions.map((q) => q.id));
  for (const key of Object.keys(body)) {
    const m = FIELD_PREFIX.exec(key);
    if (!m) continue;
    if (!ids.has(m[2]!)) {
      out.problems.push({ field: 'form', code: 'unknownQuestion' });
      break;
    }
  }
  for (const q of def.questions) {
    const from = q.type === 'ranking' && q.rankFrom ? out.answers[q.rankFrom] : undefined;
    parseQuestion(q, body, out, q.type === 'ranking' && q.rankFrom ? rankableIds(q, Array.isArray(from) ? from : []) : undefined);
    if (!isShown(q, out.answers)) {
      delete out.answers[q.id];
      delete out.other[q.id];
      out.problems = out.problems.filter((p) => p.field !== q.id);
    }
  }
  return out;
}

/** A stable hash of the answers: the same person retrying gets the same fingerprint. */
export function fingerprint(answers: Record<string, AnswerValue>, other: Record<string, string>): string {
  const canonical = (o: Record<string, unknown>): string =>
    JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
  return createHash('sha256').update(canonical(answers)).update('\u0000').update(canonical(other)).digest('hex');
}

export function questionsWithOptions(def: SurveyDefinition): Question[] {
  return def.questions.filter(hasOptions);
}
