import { wilsonInterval } from './intervals.js';
import { priorityShare } from './priority.js';
import type { AnalyticsProblem, RankedTopic, ScoreWeights, TopicStats } from './types.js';

export type { RankedTopic, ScoreWeights, TopicStats } from './types.js';

/**
 * Fewer responses than this and shares swing too much to plan programs on: a Wilson 95%
 * interval at n = 30 is still about ±17 percentage points wide near 50%. Reports show a caveat
 * (and segment comparisons are withheld) below it. A rule of thumb, not a test.
 */
export const MIN_RESPONSES = 30;

export function hasEnoughResponses(n: number): boolean {
  return n >= MIN_RESPONSES;
}

/**
 * Default weights of the composite score. Reach counts most because it is what the most people
 * want, and boards plan for the many; priority (the ranking question) separates strong wants
 * from mild ones among topics with a similar reach; intensity (mean 1..5 rating) only exists
 * when the survey has rating questions, so it gets the smallest part and is spread over the
 * other two when absent. These are judgement calls staff can change, not estimates.
 */
export const DEFAULT_WEIGHTS: Readonly<ScoreWeights> = Object.freeze({ reach: 0.5, priority: 0.35, intensity: 0.15 });

const WEIGHT_FIELDS = ['reach', 'priority', 'intensity'] as const;
/** Sum tolerance; the check adds 1e-9 so floating-point sums on the boundary (0.501 + 0.35 + 0.15) pass. */
const WEIGHT_SUM_TOLERANCE = 0.001;
/** Scores closer than this are a tie (floating-point noise), settled by reach and then topic id. */
const SCORE_EPSILON = 1e-12;

/**
 * Checks score weights: each finite and within 0..1 (code `weightRange`, field = the weight) and,
 * when all are finite, summing to 1 within 0.001 (code `weightsSum`, field `weights`).
 */
export function validateWeights(w: ScoreWeights): AnalyticsProblem[] {
  const problems: AnalyticsProblem[] = [];
  for (const field of WEIGHT_FIELDS) {
    const value = w[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) problems.push({ field, code: 'weightRange' });
  }
  const values = WEIGHT_FIELDS.map((f) => w[f]);
  if (values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const sum = values.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE + 1e-9) problems.push({ field: 'weights', code: 'weightsSum', params: { sum } });
  }
  return problems;
}

/**
 * The weights actually used for one topic. Without an intensity (no ratings), the intensity
 * weight is spread over reach and priority in proportion to their own weights, so the score
 * stays on 0..1 and reach still counts 0.5 / 0.85 ≈ 59% against priority's 41% by default.
 * If reach and priority both weigh 0, they share it equally.
 */
/**
 * The weights actually used for a topic: a part the survey cannot measure (no rating question
 * for intensity, no ranking question for priority) gets weight 0 and the others are scaled up
 * in proportion, so surveys without those questions are scored on the same 0..1 scale.
 */
function effectiveWeights(w: ScoreWeights, has: { intensity: boolean; priority: boolean }): ScoreWeights {
  const used = { reach: w.reach, priority: has.priority ? w.priority : 0, intensity: has.intensity ? w.intensity : 0 };
  const total = used.reach + used.priority + used.intensity;
  if (total === 0) return { reach: 1, priority: 0, intensity: 0 };
  return { reach: used.reach / total, priority: used.priority / total, intensity: used.intensity / total };
}

function overlaps(a: RankedTopic, b: RankedTopic): boolean {
  return a.reachLow <= b.reachHigh && b.reachLow <= a.reachHigh;
}

/**
 * Ranks topics by a composite score: a weighted sum of
 *   reach      = interested / respondents,
 *   priority   = Borda points / (respondents × places) (see `priorityShare`),
 *   intensity  = (mean rating − 1) / 4, mapping a 1..5 mean onto 0..1,
 * with the intensity weight spread over the other two when a topic has no ratings.
 *
 * Reach comes with a Wilson score 95% interval (Wilson 1927; Agresti & Coull 1998), using the
 * Kish effective sample size `effectiveN` instead of `respondents` for weighted data. A topic is
 * `aboutEqualToNext` when its reach interval overlaps the next-ranked topic's: the survey cannot
 * tell them apart by reach, so reports should not present the order as firm. (Overlapping
 * intervals are a conservative check, not a significance test; see Schenker & Gentleman 2001.)
 *
 * Sorted by score descending, then reach descending, then topic id, so equal input gives equal
 * output. Throws a RangeError when `validateWeights` finds a problem.
 */
export function rankTopics(stats: readonly TopicStats[], weights: ScoreWeights = DEFAULT_WEIGHTS): RankedTopic[] {
  const problems = validateWeights(weights);
  if (problems.length) throw new RangeError(`invalid score weights: ${problems.map((p) => `${p.field} ${p.code}`).join(', ')}`);

  const scored = stats.map((s): RankedTopic => {
    const reach = s.respondents > 0 ? Math.min(1, Math.max(0, s.interested / s.respondents)) : 0;
    const n = s.effectiveN ?? s.respondents;
    const interval = wilsonInterval(reach * n, n);
    const priority = priorityShare(s.bordaPoints, s.respondents, s.places);
    const intensity = s.ratingCount && s.ratingCount > 0 && s.ratingSum !== undefined ? s.ratingSum / s.ratingCount : null;
    const w = effectiveWeights(weights, { intensity: intensity !== null, priority: s.places > 0 });
    const intensityPart = intensity === null ? 0 : Math.min(1, Math.max(0, (intensity - 1) / 4));
    const score = w.reach * reach + w.priority * priority + w.intensity * intensityPart;
    return { ...s, reach, reachLow: interval.low, reachHigh: interval.high, priority, intensity, score, rank: 0, aboutEqualToNext: false };
  });

  scored.sort((a, b) => {
    if (Math.abs(a.score - b.score) > SCORE_EPSILON) return b.score - a.score;
    if (a.reach !== b.reach) return b.reach - a.reach;
    return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0;
  });

  return scored.map((t, i) => {
    const next = scored[i + 1];
    return { ...t, rank: i + 1, aboutEqualToNext: next !== undefined && overlaps(t, next) };
  });
}
