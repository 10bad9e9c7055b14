import { expect } from 'chai';
import { reachTiers } from '../../../analytics/tiers.js';

const iv = (reachLow: number, reachHigh: number): { reachLow: number; reachHigh: number } => ({ reachLow, reachHigh });

describe('reachTiers', () => {
  it('takes no topics and gives no tiers', () => {
    expect(reachTiers([])).to.deep.equal([]);
  });

  it('takes [40–50], [38–48], [30–39], [20–29] and gives tiers 1, 1, 2, 3 (39 < 40 starts tier 2; 29 < 30 starts tier 3)', () => {
    expect(reachTiers([iv(0.4, 0.5), iv(0.38, 0.48), iv(0.3, 0.39), iv(0.2, 0.29)])).to.deep.equal([1, 1, 2, 3]);
  });

  it('compares with the tier leader, not the previous topic: [40–50], [35–45], [30–40], [25–35] gives 1, 1, 1, 2', () => {
    // Each overlaps the one before it, so "about equal to the next" chained all four together;
    // 35 < 40 (the leader's low end) puts the fourth in a new tier, which it leads.
    expect(reachTiers([iv(0.4, 0.5), iv(0.35, 0.45), iv(0.3, 0.4), iv(0.25, 0.35)])).to.deep.equal([1, 1, 1, 2]);
  });

  it('counts touching ends as overlapping: [40–50] then [30–40] gives one tier', () => {
    expect(reachTiers([iv(0.4, 0.5), iv(0.3, 0.4)])).to.deep.equal([1, 1]);
  });
});
