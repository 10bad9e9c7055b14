import { expect } from 'chai';
import { DEFAULT_WEIGHTS, hasEnoughResponses, MIN_RESPONSES, rankTopics, validateWeights } from '../../../analytics/ranking.js';
import type { TopicStats } from '../../../analytics/types.js';

function topic(overrides: Partial<TopicStats> & { topic: string }): TopicStats {
  return { respondents: 100, interested: 0, bordaPoints: 0, places: 3, ...overrides };
}

describe('validateWeights', () => {
  it('takes the default weights 0.5 / 0.35 / 0.15 and gives no problems', () => {
    expect(validateWeights(DEFAULT_WEIGHTS)).to.deep.equal([]);
  });

  it('takes weights summing to 1.0005, or 1.001 on the boundary, and gives no problems', () => {
    expect(validateWeights({ reach: 0.5005, priority: 0.35, intensity: 0.15 })).to.deep.equal([]);
    expect(validateWeights({ reach: 0.501, priority: 0.35, intensity: 0.15 })).to.deep.equal([]);
  });

  it('takes weights summing to 0.9 and gives weightsSum on field weights', () => {
    const problems = validateWeights({ reach: 0.5, priority: 0.3, intensity: 0.1 });
    expect(problems.map(({ field, code }) => ({ field, code }))).to.deep.equal([{ field: 'weights', code: 'weightsSum' }]);
  });

  it('takes reach 1.2, priority −0.2 and intensity NaN and gives weightRange for each, no sum check', () => {
    const problems = validateWeights({ reach: 1.2, priority: -0.2, intensity: Number.NaN });
    expect(problems).to.deep.equal([
      { field: 'reach', code: 'weightRange' },
      { field: 'priority', code: 'weightRange' },
      { field: 'intensity', code: 'weightRange' },
    ]);
  });
});

