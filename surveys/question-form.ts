import type { FieldProblem } from '../server/errors.js';
import { idFromLabel } from './builder-ids.js';
import { hasOptions, Question as QuestionSchema, type Option, type Question } from './definition.schema.js';
import { problemsFromZod } from './definition-problems.js';
import { MAX_TEXT, withOptionalText, withText, type Draft } from './draft.js';
import type { LanguageCode } from './languages.js';

/** One option row of the question form; `id` is empty for a new option (its id is made from the label). */
export interface OptionRow {
  row: number;
  id: string;
  label: string;
  help: string;
  topic: string;
  exclusive: boolean;
  remove: boolean;
  /** Where the row stands in the list, when the page says so (rows moved in the browser keep their names). */
  pos?: number;
}

/** What the question form shows: the question's values, or what was typed. */
export interface QuestionFormValues {
  label: string;
  help: string;
  required: boolean;
  demographic: boolean;
  other: boolean;
  maxChoices: string;
  top: string;
  min: string;
  max: string;
  maxLength: string;
  topic: string;
  scale: string[];
  options: OptionRow[];
  showIf: string;
  /** Chosen condition answers as `<question>:<option>`, so each question's boxes keep their state. */
  anyOf: string[];
}

const MAX_ROWS = 200;
const text = (v: unknown): string => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : Array.isArray(v) ? text(v[0]) : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

/** The form values of a stored question, in the survey's default language. */
export function valuesFromQuestion(q: Question, lang: LanguageCode): QuestionFormValues {
  const options = hasOptions(q) ? q.options : [];
  return {
    label: q.label[lang] ?? '',
    help: q.help?.[lang] ?? '',
    required: q.required,
    demographic: q.demographic,
    other: 'other' in q && q.other === true,
    maxChoices: q.type === 'multi' && q.maxChoices ? String(q.maxChoices) : '',
    top: q.type === 'ranking' ? String(q.top) : '',
    min: q.type === 'number' ? String(q.min) : '',
    max: q.type === 'number' ? String(q.max) : '',
    maxLength: q.type === 'shortText' || q.type === 'longText' ? String(q.maxLength) : '',
    topic: q.type === 'rating' ? (q.topic ?? '') : '',
    scale: q.type === 'rating' ? ([1, 2, 3, 4, 5] as const).map((n) => q.scale.labels[n][lang] ?? '') : ['', '', '', '', ''],
    options: options.map((o, row) => ({ row, id: o.id, label: o.label[lang] ?? '', help: o.help?.[lang] ?? '', topic: o.topic ?? '', exclusive: o.exclusive === true, remove: false })),
    showIf: q.showIf?.question ?? '',
    anyOf: q.showIf ? q.showIf.anyOf.map((id) => `${q.showIf!.question}:${id}`) : [],
  };
}

function position(raw: unknown): { pos?: number } {
  const value = text(raw);
  return /^\d{1,3}$/.test(value) && Number(value) < MAX_ROWS ? { pos: Number(value) } : {};
}

/** Reads the posted form (option rows are `o<n>_label`, `o<n>_id`, ...). */
export function readQuestionForm(body: Record<string, unknown>): QuestionFormValues {
  const rows = new Set<number>();
  for (const key of Object.keys(body)) {
    const m = /^o(\d{1,3})_(?:label|id)$/.exec(key);
    if (m && Number(m[1]) < MAX_ROWS) rows.add(Number(m[1]));
  }
  const on = (k: string): boolean => text(body[k]) !== '';
  return {
    label: text(body.label),
    help: text(body.help),
    required: on('required'),
    demographic: on('demographic'),
    other: on('other'),
    maxChoices: text(body.maxChoices),
    top: text(body.top),
    min: text(body.min),
    max: text(body.max),
    maxLength: text(body.maxLength),
    topic: text(body.topic),
    scale: [1, 2, 3, 4, 5].map((n) => text(body[`scale${n}`])),
    options: [...rows]
      .map((row) => ({ row, id: text(body[`o${row}_id`]), label: text(body[`o${row}_label`]), help: text(body[`o${row}_help`]), topic: text(body[`o${row}_topic`]), exclusive: on(`o${row}_exclusive`), remove: on(`o${row}_remove`), ...position(body[`o${row}_pos`]) }))
      // Rows in the order the page shows them; rows added in the browser (no position) go last.
      .sort((a, b) => (a.pos ?? MAX_ROWS + a.row) - (b.pos ?? MAX_ROWS + b.row) || a.row - b.row),
    showIf: text(body.showIf),
    anyOf: list(body.anyOf),
  };
}

