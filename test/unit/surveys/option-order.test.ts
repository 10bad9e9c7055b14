import { expect } from 'chai';
import { isNoAnswerOption, optionRank } from '../../../surveys/option-order.js';

describe('optionRank: where an answer goes in a question\'s results', () => {
  const ids = ['en', 'es', 'no-answer', 'ar'];

  it('takes the answers other, es, gone, no-answer, ar, en and sorts them en, es, ar, other, no-answer, gone', () => {
    const sorted = ['other', 'es', 'gone', 'no-answer', 'ar', 'en'].sort((a, b) => optionRank(ids, a) - optionRank(ids, b));
    expect(sorted).to.deep.equal(['en', 'es', 'ar', 'other', 'no-answer', 'gone']);
  });

  it('takes two "prefer not to say"-like options and keeps their own order after Other', () => {
    const two = ['yes', 'not-sure', 'no', 'no-answer'];
    expect(['no-answer', 'other', 'not-sure', 'no', 'yes'].sort((a, b) => optionRank(two, a) - optionRank(two, b))).to.deep.equal(['yes', 'no', 'other', 'not-sure', 'no-answer']);
  });

  it('takes no-answer and prefer-not-to-say and says they are not a group; 65-plus is', () => {
    expect(isNoAnswerOption('no-answer')).to.equal(true);
    expect(isNoAnswerOption('prefer-not-to-say')).to.equal(true);
    expect(isNoAnswerOption('65-plus')).to.equal(false);
  });
});