describe('rankTopics', () => {
  // 100 respondents each, 3 places, default weights 0.5 / 0.35 / 0.15.
  //   job-skills:  reach 0.60, priority 150/300 = 0.5, intensity mean 4 → (4−1)/4 = 0.75
  //                score = 0.5·0.6 + 0.35·0.5 + 0.15·0.75 = 0.3 + 0.175 + 0.1125 = 0.5875
  //   health-wellness: reach 0.55, priority 120/300 = 0.4, no ratings → weights 0.5/0.85, 0.35/0.85
  //                score = 0.55·0.5882353 + 0.4·0.4117647 = 0.3235294 + 0.1647059 = 0.4882353
  //   coding-tech and arts-crafts: reach 0.30, priority 60/300 = 0.2, mean 2 → 0.25
  //                score = 0.15 + 0.07 + 0.0375 = 0.2575 (tie, settled by topic id)
  // Wilson 95%: 60/100 → 0.5020..0.6906, 55/100 → 0.4524..0.6439, 30/100 → 0.2189..0.3958
  const stats: TopicStats[] = [
    topic({ topic: 'coding-tech', interested: 30, bordaPoints: 60, ratingSum: 200, ratingCount: 100 }),
    topic({ topic: 'health-wellness', interested: 55, bordaPoints: 120 }),
    topic({ topic: 'arts-crafts', interested: 30, bordaPoints: 60, ratingSum: 200, ratingCount: 100 }),
    topic({ topic: 'job-skills', interested: 60, bordaPoints: 150, ratingSum: 400, ratingCount: 100 }),
  ];

  it('takes four topics and gives them ordered by the hand-computed composite score', () => {
    const ranked = rankTopics(stats);
    expect(ranked.map((t) => [t.topic, t.rank])).to.deep.equal([
      ['job-skills', 1],
      ['health-wellness', 2],
      ['arts-crafts', 3],
      ['coding-tech', 4],
    ]);
    expect(ranked[0]?.score).to.be.closeTo(0.5875, 1e-9);
    expect(ranked[1]?.score).to.be.closeTo(0.4882353, 1e-6);
    expect(ranked[2]?.score).to.be.closeTo(0.2575, 1e-9);
    expect(ranked[3]?.score).to.be.closeTo(0.2575, 1e-9);
  });

  it('takes ratings sum 400 over 100 and gives intensity 4; no ratings gives intensity null', () => {
    const ranked = rankTopics(stats);
    expect(ranked[0]?.intensity).to.equal(4);
    expect(ranked[0]?.priority).to.equal(0.5);
    expect(ranked[1]?.intensity).to.equal(null);
  });

  it('takes 60/100 and gives the Wilson reach interval 0.5020..0.6906', () => {
    const first = rankTopics(stats)[0];
    expect(first?.reach).to.equal(0.6);
    expect(first?.reachLow).to.be.closeTo(0.5020026, 1e-6);
    expect(first?.reachHigh).to.be.closeTo(0.6905987, 1e-6);
  });

  it('flags aboutEqualToNext when reach intervals overlap (0.5020 ≤ 0.6439, and 30 vs 30), not when apart', () => {
    // health-wellness low 0.4524 > coding-tech high 0.3958 → apart; the last topic has no next
    expect(rankTopics(stats).map((t) => t.aboutEqualToNext)).to.deep.equal([true, false, true, false]);
  });

  it('takes two topics with equal score (0.5·0.4 + 0.5·0.2 = 0.5·0.2 + 0.5·0.4) and puts the higher reach first', () => {
    const ranked = rankTopics(
      [topic({ topic: 'a-low-reach', interested: 20, bordaPoints: 120 }), topic({ topic: 'b-high-reach', interested: 40, bordaPoints: 60 })],
      { reach: 0.5, priority: 0.5, intensity: 0 },
    );
    expect(ranked.map((t) => t.topic)).to.deep.equal(['b-high-reach', 'a-low-reach']);
    expect(ranked[0]?.score).to.be.closeTo(0.3, 1e-12);
  });

  it('takes weighted stats with effectiveN 25 and uses it for the interval: 0.6 of 25 → 0.4074..0.7660', () => {
    // successes = 0.6 · 25 = 15; z²/n = 0.1536584; centre = 0.5866808; half = 0.1792862
    const [t] = rankTopics([topic({ topic: 'job-skills', interested: 60, effectiveN: 25 })]);
    expect(t?.reachLow).to.be.closeTo(0.4073946, 1e-6);
    expect(t?.reachHigh).to.be.closeTo(0.7659670, 1e-6);
  });

  it('takes weights summing to 0.9 and throws a RangeError', () => {
    expect(() => rankTopics(stats, { reach: 0.5, priority: 0.3, intensity: 0.1 })).to.throw(RangeError);
  });
});

describe('hasEnoughResponses', () => {
  it('takes 29 and gives false, 30 (MIN_RESPONSES) gives true', () => {
    expect(MIN_RESPONSES).to.equal(30);
    expect(hasEnoughResponses(29)).to.equal(false);
    expect(hasEnoughResponses(30)).to.equal(true);
  });
});

describe('rankTopics without a ranking question', () => {
  it('takes topics with places 0 and spreads the priority weight over reach: score = reach when there is no intensity either', () => {
    const ranked = rankTopics([
      { topic: 'a', respondents: 100, interested: 40, bordaPoints: 0, places: 0 },
      { topic: 'b', respondents: 100, interested: 20, bordaPoints: 0, places: 0 },
    ]);
    expect(ranked[0]!.score).to.be.closeTo(0.4, 1e-12);
    expect(ranked[1]!.score).to.be.closeTo(0.2, 1e-12);
  });

  it('takes places 0 with a rating mean of 4 and weighs reach and intensity 0.5/0.15 scaled to 1: (0.5·0.4 + 0.15·0.75) / 0.65', () => {
    const [t] = rankTopics([{ topic: 'a', respondents: 100, interested: 40, bordaPoints: 0, places: 0, ratingSum: 40, ratingCount: 10 }]);
    expect(t!.score).to.be.closeTo((0.5 * 0.4 + 0.15 * 0.75) / 0.65, 1e-12);
  });
});
