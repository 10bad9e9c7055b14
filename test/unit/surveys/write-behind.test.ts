import { expect } from 'chai';
import { WriteBehind } from '../../../surveys/write-behind.js';

describe('write-behind queue', () => {
  it('settled() called while a write is under way and more values wait writes those too at once, without sitting out the busy pause', async () => {
    const writes: number[][] = [];
    let release: () => void = () => undefined;
    const queue = new WriteBehind<number[]>({
      empty: () => [],
      merge: (into, from) => void into.push(...from),
      write: async (_key, value) => {
        writes.push([...value]);
        if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
      // An hour: a settled() that waited for the pause would never end within the test's timeout.
      busyPauseMs: 3_600_000,
    });
    const first = queue.add('survey', [1]);
    const second = queue.add('survey', [2, 3]);
    const settled = queue.settled();
    release();
    await settled;
    await Promise.all([first, second]);
    expect(writes).to.deep.equal([[1], [2, 3]]);
  });
});
