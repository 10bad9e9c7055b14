import { expect } from 'chai';
import { answerFeatures } from '../../../../analytics/open-text.js';
import { getOpenTextResources } from '../../../../surveys/open-text-data.service.js';
import { engineOpenTextCounts } from '../../../../surveys/insights/engine-texts.js';
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

describe('analytical copy store: the sums of the open answers', () => {
  const texts: [string, string][] = [
    ['en', 'A sewing class and a knitting circle for adults'],
    ['en', 'More sewing classes please, and homework help'],
    ['es', 'Clases de costura y ayuda con las tareas'],
    ['es', 'Costura para adultos, por favor'],
    ['es', 'Clases de costura los sábados'],
    ['en', 'Knitting circle in the evening, sewing on weekends'],
    ['vi', 'Lớp học may vá cho người lớn'],
    ['en', 'homework help and sewing'],
  ];
  const rows = (prefix: string): EngineRow[] =>
    texts.map(([lang, text], i) =>
      row(`${prefix}${i}`, {}, { lang, at: Date.UTC(2026, 2, 1 + i), texts: [{ question: 'ideas', text, features: answerFeatures({ text, lang }, getOpenTextResources()) }] }),
    );
  // A filter that keeps every row but is a filter: the counts come from the answers themselves.
  const ALL_BY_ANSWERS: ResponseFilter = { answers: {}, weighted: false, from: '2000-01-01' };

  it('unfiltered (from the sums) equals the same answers counted one by one, after batches, a removal, a replacement and a fold', async () => {
    const store = new EngineStore({ file: ':memory:', memoryLimitMb: 64 });
    await store.open();
    try {
      const same = async (what: string): Promise<void> => {
        const table = store.table('s')!;
        const fromSums = await engineOpenTextCounts(store, table, NO_FILTER, 2);
        const oneByOne = await engineOpenTextCounts(store, table, ALL_BY_ANSWERS, 2);
        expect(fromSums, what).to.deep.equal(oneByOne);
      };
      await store.add('s', rows('a'), { fresh: true });
      await store.add('s', rows('b').slice(0, 5), { fresh: true });
      await same('two batches');
      const sewing = (await engineOpenTextCounts(store, store.table('s')!, NO_FILTER, 2)).languages.get('en')!;
      expect(sewing.answers, 'four English answers, then two more').to.equal(6);
      await store.remove('s', ['a0', 'a2', 'b1']);
      await same('after a removal');
      await store.add('s', rows('a').slice(0, 3), {});
      await same('after replacing three');
      await store.checkpoint();
      await same('after a fold');
      await store.remove('s', [...rows('a'), ...rows('b')].map((r) => r.id));
      expect((await engineOpenTextCounts(store, store.table('s')!, NO_FILTER, 1)).languages.size, 'nothing left').to.equal(0);
    } finally {
      store.close();
    }
  });
});
