import type { z } from 'zod';
import { LANGUAGE_CODES } from './languages.js';

/**
 * What can be wrong with a survey definition. Each code is an i18n key under
 * `builder:definition.<code>`; its params are plain values (ids, numbers, lists of ids), so a
 * staff page shows every problem in its own language.
 */
export const DEFINITION_PROBLEM_CODES = [
  // The shape (from the zod schema).
  'required',
  'expectedText',
  'expectedNumber',
  'expectedWholeNumber',
  'expectedBoolean',
  'expectedObject',
  'expectedList',
  'textEmpty',
  'textTooShort',
  'textTooLong',
  'listEmpty',
  'listTooShort',
  'listTooLong',
  'numberTooSmall',
  'numberTooLarge',
  'idFormat',
  'slugFormat',
  'textNoLanguage',
  'unknownLanguage',
  'unknownQuestionType',
  'unknownKeys',
  'mustEqual',
  'notAllowed',
  'invalid',
  // The sense (checks across the definition and the catalog).
  'defaultLanguageNotListed',
  'languageTwice',
  'defaultTextMissing',
  'questionIdTwice',
  'optionIdTwice',
  'otherReserved',
  'unknownTopic',
  'rankMoreThanOptions',
  'maxChoicesAboveOptions',
  'minAboveMax',
  'conditionCycle',
  'conditionUnknownQuestion',
  'conditionSelf',
  'conditionLater',
  'conditionNotChoice',
  'conditionUnknownOption',
  'pageIdTwice',
  'pageUnknownQuestion',
  'pageQuestionTwice',
  'questionNotOnPage',
  'conditionLaterPage',
  'rankFromUnknownQuestion',
  'rankFromLater',
  'rankFromNotMulti',
  'rankFromOptionsDiffer',
  'rankFromExclusive',
  'rankFromLaterPage',
] as const;
export type DefinitionProblemCode = (typeof DEFINITION_PROBLEM_CODES)[number];

export interface DefinitionProblem {
  /** Where the problem is, e.g. `questions[3].showIf.question`. */
  path: string;
  code: DefinitionProblemCode;
  params?: Record<string, string | number>;
}

/** Codes the schema sets as its own messages (refinements and patterns). */
export const SCHEMA_MESSAGES = { idFormat: 'idFormat', slugFormat: 'slugFormat', textNoLanguage: 'textNoLanguage' } as const;

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '') || '(root)';
}

/** A problem in one line of plain text, for logs and start-up errors (staff pages translate the code). */
export function describeProblem(p: DefinitionProblem): string {
  return `${p.path}: ${p.code}${p.params ? ` ${JSON.stringify(p.params)}` : ''}`;
}

const EXPECTED: Record<string, DefinitionProblemCode> = {
  string: 'expectedText',
  number: 'expectedNumber',
  int: 'expectedWholeNumber',
  boolean: 'expectedBoolean',
  object: 'expectedObject',
  record: 'expectedObject',
  array: 'expectedList',
};

/** A short, printable form of what the file had (never the whole value). */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function sizeProblem(issue: { origin?: string; minimum?: unknown; maximum?: unknown }, small: boolean): Omit<DefinitionProblem, 'path'> {
  const n = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') return small ? (n <= 1 ? { code: 'textEmpty' } : { code: 'textTooShort', params: { min: n } }) : { code: 'textTooLong', params: { max: n } };
  if (issue.origin === 'array' || issue.origin === 'set') return small ? (n <= 1 ? { code: 'listEmpty' } : { code: 'listTooShort', params: { min: n } }) : { code: 'listTooLong', params: { max: n } };
  return small ? { code: 'numberTooSmall', params: { min: n } } : { code: 'numberTooLarge', params: { max: n } };
}

/** One zod issue as a problem code with its params. */
function fromIssue(issue: z.core.$ZodIssue): Omit<DefinitionProblem, 'path'> {
  const raw = issue as z.core.$ZodIssue & { input?: unknown };
  // A value of the wrong type or not in a list, when there is no value at all, is missing.
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && raw.input === undefined) return { code: 'required' };
  switch (issue.code) {
    case 'invalid_type':
      return { code: EXPECTED[issue.expected] ?? 'invalid' };
    case 'too_small':
      return sizeProblem(issue, true);
    case 'too_big':
      return sizeProblem(issue, false);
    case 'invalid_format':
      return { code: issue.message === SCHEMA_MESSAGES.slugFormat ? 'slugFormat' : 'idFormat' };
    case 'custom':
      return { code: issue.message === SCHEMA_MESSAGES.textNoLanguage ? 'textNoLanguage' : 'invalid' };
    case 'unrecognized_keys':
      return { code: 'unknownKeys', params: { keys: issue.keys.join(', ') } };
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if ((issue as { discriminator?: string }).discriminator === 'type' && Array.isArray(options)) return { code: 'unknownQuestionType', params: { allowed: options.join(', ') } };
      return { code: 'invalid' };
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      if (values.length && values.every((v) => (LANGUAGE_CODES as string[]).includes(v))) return { code: 'unknownLanguage', params: { value: shown(raw.input), allowed: values.join(', ') } };
      if (values.length === 1) return { code: 'mustEqual', params: { value: values[0]! } };
      return { code: 'notAllowed', params: { allowed: values.join(', ') } };
    }
    default:
      return { code: 'invalid' };
  }
}

/**
 * The schema's issues as problems, one per path (a value that breaks two rules, like an empty
 * id that is also malformed, is listed once, with the first rule it breaks).
 */
export function problemsFromZod(error: z.ZodError): DefinitionProblem[] {
  const seen = new Set<string>();
  const problems: DefinitionProblem[] = [];
  for (const issue of error.issues) {
    const path = formatPath(issue.path);
    if (seen.has(path)) continue;
    seen.add(path);
    problems.push({ path, ...fromIssue(issue) });
  }
  return problems;
}
