import type { AnalyticsProblem, PopulationRow } from './types.js';

const SHARES_SUM_TOLERANCE = 0.01;
/** Slack for floating-point sums, so 0.33 + 0.33 + 0.33 counts as within 0.01 of 1. */
const FLOAT_SLACK = 1e-9;

/**
 * A group is "under-heard" when its share of responses is below 80% of its share of the
 * population. A rule of thumb borrowed from the four-fifths rule of adverse-impact analysis
 * (US EEOC Uniform Guidelines, 1978), not a significance test: it flags gaps large enough to
 * act on (more outreach, or raking) without calling every small wobble a problem.
 */
export const UNDER_HEARD_RATIO = 0.8;

/**
 * Checks population shares staff typed in (e.g. from census tables): at least one option
 * (`sharesEmpty`), each finite and within 0..1 (`shareRange`, field = the option) and, when all
 * are finite, summing to 1 within 0.01 so rounded published figures still pass (`sharesSum`).
 */
export function validatePopulationShares(shares: Record<string, number>): AnalyticsProblem[] {
  const entries = Object.entries(shares);
  if (entries.length === 0) return [{ field: 'shares', code: 'sharesEmpty' }];
  const problems: AnalyticsProblem[] = [];
  for (const [option, share] of entries) {
    if (typeof share !== 'number' || !Number.isFinite(share) || share < 0 || share > 1) problems.push({ field: option, code: 'shareRange' });
  }
  if (entries.every(([, share]) => typeof share === 'number' && Number.isFinite(share))) {
    const sum = entries.reduce((acc, [, share]) => acc + share, 0);
    if (Math.abs(sum - 1) > SHARES_SUM_TOLERANCE + FLOAT_SLACK) problems.push({ field: 'shares', code: 'sharesSum', params: { sum } });
  }
  return problems;
}

/**
 * Compares who answered with who lives in the community, option by option of one demographic
 * question, in the order of `populationShares`. Response shares are taken over the options that
 * have a population share only, so "prefer not to say", unanswered or other answers outside the
 * population table do not dilute the comparison. `underHeard` when
 * responseShare < 0.8 × populationShare (see UNDER_HEARD_RATIO); with no matching responses at
 * all, every option with a positive population share is under-heard.
 */
export function compareToPopulation(responseCounts: Record<string, number>, populationShares: Record<string, number>): PopulationRow[] {
  const options = Object.keys(populationShares);
  const responsesOf = (option: string): number => responseCounts[option] ?? 0;
  const total = options.reduce((acc, option) => acc + responsesOf(option), 0);
  return options.map((option) => {
    const responses = responsesOf(option);
    const populationShare = populationShares[option] ?? 0;
    const responseShare = total > 0 ? responses / total : 0;
    return {
      option,
      responses,
      responseShare,
      populationShare,
      ratio: populationShare > 0 ? responseShare / populationShare : null,
      underHeard: responseShare < UNDER_HEARD_RATIO * populationShare,
    };
  });
}
