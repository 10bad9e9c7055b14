import { OTHER } from './answers.js';

/** Option ids of answers that say nothing about the person ("prefer not to say" and the like). */
const NO_ANSWER = new Set(['no-answer', 'prefer-not', 'prefer-not-to-say', 'not-sure', 'dont-know']);

/** True for "prefer not to say"-like options, which are not a group to describe or compare. */
export function isNoAnswerOption(id: string): boolean {
  return NO_ANSWER.has(id);
}

/**
 * Where an answer goes in a question's results: the question's own options in their order, then
 * "Other" (written in), then "prefer not to say"-like answers, then ids the survey no longer has.
 */
export function optionRank(optionIds: readonly string[], id: string): number {
  const n = optionIds.length;
  if (id === OTHER) return n + 1;
  const at = optionIds.indexOf(id);
  if (at < 0) return n + 3;
  return isNoAnswerOption(id) ? n + 2 + at / (n + 1) : at;
}
