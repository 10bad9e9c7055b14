import { expect } from 'chai';
import { effectiveSampleSize, rake, weightedTopicStats } from '../../../analytics/raking.js';
import type { RakingMargin } from '../../../analytics/types.js';

// Worked 2×2 example. Sample (n = 100):      young  old
//                                     women    30    20    (50)
//                                     men      10    40    (50)
//                                              (40)  (60)
// Population margins: women 0.5 / men 0.5; young 0.6 / old 0.4, so targets are rows 50/50 and
// columns 60/40. Raking keeps the sample's odds ratio (30·40)/(20·10) = 6, so the fitted table is
// [a, 50−a; 60−a, a−10] with a(a−10) = 6(50−a)(60−a) → a² − 130a + 3600 = 0 → a = 40 (90 is
// outside the table). Fitted [40, 10; 20, 30]; weights = fitted / sample:
//   women|young 40/30 = 1.3333, women|old 10/20 = 0.5, men|young 20/10 = 2, men|old 30/40 = 0.75
const cells = [
  { key: ['women', 'young'], count: 30 },
  { key: ['women', 'old'], count: 20 },
  { key: ['men', 'young'], count: 10 },
  { key: ['men', 'old'], count: 40 },
];
const margins: RakingMargin[] = [{ shares: { women: 0.5, men: 0.5 } }, { shares: { young: 0.6, old: 0.4 } }];

describe('rake', () => {
  it('takes the 2×2 example and converges to weights 4/3, 1/2, 2, 3/4', () => {
    const r = rake(cells, margins);
    expect(r.converged).to.equal(true);
    expect(r.iterations).to.be.within(2, 50);
    expect(r.weights.get('women|young')).to.be.closeTo(4 / 3, 1e-4);
    expect(r.weights.get('women|old')).to.be.closeTo(0.5, 1e-4);
    expect(r.weights.get('men|young')).to.be.closeTo(2, 1e-4);
    expect(r.weights.get('men|old')).to.be.closeTo(0.75, 1e-4);
  });

  it('takes the 2×2 example and keeps the total: Σ count × weight = 100', () => {
    const r = rake(cells, margins);
    const total = cells.reduce((acc, c) => acc + c.count * (r.weights.get(c.key.join('|')) ?? 0), 0);
    expect(total).to.be.closeTo(100, 1e-9);
  });

  it('takes the 2×2 example with cap 1.5 and trims to [2/3, 1.5], then renormalises by 60/59', () => {
    // capped: 4/3, 2/3 (from 0.5), 1.5 (from 2), 0.75 → total 40 + 13.3333 + 15 + 30 = 98.3333
    // scale = 100 / 98.3333 = 60/59: weights 80/59, 40/59, 90/59, 45/59 (1.5254: slightly past the cap)
    const r = rake(cells, margins, { cap: 1.5 });
    expect(r.weights.get('women|young')).to.be.closeTo(80 / 59, 1e-4);
    expect(r.weights.get('women|old')).to.be.closeTo(40 / 59, 1e-4);
    expect(r.weights.get('men|young')).to.be.closeTo(90 / 59, 1e-4);
    expect(r.weights.get('men|old')).to.be.closeTo(45 / 59, 1e-4);
  });

  it('takes a prefer-not-to-say cell and keeps its weight 1 while a 30/10 split is raked to 50/50', () => {
    // known total 40 → targets 20 and 20: weights 20/30 = 2/3 and 20/10 = 2; total 20 + 20 + 10 = 50
    const r = rake(
      [{ key: ['a'], count: 30 }, { key: ['b'], count: 10 }, { key: ['prefer-not'], count: 10 }],
      [{ shares: { a: 0.5, b: 0.5 } }],
    );
    expect(r.iterations).to.equal(1);
    expect(r.converged).to.equal(true);
    expect(r.weights.get('a')).to.be.closeTo(2 / 3, 1e-12);
    expect(r.weights.get('b')).to.be.closeTo(2, 1e-12);
    expect(r.weights.get('prefer-not')).to.be.closeTo(1, 1e-12);
  });

  it('takes a sample already matching the margins and gives weights 1 after 0 iterations', () => {
    const r = rake([{ key: ['a'], count: 25 }, { key: ['b'], count: 75 }], [{ shares: { a: 0.25, b: 0.75 } }]);
    expect(r).to.deep.include({ iterations: 0, converged: true });
    expect([...r.weights.values()]).to.deep.equal([1, 1]);
  });

  it('takes maxIterations 1 on the 2×2 example and reports converged false', () => {
    expect(rake(cells, margins, { maxIterations: 1 })).to.deep.include({ iterations: 1, converged: false });
  });

  it('takes a cell with fewer answers than margins and throws a RangeError', () => {
    expect(() => rake([{ key: ['women'], count: 3 }], margins)).to.throw(RangeError);
  });
});

