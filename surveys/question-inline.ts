import { hasOptions, type Question } from './definition.schema.js';
import type { LanguageCode } from './languages.js';
import { readQuestionForm, valuesFromQuestion, type QuestionFormValues } from './question-form.js';

/**
 * The question form's values for an edit made in place on the survey page: only the question's
 * text, help and the text of its existing answers come from the post (`label`, `help`,
 * `o<row>_id` with `o<row>_label`); everything else (required, conditions, topics, limits, answers
 * added or removed) stays as the question has it, so the short form can never reset them.
 */
export function inlineValues(q: Question, lang: LanguageCode, body: Record<string, unknown>): QuestionFormValues {
  const base = valuesFromQuestion(q, lang);
  const posted = readQuestionForm(body);
  const typed = new Map(posted.options.filter((o) => o.id).map((o) => [o.id, o.label]));
  return {
    ...base,
    label: posted.label,
    help: posted.help,
    options: hasOptions(q) ? base.options.map((o) => (typed.has(o.id) ? { ...o, label: typed.get(o.id)! } : o)) : base.options,
  };
}
