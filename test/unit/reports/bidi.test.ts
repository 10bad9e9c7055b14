import { expect } from 'chai';
import { bidiLevels, mirror, visualRuns } from '../../../server/reports/pdf/bidi.js';

/** The line as seen left to right on the page (right-to-left runs reversed and mirrored). */
function visual(text: string, dir: 'ltr' | 'rtl'): string {
  return visualRuns(text, bidiLevels(text, dir), 0, text.length, dir)
    .map((run) => {
      const chars = [...text.slice(run.start, run.end)];
      return run.rtl ? chars.reverse().map(mirror).join('') : chars.join('');
    })
    .join('');
}

describe('bidi (visual order for the printed summary)', () => {
  it('takes a Latin line in a left-to-right summary and gives it unchanged', () => {
    expect(visual('About 5 in 10 people (40–52%)', 'ltr')).to.equal('About 5 in 10 people (40–52%)');
  });

  it('takes Arabic words around a number in a right-to-left summary and gives the words right to left, the digits left to right', () => {
    expect(visual('عدد 412 رد', 'rtl')).to.equal('در 412 ددع');
  });

  it('takes a Latin name inside an Arabic sentence and gives the name in reading order on its own', () => {
    expect(visual('شريك Hope Center هنا', 'rtl')).to.equal('انه Hope Center كيرش');
  });

  it('takes parentheses around Arabic text and gives them mirrored', () => {
    expect(visual('(نص)', 'rtl')).to.equal('(صن)');
  });

  it('takes an Arabic name ending in a left-to-right mark and a count in a left-to-right list and keeps the count after the name', () => {
    expect(visual('English (212), العربية\u200E (18)', 'ltr')).to.equal('English (212), ةيبرعلا\u200E (18)');
  });

  it('takes trailing spaces in a right-to-left line and gives them to the line end (left)', () => {
    const text = 'نص  ';
    const runs = visualRuns(text, bidiLevels(text, 'rtl'), 0, text.length, 'rtl');
    expect(runs.every((r) => r.rtl)).to.equal(true);
  });
});