describe('effectiveSampleSize', () => {
  it('takes the 2×2 weights and gives (Σcw)² / Σcw² = 100² / (725/6) = 82.7586', () => {
    // Σcw² = 30·16/9 + 20·1/4 + 10·4 + 40·9/16 = 160/3 + 5 + 40 + 22.5 = 725/6
    const n = effectiveSampleSize([
      { weight: 4 / 3, count: 30 },
      { weight: 0.5, count: 20 },
      { weight: 2, count: 10 },
      { weight: 0.75, count: 40 },
    ]);
    expect(n).to.be.closeTo(82.7586207, 1e-6);
  });

  it('takes equal weights and gives the head count; no respondents gives 0', () => {
    expect(effectiveSampleSize([{ weight: 1.7, count: 20 }, { weight: 1.7, count: 30 }])).to.be.closeTo(50, 1e-9);
    expect(effectiveSampleSize([])).to.equal(0);
  });
});

describe('weightedTopicStats', () => {
  it('takes two cells with weights 0.5 and 2 and gives fractional counts and Kish effectiveN', () => {
    // respondents 40·0.5 + 10·2 = 40; interested 20·0.5 + 8·2 = 26; Borda 60·0.5 + 25·2 = 80
    // effectiveN = 40² / (40·0.25 + 10·4) = 1600 / 50 = 32
    const weights = new Map([['a', 0.5], ['b', 2]]);
    const stats = weightedTopicStats(
      [
        { key: ['a'], count: 40, interested: { 'job-skills': 20 }, bordaPoints: { 'job-skills': 60 } },
        { key: ['b'], count: 10, interested: { 'job-skills': 8, 'arts-crafts': 5 }, bordaPoints: { 'job-skills': 25 } },
      ],
      weights,
      3,
      ['job-skills', 'arts-crafts'],
    );
    expect(stats).to.deep.equal([
      { topic: 'job-skills', respondents: 40, interested: 26, bordaPoints: 80, places: 3, effectiveN: 32 },
      { topic: 'arts-crafts', respondents: 40, interested: 10, bordaPoints: 0, places: 3, effectiveN: 32 },
    ]);
  });

  it('takes cells with ratings and gives weighted rating sums and counts', () => {
    // ratingSum 4·2 + 10·0.5 = 13 over ratingCount 1·2 + 3·0.5 = 3.5
    const stats = weightedTopicStats(
      [
        { key: ['x'], count: 1, interested: {}, bordaPoints: {}, ratingSum: { t: 4 }, ratingCount: { t: 1 } },
        { key: ['y'], count: 3, interested: {}, bordaPoints: {}, ratingSum: { t: 10 }, ratingCount: { t: 3 } },
      ],
      new Map([['x', 2], ['y', 0.5]]),
      0,
      ['t'],
    );
    expect(stats[0]?.ratingSum).to.equal(13);
    expect(stats[0]?.ratingCount).to.equal(3.5);
  });
});
