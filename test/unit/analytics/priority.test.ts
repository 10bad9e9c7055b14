import { expect } from 'chai';
import { bordaPoints, priorityShare } from '../../../analytics/priority.js';

describe('bordaPoints', () => {
  it('takes 3 places with 5 firsts, 3 seconds, 2 thirds and gives 5·3 + 3·2 + 2·1 = 23', () => {
    expect(bordaPoints([5, 3, 2])).to.equal(23);
  });

  it('takes weighted place counts [1.5, 0.5, 2] and gives 1.5·3 + 0.5·2 + 2·1 = 7.5', () => {
    expect(bordaPoints([1.5, 0.5, 2])).to.equal(7.5);
  });

  it('takes no places and gives 0', () => {
    expect(bordaPoints([])).to.equal(0);
  });

  it('takes a negative place count and throws a RangeError', () => {
    expect(() => bordaPoints([1, -1])).to.throw(RangeError);
  });
});

describe('priorityShare', () => {
  it('takes 23 points from 10 respondents with 3 places and gives 23 / 30 = 0.7667', () => {
    expect(priorityShare(23, 10, 3)).to.be.closeTo(0.7666667, 1e-6);
  });

  it('takes 30 points from 10 respondents with 3 places (everyone ranked it first) and gives 1', () => {
    expect(priorityShare(30, 10, 3)).to.equal(1);
  });

  it('takes 0 respondents or 0 places and gives 0', () => {
    expect(priorityShare(0, 0, 3)).to.equal(0);
    expect(priorityShare(5, 10, 0)).to.equal(0);
  });
});
