import { hasEnoughResponses } from './ranking.js';
import type { GroupCounts, SegmentComparison, SegmentRow } from './types.js';

/**
 * Complementary error function by Abramowitz & Stegun, Handbook of Mathematical Functions
 * (1964), formula 7.1.26 (after Hastings 1955): absolute error below 1.5e-7 for x ≥ 0. Written
 * as erfc so small tail probabilities stay positive instead of cancelling against 1.
 */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  const t = 1 / (1 + 0.3275911 * x);
  const polynomial = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return polynomial * Math.exp(-x * x);
}

/** Standard normal CDF Φ(z) = erfc(−z/√2) / 2, via A&S 7.1.26 (absolute error below 1e-7). */
export function normalCdf(z: number): number {
  return erfc(-z / Math.SQRT2) / 2;
}

function checkCount(x: number, n: number): void {
  if (!Number.isFinite(x) || !Number.isFinite(n) || n < 0 || x < 0 || x > n) {
    throw new RangeError(`counts must be finite with 0 ≤ x ≤ n, got ${x}/${n}`);
  }
}

/**
 * Two-proportion z-test with a pooled standard error, two-sided (e.g. Agresti, Categorical
 * Data Analysis, 3rd ed., §2.2; Newcombe 1998):
 *
 *   p̄ = (x1 + x2)/(n1 + n2),  z = (x1/n1 − x2/n2) / √(p̄(1 − p̄)(1/n1 + 1/n2)),  p = 2(1 − Φ(|z|))
 *
 * with Φ by Abramowitz & Stegun 7.1.26. Returns z = 0, p = 1 when either group is empty or
 * the pooled share is 0 or 1 (no variation, so nothing to test).
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): { z: number; p: number } {
  checkCount(x1, n1);
  checkCount(x2, n2);
  if (n1 === 0 || n2 === 0) return { z: 0, p: 1 };
  const pooled = (x1 + x2) / (n1 + n2);
  if (pooled <= 0 || pooled >= 1) return { z: 0, p: 1 };
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = (x1 / n1 - x2 / n2) / se;
  // Equal shares: exactly p = 1 (A&S 7.1.26 gives erfc(0) = 0.999999999).
  if (z === 0) return { z: 0, p: 1 };
  return { z, p: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}

/**
 * Holm–Bonferroni step-down adjustment (S. Holm 1979, "A simple sequentially rejective multiple
 * test procedure"): with the m p-values sorted ascending, the i-th (1-based) becomes
 * min(1, max over j ≤ i of (m − j + 1)·p(j)). Controls the family-wise error rate like
 * Bonferroni but rejects more. Returns the adjusted values in the input order.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, i }, k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * Compares a segment's reach with everyone else's, topic by topic: a pooled two-proportion
 * z-test per topic, Holm–Bonferroni adjusted over all topics tested, `significant` when the
 * adjusted p is below `alpha`. Topics are the union of both groups' keys (a missing count is 0).
 * Rows are sorted by p ascending, then topic id. `direction` is 'higher' when the segment's reach
 * is at least the rest's (a zero difference has p = 1 and is never significant).
 *
 * When the segment or the rest has fewer than MIN_RESPONSES respondents, returns
 * `{ tooFew: true, rows: [] }`: with so few answers any difference is mostly noise.
 */
export function compareSegment(segment: GroupCounts, rest: GroupCounts, { alpha = 0.05 }: { alpha?: number } = {}): SegmentComparison {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1, got ${alpha}`);
  if (!hasEnoughResponses(segment.respondents) || !hasEnoughResponses(rest.respondents)) return { tooFew: true, rows: [] };

  const topics = [...new Set([...Object.keys(segment.interested), ...Object.keys(rest.interested)])];
  const tested = topics.map((topic) => {
    const x1 = segment.interested[topic] ?? 0;
    const x2 = rest.interested[topic] ?? 0;
    const segmentReach = x1 / segment.respondents;
    const restReach = x2 / rest.respondents;
    return { topic, segmentReach, restReach, difference: segmentReach - restReach, ...twoProportionZTest(x1, segment.respondents, x2, rest.respondents) };
  });
  const adjusted = holmAdjust(tested.map((t) => t.p));

  const rows: SegmentRow[] = tested.map((t, i) => {
    const pAdjusted = adjusted[i] ?? 1;
    return { ...t, pAdjusted, significant: pAdjusted < alpha, direction: t.difference >= 0 ? 'higher' : 'lower' };
  });
  rows.sort((a, b) => a.p - b.p || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  return { tooFew: false, rows };
}
