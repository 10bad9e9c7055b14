import { expect } from 'chai';
import { compareToPopulation, validatePopulationShares } from '../../../analytics/representativeness.js';

describe('validatePopulationShares', () => {
  it('takes 0.2 / 0.6 / 0.2 and gives no problems; 0.33 / 0.33 / 0.33 (sum 0.99, within 0.01) too', () => {
    expect(validatePopulationShares({ 'under-18': 0.2, '18-64': 0.6, '65-plus': 0.2 })).to.deep.equal([]);
    expect(validatePopulationShares({ a: 0.33, b: 0.33, c: 0.33 })).to.deep.equal([]);
  });

  it('takes an empty table and gives sharesEmpty', () => {
    expect(validatePopulationShares({})).to.deep.equal([{ field: 'shares', code: 'sharesEmpty' }]);
  });

  it('takes 0.5 / 0.4 (sum 0.9) and gives sharesSum', () => {
    const problems = validatePopulationShares({ a: 0.5, b: 0.4 });
    expect(problems.map(({ field, code }) => ({ field, code }))).to.deep.equal([{ field: 'shares', code: 'sharesSum' }]);
  });

  it('takes a share of 1.5 and one of Infinity and gives shareRange on each option, no sum check', () => {
    expect(validatePopulationShares({ a: 1.5, b: Number.POSITIVE_INFINITY })).to.deep.equal([
      { field: 'a', code: 'shareRange' },
      { field: 'b', code: 'shareRange' },
    ]);
  });
});

describe('compareToPopulation', () => {
  it('takes responses 10 / 70 / 20 (+5 prefer-not) vs population 0.2 / 0.6 / 0.2 and flags only under-18', () => {
    // shares over the 100 responses with a population share: 0.10, 0.70, 0.20 (prefer-not left out)
    // ratios 0.10/0.2 = 0.5, 0.70/0.6 = 1.1667, 0.20/0.2 = 1; under-heard when share < 0.8 × population:
    // 0.10 < 0.16 yes; 0.70 < 0.48 no; 0.20 < 0.16 no
    const rows = compareToPopulation({ 'under-18': 10, '18-64': 70, '65-plus': 20, 'prefer-not': 5 }, { 'under-18': 0.2, '18-64': 0.6, '65-plus': 0.2 });
    expect(rows.map((r) => [r.option, r.responses, r.underHeard])).to.deep.equal([
      ['under-18', 10, true],
      ['18-64', 70, false],
      ['65-plus', 20, false],
    ]);
    expect(rows[0]?.responseShare).to.be.closeTo(0.1, 1e-12);
    expect(rows[0]?.ratio).to.be.closeTo(0.5, 1e-12);
    expect(rows[1]?.ratio).to.be.closeTo(1.1666667, 1e-6);
    expect(rows[2]?.ratio).to.be.closeTo(1, 1e-12);
  });

  it('takes a group with no responses and a zero-share group, and gives share 0 under-heard and ratio null', () => {
    const rows = compareToPopulation({ a: 30 }, { a: 0.9, b: 0.1, c: 0 });
    expect(rows.map((r) => [r.option, r.responseShare, r.ratio, r.underHeard])).to.deep.equal([
      ['a', 1, 1 / 0.9, false],
      ['b', 0, 0, true],
      ['c', 0, null, false],
    ]);
  });

  it('takes no matching responses at all and gives every positive-share option under-heard', () => {
    const rows = compareToPopulation({ other: 12 }, { a: 0.5, b: 0.5 });
    expect(rows.map((r) => r.underHeard)).to.deep.equal([true, true]);
  });
});
