import { Z_95 } from './intervals.js';
import type { SegmentRow } from './types.js';

/** One group compared with everyone else (see `compareSegment`), named by the caller's id. */
export interface GroupComparisonInput {
  /** The caller's id of the group, e.g. `age:65-plus`. */
  group: string;
  tooFew: boolean;
  rows: readonly SegmentRow[];
}

export interface FindingsInput {
  /** Everyone counted in this view. */
  responses: number;
  /** False below the minimum sample: no topic findings then. */
  enoughData: boolean;
  /** Ranked topics, best first. */
  topics: readonly { topic: string; rank: number; reach: number; reachLow: number; reachHigh: number }[];
  groups: readonly GroupComparisonInput[];
  population: readonly { question: string; rows: readonly { option: string; responseShare: number; populationShare: number; underHeard: boolean }[] }[];
}

export interface FindingsOptions {
  topTopics?: number;
  maxDifferences?: number;
  maxUnderHeard?: number;
  /** A difference at least this large (0..1) is "far" more or less. */
  farDifference?: number;
}

export interface DifferenceFinding {
  group: string;
  topic: string;
  segmentReach: number;
  restReach: number;
  difference: number;
  pAdjusted: number;
  direction: 'higher' | 'lower';
  far: boolean;
}

export interface UnderHeardFinding {
  question: string;
  option: string;
  responseShare: number;
  populationShare: number;
}

export interface KeyFindings {
  responses: number;
  /** Largest 95% margin of error of a share of everyone in this view (at 50%); null with no responses. */
  marginOfError: number | null;
  topTopics: { topic: string; rank: number; reach: number; reachLow: number; reachHigh: number }[];
  differences: DifferenceFinding[];
  underHeard: UnderHeardFinding[];
}

/**
 * The survey's margin of error as polls quote it: the half-width of the normal-approximation 95%
 * interval of a share at 50%, where it is widest, Z₀.₉₇₅ · √(0.25 / n) ≈ 0.98 / √n (e.g. AAPOR,
 * "Margin of Sampling Error"). Every share of all n respondents is known at least this well
 * (the Wilson intervals in the tables are a little narrower away from 50%). Null for n = 0.
 */
export function marginOfError(n: number): number | null {
  if (!(n > 0) || !Number.isFinite(n)) return null;
  return Z_95 * Math.sqrt(0.25 / n);
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Picks what a board should read first, from results the dashboard has already computed:
 * - the top `topTopics` topics by rank (none when there is too little data);
 * - the groups that differ most: for each group, its largest difference among the topics flagged
 *   after the Holm adjustment (`significant`), then the `maxDifferences` largest of those, one
 *   per group so several groups are heard; `far` when the gap is at least `farDifference`;
 * - under-heard groups, most under-heard first (lowest response share / population share);
 * - the number of responses and the margin of error.
 * Ties are settled by group, topic and option ids, so equal input gives equal output.
 */
export function keyFindings(input: FindingsInput, options: FindingsOptions = {}): KeyFindings {
  const { topTopics = 3, maxDifferences = 3, maxUnderHeard = 3, farDifference = 0.2 } = options;

  const differences = input.groups
    .filter((g) => !g.tooFew)
    .flatMap((g) => {
      const flagged = g.rows.filter((r) => r.significant);
      flagged.sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || byId(a.topic, b.topic));
      const best = flagged[0];
      return best ? [{ group: g.group, topic: best.topic, segmentReach: best.segmentReach, restReach: best.restReach, difference: best.difference, pAdjusted: best.pAdjusted, direction: best.direction, far: Math.abs(best.difference) >= farDifference }] : [];
    })
    .sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || byId(a.group, b.group))
    .slice(0, maxDifferences);

  const underHeard = input.population
    .flatMap((p) => p.rows.filter((r) => r.underHeard).map((r) => ({ question: p.question, option: r.option, responseShare: r.responseShare, populationShare: r.populationShare })))
    .sort((a, b) => a.responseShare / a.populationShare - b.responseShare / b.populationShare || byId(a.question, b.question) || byId(a.option, b.option))
    .slice(0, maxUnderHeard);

  return {
    responses: input.responses,
    marginOfError: marginOfError(input.responses),
    topTopics: input.enoughData ? input.topics.slice(0, topTopics).map(({ topic, rank, reach, reachLow, reachHigh }) => ({ topic, rank, reach, reachLow, reachHigh })) : [],
    differences: input.enoughData ? differences : [],
    underHeard,
  };
}

/**
 * How to read one compared topic: `higher` / `lower` when flagged after the Holm adjustment;
 * `chance` when its own p-value is below `alpha` but the adjusted one is not (with many topics
 * compared, one such result is expected by chance alone); `none` otherwise.
 */
export function readDifference(row: Pick<SegmentRow, 'p' | 'significant' | 'direction'>, alpha = 0.05): 'higher' | 'lower' | 'chance' | 'none' {
  if (row.significant) return row.direction;
  return row.p < alpha ? 'chance' : 'none';
}
