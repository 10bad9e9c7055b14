import { expect } from 'chai';
import { readTallies, applyTallies } from '../../surveys/tally.service.js';
import { clearDatabase } from '../helpers/db.js';

// FerretDB 1.24 (SQLite) held one pooled connection per `updateOne` statement until the end of
// the command; bulks of tally upserts on existing counters then waited for each other forever
// and the whole database hung (found by `npm run bench`). These finish within the test timeout.
describe('tally updates under concurrency', function () {
  this.timeout(60000);
  beforeEach(clearDatabase);

  const keys = (n: number): Map<string, number> => new Map(Array.from({ length: n }, (_, i) => [`a:q${i}:x`, 1]));

  it('one bulk touching more than 100 existing counters, then three concurrent 40-counter bulks, all complete with exact counts', async () => {
    await applyTallies('busy-survey', keys(110));
    await applyTallies('busy-survey', keys(110));
    await Promise.all([1, 2, 3].map(() => applyTallies('busy-survey', keys(40))));
    const tallies = await readTallies('busy-survey');
    expect(tallies.size).to.equal(110);
    expect(tallies.get('a:q0:x')).to.equal(5);
    expect(tallies.get('a:q39:x')).to.equal(5);
    expect(tallies.get('a:q40:x')).to.equal(2);
  });
});
