import type { RakingCell, RakingMargin, RakingOptions, RakingResult, TopicStats, WeightAndCount, WeightedCell } from './types.js';

/** The Map key of a raking cell. Option ids never contain '|', so the join is unambiguous. */
export function cellKey(key: readonly string[]): string {
  return key.join('|');
}

interface Dimension {
  /** Option id → target share, renormalised over the options present in the sample. */
  targets: Map<string, number>;
}

/**
 * Target shares for one dimension. Options with a population share but no respondents cannot be
 * weighted up (there is nobody to weight), so their share is spread over the options present
 * in proportion; `compareToPopulation` is where such a missing group shows up.
 */
function dimensionTargets(margin: RakingMargin, d: number, keys: string[][], counts: number[]): Dimension {
  const present = new Set(keys.filter((_, c) => (counts[c] ?? 0) > 0).map((k) => k[d] ?? ''));
  const entries = Object.entries(margin.shares).filter(([option, share]) => present.has(option) && share >= 0);
  const sum = entries.reduce((acc, [, share]) => acc + share, 0);
  return { targets: new Map(sum > 0 ? entries.map(([option, share]) => [option, share / sum]) : []) };
}

/** Weighted totals per option of dimension d, and their sum over the options with a target. */
function totals(dim: Dimension, d: number, keys: string[][], counts: number[], w: number[]): { byOption: Map<string, number>; known: number } {
  const byOption = new Map<string, number>();
  let known = 0;
  keys.forEach((key, c) => {
    const option = key[d] ?? '';
    if (!dim.targets.has(option)) return;
    const value = (counts[c] ?? 0) * (w[c] ?? 0);
    byOption.set(option, (byOption.get(option) ?? 0) + value);
    known += value;
  });
  return { byOption, known };
}

/**
 * Raking, or iterative proportional fitting (W. E. Deming & F. F. Stephan 1940, "On a least
 * squares adjustment of a sampled frequency table when the expected marginal totals are known";
 * see also Kolenikov 2014, "Calibrating survey data using iterative proportional fitting").
 * Each sweep scales the weights of every option of every dimension in turn so the weighted
 * shares match the population margins; sweeps stop when every margin is within `tolerance`
 * (as a share) or after `maxIterations` sweeps (`converged: false`).
 *
 * Weights are per respondent of a cell, and every step keeps Σ count × weight = Σ count.
 * Cells whose answer in a dimension has no population share ("prefer not to say", unanswered)
 * keep factor 1 in that dimension: we know nothing about who they are, so they neither gain nor
 * lose weight there, and the options with shares are fitted among themselves. Options with a
 * share but no respondents are dropped and the other shares renormalised.
 *
 * Trimming: after fitting, weights are capped to [1/cap, cap] (default 5, a common ceiling;
 * Battaglia et al. 2009, "Practical considerations in raking survey data") so a few respondents
 * from a rare group cannot dominate the result, then renormalised so the total is unchanged.
 * That renormalisation can move a capped weight slightly past the cap; trimmed margins no longer
 * match exactly, which is the price of the lower variance.
 */
