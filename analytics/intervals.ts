import type { Interval } from './types.js';

/** The standard normal quantile for a two-sided 95% interval, Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

// Acklam's rational approximation to the normal quantile (P. J. Acklam, 2003; relative error
// below 1.15e-9), only used for confidence levels other than 95%.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758276161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Evaluates c[0]·x^(k−1) + … + c[k−1] (Horner). */
function poly(c: number[], x: number): number {
  return c.reduce((acc, k) => acc * x + k, 0);
}

function tail(p: number): number {
  const q = Math.sqrt(-2 * Math.log(p));
  return poly(C, q) / (poly(D, q) * q + 1);
}

/**
 * The standard normal quantile Φ⁻¹(p) for 0 < p < 1, by Acklam's rational approximation
 * (P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
 * function", 2003; relative error below 1.15e-9).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  if (p < P_LOW) return tail(p);
  if (p > 1 - P_LOW) return -tail(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / (poly(B, r) * r + 1);
}

/** The z value of a two-sided interval at this confidence level (exactly Z_95 for 0.95). */
export function zForConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`);
  return confidence === 0.95 ? Z_95 : normalQuantile(1 - (1 - confidence) / 2);
}

/**
 * Wilson score interval for a share (E. B. Wilson 1927, "Probable inference, the law of
 * succession, and statistical inference"; recommended over the Wald interval by Agresti &
 * Coull 1998 and Brown, Cai & DasGupta 2001 because it stays inside 0..1 and keeps its coverage
 * for small samples and shares near 0 or 1).
 *
 *   centre = (p̂ + z²/2n) / (1 + z²/n),  half-width = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²)
 *
 * Fractional counts are allowed, so weighted data can pass the weighted share times the Kish
 * effective sample size. With n = 0 there is no information: the result is p = low = high = 0,
 * and callers should show "no responses" rather than an interval. `successes` is clamped to
 * 0..n so a weighted sum a rounding error above n does not break the square root.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval {
  if (!Number.isFinite(successes) || !Number.isFinite(n) || n < 0 || successes < 0) {
    throw new RangeError(`wilsonInterval needs finite, non-negative counts, got ${successes}/${n}`);
  }
  const z = zForConfidence(confidence);
  if (n === 0) return { p: 0, low: 0, high: 0 };
  const p = Math.min(successes, n) / n;
  const z2n = (z * z) / n;
  const denominator = 1 + z2n;
  const centre = (p + z2n / 2) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return { p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
