import { z } from 'zod';
import { SCHEMA_MESSAGES } from './definition-problems.js';
import { LANGUAGE_CODES } from './languages.js';

/** Ids are stable, lower-case and safe as object keys in MongoDB (no `.` and no leading `$`). */
export const Id = z
  .string()
  .min(1)
  .max(60)
  // Letters, digits, "-" and "_" (no spaces, dots or "$"). Messages here are problem codes.
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, SCHEMA_MESSAGES.idFormat);

const Language = z.enum(LANGUAGE_CODES as [string, ...string[]]);

/** Text in several languages: `{ "en": "...", "es": "..." }`. */
export const LocalizedText = z.partialRecord(Language, z.string().max(2000)).refine((v) => Object.keys(v).length > 0, SCHEMA_MESSAGES.textNoLanguage);
export type LocalizedText = z.infer<typeof LocalizedText>;

export const Option = z.strictObject({
  id: Id,
  label: LocalizedText,
  help: LocalizedText.optional(),
  /** A catalog topic this option expresses interest in (analytics score topics from it). */
  topic: Id.optional(),
  /** An answer like "none of these" that cannot be combined with the others. */
  exclusive: z.boolean().optional(),
});
export type Option = z.infer<typeof Option>;

const Condition = z.strictObject({
  question: Id,
  anyOf: z.array(Id).min(1),
});

const base = {
  id: Id,
  label: LocalizedText,
  help: LocalizedText.optional(),
  required: z.boolean().default(false),
  demographic: z.boolean().default(false),
  showIf: Condition.optional(),
};

const Single = z.strictObject({ ...base, type: z.literal('single'), options: z.array(Option).min(2).max(60), other: z.boolean().default(false) });
const Multi = z.strictObject({
  ...base,
  type: z.literal('multi'),
  options: z.array(Option).min(1).max(60),
  other: z.boolean().default(false),
  maxChoices: z.number().int().min(1).optional(),
});
const Rating = z.strictObject({
  ...base,
  type: z.literal('rating'),
  topic: Id.optional(),
  scale: z.strictObject({
    min: z.literal(1),
    max: z.literal(5),
    labels: z.strictObject({ 1: LocalizedText, 2: LocalizedText, 3: LocalizedText, 4: LocalizedText, 5: LocalizedText }),
  }),
});
const Ranking = z.strictObject({
  ...base,
  type: z.literal('ranking'),
  top: z.number().int().min(1).max(10),
  options: z.array(Option).min(2).max(60),
  /**
   * An earlier several-choice question with the same options: only what the person chose there
   * is offered (and accepted) here, and with fewer than two chosen the ranking is not asked.
   */
  rankFrom: Id.optional(),
});
const ShortText = z.strictObject({ ...base, type: z.literal('shortText'), maxLength: z.number().int().min(1).max(500).default(200) });
const LongText = z.strictObject({ ...base, type: z.literal('longText'), maxLength: z.number().int().min(1).max(10000).default(2000) });
const NumberQ = z.strictObject({ ...base, type: z.literal('number'), min: z.number().int(), max: z.number().int() });

export const Question = z.discriminatedUnion('type', [Single, Multi, Rating, Ranking, ShortText, LongText, NumberQ]);
export type Question = z.infer<typeof Question>;
export type QuestionType = Question['type'];
export type ChoiceQuestion = Extract<Question, { type: 'single' | 'multi' | 'ranking' }>;

/**
 * A page of the form: a few questions shown together, with an optional heading. A definition
 * without pages is one page of every question, as before pages existed.
 */
export const Page = z.strictObject({
  id: Id,
  title: LocalizedText.optional(),
  questions: z.array(Id).min(1).max(100),
});
export type Page = z.infer<typeof Page>;

export const SurveyDefinition = z.strictObject({
  slug: z.string().min(2).max(60).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, SCHEMA_MESSAGES.slugFormat),
  defaultLanguage: Language,
  languages: z.array(Language).min(1),
  title: LocalizedText,
  intro: LocalizedText.optional(),
  questions: z.array(Question).min(1).max(100),
  pages: z.array(Page).min(1).max(30).optional(),
});
export type SurveyDefinition = z.infer<typeof SurveyDefinition>;
/** The definition as written in a file, before defaults are filled in. */
export type SurveyDefinitionInput = z.input<typeof SurveyDefinition>;

export function hasOptions(q: Question): q is ChoiceQuestion {
  return q.type === 'single' || q.type === 'multi' || q.type === 'ranking';
}