export function rake(cells: readonly RakingCell[], margins: readonly RakingMargin[], options: RakingOptions = {}): RakingResult {
  const { maxIterations = 50, tolerance = 1e-6, cap = 5 } = options;
  if (!(cap >= 1)) throw new RangeError(`cap must be at least 1, got ${cap}`);
  const merged = new Map<string, { key: string[]; count: number }>();
  for (const cell of cells) {
    if (cell.key.length !== margins.length) throw new RangeError(`cell ${cellKey(cell.key)} has ${cell.key.length} answers for ${margins.length} margins`);
    if (!Number.isFinite(cell.count) || cell.count < 0) throw new RangeError(`cell ${cellKey(cell.key)} has an invalid count ${cell.count}`);
    const id = cellKey(cell.key);
    const existing = merged.get(id);
    if (existing) existing.count += cell.count;
    else merged.set(id, { key: [...cell.key], count: cell.count });
  }
  const ids = [...merged.keys()];
  const keys = [...merged.values()].map((m) => m.key);
  const counts = [...merged.values()].map((m) => m.count);
  const w = counts.map(() => 1);
  const dims = margins.map((margin, d) => dimensionTargets(margin, d, keys, counts));

  const worstGap = (): number => {
    let worst = 0;
    dims.forEach((dim, d) => {
      const { byOption, known } = totals(dim, d, keys, counts, w);
      if (known <= 0) return;
      for (const [option, target] of dim.targets) worst = Math.max(worst, Math.abs((byOption.get(option) ?? 0) / known - target));
    });
    return worst;
  };

  let iterations = 0;
  let converged = worstGap() <= tolerance;
  while (!converged && iterations < maxIterations) {
    dims.forEach((dim, d) => {
      const { byOption, known } = totals(dim, d, keys, counts, w);
      keys.forEach((key, c) => {
        const option = key[d] ?? '';
        const target = dim.targets.get(option);
        const current = byOption.get(option) ?? 0;
        if (target !== undefined && current > 0) w[c] = (w[c] ?? 0) * ((target * known) / current);
      });
    });
    iterations += 1;
    converged = worstGap() <= tolerance;
  }

  const trimmed = w.map((x) => Math.min(cap, Math.max(1 / cap, x)));
  const total = counts.reduce((a, b) => a + b, 0);
  const weightedTotal = counts.reduce((acc, count, c) => acc + count * (trimmed[c] ?? 0), 0);
  const scale = weightedTotal > 0 ? total / weightedTotal : 1;
  return { weights: new Map(ids.map((id, c) => [id, (trimmed[c] ?? 1) * scale])), iterations, converged };
}

/**
 * Kish effective sample size (L. Kish 1965, Survey Sampling, §11.7): (Σ c·w)² / Σ c·w² over
 * groups of `count` respondents sharing a weight. Equals the head count when all weights are
 * equal and shrinks as weights vary; intervals on weighted shares use it as their n. 0 when
 * there are no (weighted) respondents.
 */
export function effectiveSampleSize(weightsAndCounts: readonly WeightAndCount[]): number {
  let sum = 0;
  let sumSquares = 0;
  for (const { weight, count } of weightsAndCounts) {
    sum += count * weight;
    sumSquares += count * weight * weight;
  }
  return sumSquares > 0 ? (sum * sum) / sumSquares : 0;
}

/**
 * Topic statistics with raking weights applied: respondents, interested, Borda points (and
 * ratings, when given) become weighted sums, so they are fractional, and `effectiveN` is the
 * Kish effective sample size of all cells, for the reach interval. A cell missing from
 * `weights` counts with weight 1 (unweighted).
 */
export function weightedTopicStats(cells: readonly WeightedCell[], weights: ReadonlyMap<string, number>, places: number, topics: readonly string[]): TopicStats[] {
  const weightOf = (cell: WeightedCell): number => weights.get(cellKey(cell.key)) ?? 1;
  const respondents = cells.reduce((acc, cell) => acc + cell.count * weightOf(cell), 0);
  const effectiveN = effectiveSampleSize(cells.map((cell) => ({ weight: weightOf(cell), count: cell.count })));
  const sumOf = (pick: (cell: WeightedCell) => number | undefined): number =>
    cells.reduce((acc, cell) => acc + (pick(cell) ?? 0) * weightOf(cell), 0);

  return topics.map((topic) => {
    const stats: TopicStats = {
      topic,
      respondents,
      interested: sumOf((cell) => cell.interested[topic]),
      bordaPoints: sumOf((cell) => cell.bordaPoints[topic]),
      places,
      effectiveN,
    };
    if (cells.some((cell) => cell.ratingCount !== undefined)) {
      stats.ratingSum = sumOf((cell) => cell.ratingSum?.[topic]);
      stats.ratingCount = sumOf((cell) => cell.ratingCount?.[topic]);
    }
    return stats;
  });
}