/**
 * The form with one answer row moved up or down past the next answer (blank rows for new
 * answers are skipped). An unknown row, or a move past either end, changes nothing.
 */
export function moveOptionRow(values: QuestionFormValues, row: number, direction: 'up' | 'down'): QuestionFormValues {
  const options = [...values.options];
  const i = options.findIndex((o) => o.row === row);
  if (i < 0) return values;
  const step = direction === 'up' ? -1 : 1;
  let j = i + step;
  while (j >= 0 && j < options.length && !options[j]!.id && !options[j]!.label) j += step;
  if (j < 0 || j >= options.length) return values;
  [options[i], options[j]] = [options[j]!, options[i]!];
  return { ...values, options };
}

function integer(raw: string, field: string, problems: FieldProblem[], range: [number, number]): number {
  if (!/^-?\d{1,9}$/.test(raw)) {
    problems.push({ field, code: 'wholeNumber' });
    return Number.NaN;
  }
  const n = Number(raw);
  if (n < range[0] || n > range[1]) problems.push({ field, code: 'numberRange', params: { min: range[0], max: range[1] } });
  return n;
}

function longText(value: string, field: string, problems: FieldProblem[]): void {
  if (value.length > MAX_TEXT) problems.push({ field, code: 'textTooLong', params: { max: MAX_TEXT } });
}

/** Turns the option rows into options: existing ids kept, new ids made from labels, removed rows dropped. */
function readOptions(q: Question & { options: Option[] }, v: QuestionFormValues, lang: LanguageCode, topicIds: ReadonlySet<string>, problems: FieldProblem[]): Option[] {
  const existing = new Map(q.options.map((o) => [o.id, o]));
  const taken = new Set(existing.keys());
  const options: Option[] = [];
  for (const row of v.options) {
    const old = row.id ? existing.get(row.id) : undefined;
    if (row.remove && old) continue;
    if (!old && !row.label && !row.help) continue; // a blank row for a new option
    const field = `o${row.row}_label`;
    if (!row.label) problems.push({ field, code: 'labelRequired' });
    longText(row.label, field, problems);
    longText(row.help, `o${row.row}_help`, problems);
    if (row.topic && !topicIds.has(row.topic)) problems.push({ field: `o${row.row}_topic`, code: 'unknownTopic' });
    const id = old?.id ?? idFromLabel(row.label, taken, 'option', ['other']);
    taken.add(id);
    const option: Option = { ...old, id, label: withText(old?.label, lang, row.label) };
    const help = withOptionalText(old?.help, lang, row.help);
    if (help) option.help = help;
    else delete option.help;
    if (row.topic) option.topic = row.topic;
    else delete option.topic;
    if (q.type === 'multi') {
      if (row.exclusive) option.exclusive = true;
      else delete option.exclusive;
    }
    options.push(option);
  }
  const min = q.type === 'multi' ? 1 : 2;
  if (options.length < min) problems.push({ field: 'options', code: 'optionsTooFew', params: { count: min } });
  if (options.length > 60) problems.push({ field: 'options', code: 'optionsTooMany', params: { max: 60 } });
  return options;
}

