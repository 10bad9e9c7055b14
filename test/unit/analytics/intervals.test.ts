import { expect } from 'chai';
import { normalQuantile, wilsonInterval, zForConfidence, Z_95 } from '../../../analytics/intervals.js';

// Wilson score interval: with p̂ = x/n and z = 1.959964,
//   centre = (p̂ + z²/2n) / (1 + z²/n),  half = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²)
describe('wilsonInterval', () => {
  it('takes 40 of 100 and gives p 0.4, interval 0.3094..0.4980', () => {
    // z² = 3.841459, z²/n = 0.0384146, denominator = 1.0384146
    // centre = (0.4 + 0.0192073) / 1.0384146 = 0.4036993
    // half = 1.959964/1.0384146 · √(0.0024 + 0.0000960365) = 1.887458 · 0.0499604 = 0.0942981
    const r = wilsonInterval(40, 100);
    expect(r.p).to.equal(0.4);
    expect(r.low).to.be.closeTo(0.3094013, 1e-6);
    expect(r.high).to.be.closeTo(0.4979974, 1e-6);
  });

  it('takes 0 of 10 and gives low 0, high z²/n / (1 + z²/n) = 0.2775', () => {
    // with p̂ = 0 the half-width equals the centre: high = 0.3841459 / 1.3841459 = 0.2775328
    const r = wilsonInterval(0, 10);
    expect(r.p).to.equal(0);
    expect(r.low).to.be.closeTo(0, 1e-12);
    expect(r.high).to.be.closeTo(0.2775328, 1e-6);
  });

  it('takes 10 of 10 and gives low 1 / (1 + z²/n) = 0.7225, high 1', () => {
    // mirror image of 0 of 10: low = 1 − 0.2775328
    const r = wilsonInterval(10, 10);
    expect(r.p).to.equal(1);
    expect(r.low).to.be.closeTo(0.7224672, 1e-6);
    expect(r.high).to.be.closeTo(1, 1e-12);
  });

  it('takes n = 0 and gives p 0, low 0, high 0 (no information, no interval)', () => {
    expect(wilsonInterval(0, 0)).to.deep.equal({ p: 0, low: 0, high: 0 });
  });

  it('takes fractional weighted counts 27.5 of 50.5 and gives the same formula, 0.4090..0.6739', () => {
    // p̂ = 0.5445545, z²/n = 0.0760685, centre = 0.5414049, half = 0.1324476
    const r = wilsonInterval(27.5, 50.5);
    expect(r.p).to.be.closeTo(0.5445545, 1e-6);
    expect(r.low).to.be.closeTo(0.4089572, 1e-6);
    expect(r.high).to.be.closeTo(0.6738525, 1e-6);
  });

  it('takes a negative count and throws a RangeError', () => {
    expect(() => wilsonInterval(-1, 10)).to.throw(RangeError);
  });
});

describe('normal quantile', () => {
  it('gives exactly Z_95 = 1.959963984540054 for confidence 0.95', () => {
    expect(zForConfidence(0.95)).to.equal(Z_95);
    expect(Z_95).to.equal(1.959963984540054);
  });

  it('takes p 0.975 and gives 1.959964 from the approximation (relative error < 1.15e-9)', () => {
    expect(normalQuantile(0.975)).to.be.closeTo(1.959963984540054, 1e-8);
  });

  it('takes confidence 0.90 and gives z 1.644854; p 0.01 gives −2.326348 (tail branch)', () => {
    expect(zForConfidence(0.9)).to.be.closeTo(1.6448536, 1e-6);
    expect(normalQuantile(0.01)).to.be.closeTo(-2.3263479, 1e-6);
  });
});
