import { expect } from 'chai';
import { compareSegment, erfc, holmAdjust, normalCdf, twoProportionZTest } from '../../../analytics/segments.js';

describe('normalCdf', () => {
  it('takes 0, 1.959964 and −1.959964 and gives 0.5, 0.975, 0.025 (A&S 7.1.26, error < 1.5e-7)', () => {
    expect(normalCdf(0)).to.be.closeTo(0.5, 1e-9);
    expect(normalCdf(1.959963984540054)).to.be.closeTo(0.975, 2e-7);
    expect(normalCdf(-1.959963984540054)).to.be.closeTo(0.025, 2e-7);
  });

  it('takes erfc(1) and gives 0.1572992 (table value)', () => {
    expect(erfc(1)).to.be.closeTo(0.1572992, 2e-7);
  });
});

describe('twoProportionZTest', () => {
  it('takes 45/100 vs 30/100 and gives z 2.1909, p 0.0285', () => {
    // pooled p̄ = 75/200 = 0.375; SE = √(0.375 · 0.625 · (1/100 + 1/100)) = √0.0046875 = 0.0684653
    // z = (0.45 − 0.30) / 0.0684653 = 2.1908902; p = 2(1 − Φ(2.1908902)) = 0.0284597
    const r = twoProportionZTest(45, 100, 30, 100);
    expect(r.z).to.be.closeTo(2.1908902, 1e-6);
    expect(r.p).to.be.closeTo(0.0284597, 1e-6);
  });

  it('takes 30/100 vs 45/100 and gives z −2.1909 with the same two-sided p', () => {
    const r = twoProportionZTest(30, 100, 45, 100);
    expect(r.z).to.be.closeTo(-2.1908902, 1e-6);
    expect(r.p).to.be.closeTo(0.0284597, 1e-6);
  });

  it('takes an empty group, or pooled share 0 or 1, and gives z 0, p 1', () => {
    expect(twoProportionZTest(0, 0, 5, 10)).to.deep.equal({ z: 0, p: 1 });
    expect(twoProportionZTest(0, 40, 0, 60)).to.deep.equal({ z: 0, p: 1 });
    expect(twoProportionZTest(40, 40, 60, 60)).to.deep.equal({ z: 0, p: 1 });
  });

  it('takes more successes than respondents and throws a RangeError', () => {
    expect(() => twoProportionZTest(11, 10, 5, 10)).to.throw(RangeError);
  });
});

describe('holmAdjust', () => {
  it('takes p 0.01, 0.04, 0.03 and gives 0.03, 0.06, 0.06 in input order', () => {
    // sorted: 0.01·3 = 0.03; 0.03·2 = 0.06; 0.04·1 = 0.04 → raised to the running max 0.06
    const adjusted = holmAdjust([0.01, 0.04, 0.03]);
    expect(adjusted[0]).to.be.closeTo(0.03, 1e-12);
    expect(adjusted[1]).to.be.closeTo(0.06, 1e-12);
    expect(adjusted[2]).to.be.closeTo(0.06, 1e-12);
  });

  it('takes p 0.5, 0.6 and gives 1, 1 (capped at 1)', () => {
    expect(holmAdjust([0.5, 0.6])).to.deep.equal([1, 1]);
  });
});

describe('compareSegment', () => {
  // Segment 100 respondents vs rest 200:
  //   job-skills   50/100 vs 50/200: p̄ = 100/300, SE = √(1/3 · 2/3 · 0.015) = 0.0577350,
  //                z = 0.25 / 0.0577350 = 4.3301270, p = 1.490e-5, Holm ×3 = 4.471e-5 → significant
  //   arts-crafts  20/100 vs 50/200: p̄ = 70/300, SE = 0.0518009, z = −0.05 / 0.0518009 = −0.9652342,
  //                p = 0.3344275, Holm ×2 = 0.6688551 → not significant
  //   coding-tech  30/100 vs 60/200: equal shares, z 0, p 1, Holm ×1 = 1
  const segment = { respondents: 100, interested: { 'job-skills': 50, 'coding-tech': 30, 'arts-crafts': 20 } };
  const rest = { respondents: 200, interested: { 'job-skills': 50, 'coding-tech': 60, 'arts-crafts': 50 } };

  it('takes a segment of 100 vs a rest of 200 and gives rows by p with Holm-adjusted p and direction', () => {
    const { tooFew, rows } = compareSegment(segment, rest);
    expect(tooFew).to.equal(false);
    expect(rows.map((r) => [r.topic, r.significant, r.direction])).to.deep.equal([
      ['job-skills', true, 'higher'],
      ['arts-crafts', false, 'lower'],
      ['coding-tech', false, 'higher'],
    ]);
    const [job, arts, coding] = rows;
    expect(job?.segmentReach).to.equal(0.5);
    expect(job?.restReach).to.equal(0.25);
    expect(job?.difference).to.equal(0.25);
    expect(job?.z).to.be.closeTo(4.330127, 1e-6);
    expect(job?.p).to.be.closeTo(1.4902e-5, 2e-7);
    expect(job?.pAdjusted).to.be.closeTo(4.4707e-5, 5e-7);
    expect(arts?.z).to.be.closeTo(-0.9652342, 1e-6);
    expect(arts?.p).to.be.closeTo(0.3344275, 1e-6);
    expect(arts?.pAdjusted).to.be.closeTo(0.6688551, 1e-6);
    expect(coding?.p).to.equal(1);
    expect(coding?.pAdjusted).to.equal(1);
  });

  it('takes a topic only the rest chose and counts the segment as 0 interested', () => {
    const { rows } = compareSegment({ respondents: 40, interested: {} }, { respondents: 40, interested: { 'teen-programs': 10 } });
    expect(rows).to.have.length(1);
    expect(rows[0]?.segmentReach).to.equal(0);
    expect(rows[0]?.direction).to.equal('lower');
  });

  it('takes a segment of 29 respondents and gives tooFew with no rows', () => {
    expect(compareSegment({ ...segment, respondents: 29 }, rest)).to.deep.equal({ tooFew: true, rows: [] });
    expect(compareSegment(segment, { ...rest, respondents: 29 })).to.deep.equal({ tooFew: true, rows: [] });
  });

  it('takes alpha 0.00001 and no longer calls job-skills significant (4.47e-5 ≥ 1e-5)', () => {
    const { rows } = compareSegment(segment, rest, { alpha: 0.00001 });
    expect(rows[0]?.significant).to.equal(false);
  });
});