/** The `showIf` condition: an earlier single or multiple choice question and some of its answers. */
function readCondition(draft: Draft, index: number, v: QuestionFormValues, problems: FieldProblem[]): Question['showIf'] {
  if (!v.showIf) return undefined;
  const target = draft.questions.slice(0, index).find((x) => x.id === v.showIf);
  if (!target || (target.type !== 'single' && target.type !== 'multi')) {
    problems.push({ field: 'showIf', code: 'conditionQuestion' });
    return undefined;
  }
  const allowed = new Set([...target.options.map((o) => o.id), ...(target.other ? ['other'] : [])]);
  const prefix = `${target.id}:`;
  const anyOf = [...new Set(v.anyOf.filter((x) => x.startsWith(prefix)).map((x) => x.slice(prefix.length)))].filter((id) => allowed.has(id));
  if (!anyOf.length) problems.push({ field: 'showIf', code: 'conditionAnswers' });
  return { question: target.id, anyOf };
}

/**
 * Applies the question form to the question at `index`: the id and type never change; option
 * ids are kept for existing options. Returns the new question and every problem by form field.
 */
export function questionFromForm(draft: Draft, index: number, v: QuestionFormValues, topicIds: ReadonlySet<string>): { question: Question; problems: FieldProblem[] } {
  const q = draft.questions[index]!;
  const lang = draft.defaultLanguage as LanguageCode;
  const problems: FieldProblem[] = [];
  if (!v.label) problems.push({ field: 'label', code: 'labelRequired' });
  longText(v.label, 'label', problems);
  longText(v.help, 'help', problems);
  const next = { ...q, label: withText(q.label, lang, v.label), required: v.required, demographic: v.demographic } as Question;
  const help = withOptionalText(q.help, lang, v.help);
  if (help) next.help = help;
  else delete next.help;
  const showIf = readCondition(draft, index, v, problems);
  if (showIf) next.showIf = showIf;
  else delete next.showIf;

  if (hasOptions(next) && hasOptions(q)) next.options = readOptions(q, v, lang, topicIds, problems);
  if (next.type === 'single' || next.type === 'multi') next.other = v.other;
  if (next.type === 'multi') {
    if (v.maxChoices) next.maxChoices = integer(v.maxChoices, 'maxChoices', problems, [1, next.options.length || 60]);
    else delete next.maxChoices;
  }
  // With too few options the options are the problem to report, not the number to rank.
  if (next.type === 'ranking') next.top = integer(v.top, 'top', problems, [1, next.options.length >= 2 ? Math.min(10, next.options.length) : 10]);
  if (next.type === 'number') {
    next.min = integer(v.min, 'min', problems, [-1e9, 1e9]);
    next.max = integer(v.max, 'max', problems, [-1e9, 1e9]);
    if (next.min > next.max) problems.push({ field: 'max', code: 'minAboveMax' });
  }
  if (next.type === 'shortText') next.maxLength = integer(v.maxLength, 'maxLength', problems, [1, 500]);
  if (next.type === 'longText') next.maxLength = integer(v.maxLength, 'maxLength', problems, [1, 10000]);
  if (next.type === 'rating' && q.type === 'rating') {
    const labels = { ...q.scale.labels };
    for (const n of [1, 2, 3, 4, 5] as const) {
      const value = v.scale[n - 1] ?? '';
      if (!value) problems.push({ field: `scale${n}`, code: 'labelRequired' });
      longText(value, `scale${n}`, problems);
      labels[n] = withText(labels[n], lang, value);
    }
    next.scale = { ...q.scale, labels };
    if (v.topic && !topicIds.has(v.topic)) problems.push({ field: 'topic', code: 'unknownTopic' });
    if (v.topic) next.topic = v.topic;
    else delete next.topic;
  }
  // Anything the checks above do not cover is still caught by the schema, reported by path.
  if (!problems.length) {
    const parsed = QuestionSchema.safeParse(next, { reportInput: true });
    if (!parsed.success) for (const p of problemsFromZod(parsed.error)) problems.push({ field: 'form', code: `definition.${p.code}`, ...(p.params ? { params: p.params } : {}) });
  }
  return { question: next, problems };
}
