import { expect } from 'chai';
import { keyFindings, marginOfError, readDifference, type GroupComparisonInput } from '../../../analytics/findings.js';
import type { SegmentRow } from '../../../analytics/types.js';

function row(topic: string, segmentReach: number, restReach: number, significant: boolean, p = significant ? 0.001 : 0.5): SegmentRow {
  const difference = segmentReach - restReach;
  return { topic, segmentReach, restReach, difference, z: 0, p, pAdjusted: significant ? 0.01 : 0.9, significant, direction: difference >= 0 ? 'higher' : 'lower' };
}

const topics = [
  { topic: 'digital-literacy', rank: 1, reach: 0.45, reachLow: 0.4, reachHigh: 0.5 },
  { topic: 'job-skills', rank: 2, reach: 0.41, reachLow: 0.36, reachHigh: 0.46 },
  { topic: 'reading-culture', rank: 3, reach: 0.3, reachLow: 0.25, reachHigh: 0.35 },
  { topic: 'arts-crafts', rank: 4, reach: 0.2, reachLow: 0.16, reachHigh: 0.25 },
];

describe('marginOfError', () => {
  it('takes 400 responses and gives 1.96 · √(0.25/400) = 0.0490', () => {
    expect(marginOfError(400)).to.be.closeTo(0.04899910, 1e-7);
  });

  it('takes 100 responses and gives 0.0980, and 0 responses gives null', () => {
    expect(marginOfError(100)).to.be.closeTo(0.09799820, 1e-7);
    expect(marginOfError(0)).to.equal(null);
  });
});

describe('keyFindings', () => {
  const groups: GroupComparisonInput[] = [
    // 65 and over: two flagged rows; the larger gap (0.75 − 0.31 = 0.44) speaks for the group.
    { group: 'age:65-plus', tooFew: false, rows: [row('reading-culture', 0.5, 0.3, true), row('digital-literacy', 0.75, 0.31, true), row('arts-crafts', 0.9, 0.1, false)] },
    // Spanish at home: one flagged row, 0.2 − 0.45 = −0.25 (lower, far).
    { group: 'homeLanguage:es', tooFew: false, rows: [row('job-skills', 0.2, 0.45, true)] },
    // Weekly visitors: flagged 0.12 gap (not far).
    { group: 'visits:weekly', tooFew: false, rows: [row('reading-culture', 0.4, 0.28, true)] },
    // Under 18: a large gap that is not flagged never becomes a finding.
    { group: 'age:under-18', tooFew: false, rows: [row('arts-crafts', 0.8, 0.2, false)] },
    // Too few to compare: skipped even if a row says flagged.
    { group: 'age:18-24', tooFew: true, rows: [row('arts-crafts', 0.9, 0.1, true)] },
  ];
  const population = [
    {
      question: 'age',
      rows: [
        // ratios: 0.05/0.2 = 0.25, 0.1/0.2 = 0.5, 0.85/0.6 (not under-heard)
        { option: '65-plus', responseShare: 0.05, populationShare: 0.2, underHeard: true },
        { option: '18-24', responseShare: 0.1, populationShare: 0.2, underHeard: true },
        { option: '25-64', responseShare: 0.85, populationShare: 0.6, underHeard: false },
      ],
    },
    { question: 'homeLanguage', rows: [{ option: 'es', responseShare: 0.12, populationShare: 0.3, underHeard: true }] }, // 0.4
  ];

  it('takes 400 responses, four ranked topics, five groups and two population questions, and gives the top 3 topics, the largest flagged gap per group (0.44, −0.25, 0.12), under-heard by ratio (0.25, 0.4, 0.5) and the margin 0.049', () => {
    const f = keyFindings({ responses: 400, enoughData: true, topics, groups, population });
    expect(f.responses).to.equal(400);
    expect(f.marginOfError).to.be.closeTo(0.049, 0.0001);
    expect(f.topTopics.map((t) => t.topic)).to.deep.equal(['digital-literacy', 'job-skills', 'reading-culture']);
    expect(f.differences.map((d) => [d.group, d.topic, d.direction, d.far])).to.deep.equal([
      ['age:65-plus', 'digital-literacy', 'higher', true],
      ['homeLanguage:es', 'job-skills', 'lower', true],
      ['visits:weekly', 'reading-culture', 'higher', false],
    ]);
    expect(f.differences[0]!.difference).to.be.closeTo(0.44, 1e-12);
    expect(f.differences[0]!.segmentReach).to.equal(0.75);
    expect(f.differences[0]!.restReach).to.equal(0.31);
    expect(f.underHeard.map((u) => `${u.question}:${u.option}`)).to.deep.equal(['age:65-plus', 'homeLanguage:es', 'age:18-24']);
  });

  it('takes maxDifferences 1 and maxUnderHeard 1 and gives only the largest of each', () => {
    const f = keyFindings({ responses: 400, enoughData: true, topics, groups, population }, { maxDifferences: 1, maxUnderHeard: 1 });
    expect(f.differences.map((d) => d.group)).to.deep.equal(['age:65-plus']);
    expect(f.underHeard.map((u) => u.option)).to.deep.equal(['65-plus']);
  });

  it('takes too little data and gives no topics and no differences, but still the count, margin and under-heard groups', () => {
    const f = keyFindings({ responses: 20, enoughData: false, topics, groups, population });
    expect(f.topTopics).to.deep.equal([]);
    expect(f.differences).to.deep.equal([]);
    expect(f.marginOfError).to.be.closeTo(0.2191, 0.0001); // 1.96 · √(0.25/20) = 0.21913
    expect(f.underHeard).to.have.length(3);
  });
});

describe('readDifference', () => {
  it('takes a flagged row and gives its direction', () => {
    expect(readDifference({ p: 0.0001, significant: true, direction: 'lower' })).to.equal('lower');
  });

  it('takes p 0.004 not flagged after adjustment and gives chance; p 0.05 and p 0.3 give none', () => {
    expect(readDifference({ p: 0.004, significant: false, direction: 'higher' })).to.equal('chance');
    expect(readDifference({ p: 0.05, significant: false, direction: 'higher' })).to.equal('none');
    expect(readDifference({ p: 0.3, significant: false, direction: 'higher' })).to.equal('none');
  });
});
