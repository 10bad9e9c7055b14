import { fieldName, type AnswerValue } from './answers.js';
import type { SurveyDefinition } from './definition.schema.js';

/**
 * Turns stored answers back into the form fields a browser would post (`q:`, `other:`, `rank:`).
 * Tests and the benchmark use it to submit generated responses through the real form handler.
 */
export function toFormFields(def: SurveyDefinition, r: { answers: Record<string, AnswerValue>; other: Record<string, string> }): Record<string, string | string[]> {
  const body: Record<string, string | string[]> = {};
  for (const q of def.questions) {
    const value = r.answers[q.id];
    if (value === undefined) continue;
    if (q.type === 'ranking') (value as string[]).forEach((id, i) => (body[fieldName.rank(q.id, i + 1)] = id));
    else body[fieldName.answer(q.id)] = typeof value === 'number' ? String(value) : value;
    const text = r.other[q.id];
    if (text !== undefined) body[fieldName.other(q.id)] = text;
  }
  return body;
}
