import { expect } from 'chai';
import { engineTallies } from '../../../../surveys/insights/engine-query.js';
import type { EngineRow } from '../../../../surveys/insights/engine-rows.js';
import { EngineStore } from '../../../../surveys/insights/engine-store.js';
import type { ResponseFilter } from '../../../../surveys/filters.js';

const NO_FILTER: ResponseFilter = { answers: {}, weighted: false };

function row(id: string, counts: Record<string, number>, extra: Partial<EngineRow> = {}): EngineRow {
  return { id, version: 1, lang: 'en', channel: 'web', location: null, tag: null, at: Date.UTC(2026, 2, 2, 12), values: [], counts: new Map(Object.entries(counts)), texts: [], ...extra };
}

describe('analytical copy store: the unfiltered sums', () => {
  let store: EngineStore;
  beforeEach(async () => {
    store = new EngineStore({ file: ':memory:', memoryLimitMb: 64 });
    await store.open();
  });
  afterEach(() => store.close());

  it('keeps the unfiltered sums as rows arrive, and counts again after a removal', async () => {
    const table = async () => store.table('s')!;
    await store.add('s', [row('a', { 't:reading': 1 }, { location: 'Main', channel: 'kiosk' })], { fresh: true });
    const first = await engineTallies(store, await table(), NO_FILTER);
    expect((await table()).unfiltered, 'kept after an unfiltered count').to.not.equal(undefined);
    await store.add('s', [row('b', { 't:reading': 1, 't:jobs': 1 }, { lang: 'es', at: Date.UTC(2026, 2, 3) })], { fresh: true });
    const kept = await engineTallies(store, await table(), NO_FILTER);
    (await table()).unfiltered = undefined;
    expect(await engineTallies(store, await table(), NO_FILTER), 'kept sums = a recount').to.deep.equal(kept);
    expect(kept.get('total')).to.equal(1 + (first.get('total') ?? 0));
    await store.remove('s', ['a']);
    expect((await table()).unfiltered).to.equal(undefined);
    const after = await engineTallies(store, await table(), NO_FILTER);
    expect((await table()).unfiltered, 'counted again and kept').to.not.equal(undefined);
    expect(Object.fromEntries(after)).to.deep.equal({ total: 1, 't:reading': 1, 't:jobs': 1, 'day:2026-03-03': 1, 'channel:web': 1, 'lang:es': 1 });
  });
});

describe('analytical copy store: a count that overlaps a write is not kept', () => {
  it('an unfiltered count running while rows are appended is returned but not kept as the sums', async () => {
    const store = new EngineStore({ file: ':memory:', memoryLimitMb: 64 });
    await store.open();
    try {
      await store.add('s', Array.from({ length: 500 }, (_, i) => row(`a${i}`, { 't:reading': 1 })), { fresh: true });
      const table = store.table('s')!;
      const counting = engineTallies(store, table, NO_FILTER);
      const writing = store.add('s', [row('late', { 't:jobs': 1 })], { fresh: true });
      await Promise.all([counting, writing]);
      // Whatever the count saw, what is kept (if anything) includes the late row.
      if (table.unfiltered) expect(table.unfiltered.get('t:jobs')).to.equal(1);
      const now = await engineTallies(store, table, NO_FILTER);
      expect([now.get('total'), now.get('t:jobs')]).to.deep.equal([501, 1]);
    } finally {
      store.close();
    }
  });
});
