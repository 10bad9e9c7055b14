import { expect } from 'chai';
import { funnelByChannel, type FunnelCount } from '../../../analytics/funnel.js';

const reached = (channel: string, page: number, n: number): FunnelCount => ({ channel, kind: 'reached', page, n });
const sent = (channel: string, n: number): FunnelCount => ({ channel, kind: 'sent', page: 0, n });

describe('funnelByChannel (completion and breakoff)', () => {
  it('one page: web 120 opened and 90 sent, kiosk 30 and 27: completion 75 % and 90 %, breakoff 25 % and 10 %, all 150/117 = 78 %', () => {
    const [all, web, kiosk] = funnelByChannel([reached('web', 1, 120), sent('web', 90), reached('kiosk', 1, 30), sent('kiosk', 27)], ['web', 'kiosk', 'paper'], 1);
    expect(web).to.deep.equal({ channel: 'web', opened: 120, sent: 90, completion: 0.75, pages: [{ page: 1, reached: 120, reachedShare: 1, breakoff: 0.25 }] });
    expect(kiosk!.completion).to.equal(0.9);
    expect(kiosk!.pages[0]!.breakoff).to.be.closeTo(0.1, 1e-12);
    expect(all!.channel).to.equal('all');
    expect([all!.opened, all!.sent]).to.deep.equal([150, 117]);
    expect(all!.completion).to.equal(0.78);
  });

  it('four pages: 200, 150, 120, 100 reached and 80 sent give breakoff 25 %, 20 %, 16.7 %, 20 % and reached shares 100 %, 75 %, 60 %, 50 %', () => {
    const [all] = funnelByChannel([reached('web', 1, 200), reached('web', 2, 150), reached('web', 3, 120), reached('web', 4, 100), sent('web', 80)], ['web'], 4);
    expect(all!.pages.map((p) => p.reachedShare)).to.deep.equal([1, 0.75, 0.6, 0.5]);
    const breakoff = all!.pages.map((p) => p.breakoff!);
    [0.25, 0.2, 20 / 120, 0.2].forEach((x, i) => expect(breakoff[i]).to.be.closeTo(x, 1e-12));
    expect(all!.completion).to.equal(0.4);
  });

  it('counts split over several rows (days, instances) are summed', () => {
    const [all] = funnelByChannel([reached('web', 1, 3), reached('web', 1, 4), sent('web', 2), sent('web', 3)], ['web'], 1);
    expect([all!.opened, all!.sent]).to.deep.equal([7, 5]);
  });

  it('a later step above an earlier one (reloads, forms opened before counting) gives breakoff 0, not negative, and completion above 1 as counted', () => {
    const [all] = funnelByChannel([reached('web', 1, 10), reached('web', 2, 12), sent('web', 11)], ['web'], 2);
    expect(all!.pages[0]!.breakoff).to.equal(0);
    expect(all!.pages[1]!.breakoff).to.be.closeTo(1 / 12, 1e-12);
    expect(all!.completion).to.equal(1.1);
  });

  it('nobody opened: shares and completion are null; a channel without counts is left out', () => {
    const out = funnelByChannel([], ['web', 'kiosk'], 1);
    expect(out).to.deep.equal([{ channel: 'all', opened: 0, sent: 0, completion: null, pages: [{ page: 1, reached: 0, reachedShare: null, breakoff: null }] }]);
  });

  it('pages beyond the page count are left out; a negative count or a page count of 0 throws RangeError', () => {
    const [all] = funnelByChannel([reached('web', 1, 5), reached('web', 3, 2)], ['web'], 2);
    expect(all!.pages.map((p) => p.reached)).to.deep.equal([5, 0]);
    expect(() => funnelByChannel([reached('web', 1, -1)], ['web'], 1)).to.throw(RangeError);
    expect(() => funnelByChannel([], ['web'], 0)).to.throw(RangeError);
  });
});
