import type { Question, SurveyDefinition } from './definition.schema.js';
import type { DefinitionProblem } from './definition-problems.js';

type RankingQuestion = Extract<Question, { type: 'ranking' }>;
type MultiQuestion = Extract<Question, { type: 'multi' }>;

/**
 * A ranking that ranks an earlier answer (`rankFrom`) asks only when the person chose at least
 * this many of its options there: one choice is already an order, none leaves nothing to rank.
 */
export const RANK_FROM_MINIMUM = 2;

/** The several-choice question a ranking takes its options from, when it has `rankFrom`. */
export function rankSource(def: SurveyDefinition, q: Question): MultiQuestion | undefined {
  if (q.type !== 'ranking' || !q.rankFrom) return undefined;
  const source = def.questions.find((x) => x.id === q.rankFrom);
  return source?.type === 'multi' ? source : undefined;
}

/**
 * The options a person may rank: those of the ranking they chose in the source question, in the
 * ranking's own order ("Other" and exclusive answers such as "none of these" are not options of
 * the ranking, so they never appear).
 */
export function rankableIds(q: RankingQuestion, chosen: readonly string[]): string[] {
  const out: string[] = [];
  for (const o of q.options) if (chosen.includes(o.id)) out.push(o.id);
  return out;
}

/** The places asked for over `count` rankable options: the question's `top`, or fewer when fewer were chosen. */
export function placesFor(q: RankingQuestion, count: number): number {
  return count < RANK_FROM_MINIMUM ? 0 : Math.min(q.top, count);
}

/**
 * `rankFrom` must name an earlier several-choice question with the same options: each of the
 * ranking's options is one of the source's, with the same id and topic, and each topic the
 * source offers can be ranked. Source answers without a topic (a "cooking" idea added later,
 * "none of these") may be left out of the ranking; the ranking itself has no exclusive option.
 */
export function checkRankFrom(def: SurveyDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  def.questions.forEach((q, i) => {
    if (q.type !== 'ranking' || !q.rankFrom) return;
    const at = `questions[${i}].rankFrom`;
    const sourceIndex = def.questions.findIndex((x) => x.id === q.rankFrom);
    const source = def.questions[sourceIndex];
    if (!source) return problems.push({ path: at, code: 'rankFromUnknownQuestion', params: { question: q.rankFrom } });
    if (sourceIndex >= i) return problems.push({ path: at, code: 'rankFromLater', params: { question: source.id } });
    if (source.type !== 'multi') return problems.push({ path: at, code: 'rankFromNotMulti', params: { question: source.id } });
    const exclusive = q.options.findIndex((o) => o.exclusive);
    if (exclusive >= 0) return problems.push({ path: `questions[${i}].options[${exclusive}].exclusive`, code: 'rankFromExclusive', params: { option: q.options[exclusive]!.id } });
    const offered = source.options.filter((o) => !o.exclusive);
    const differs =
      q.options.find((o) => !offered.some((s) => s.id === o.id) || offered.find((s) => s.id === o.id)?.topic !== o.topic) ??
      offered.find((s) => s.topic && !q.options.some((o) => o.id === s.id));
    if (differs) problems.push({ path: at, code: 'rankFromOptionsDiffer', params: { question: source.id, option: differs.id } });
  });
  return problems;
}
