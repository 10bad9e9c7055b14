import { expect } from 'chai';
import { mulberry32 } from '../../../../analytics/seeded-random.js';
import { CounterIndex } from '../../../../surveys/insights/counter-index.js';
import type { ResponseFilter } from '../../../../surveys/filters.js';

interface Row {
  at: number;
  lang: string;
  channel: string;
  location: string | null;
  counts: Map<string, number>;
}

/** What the index must give, summed row by row. */
function naive(rows: Row[], f: ResponseFilter): Map<string, number> {
  const out = new Map<string, number>();
  const add = (k: string, v: number): void => void out.set(k, (out.get(k) ?? 0) + v);
  for (const r of rows) {
    const answersOk = Object.entries(f.answers).every(([q, vals]) => vals.some((v) => (r.counts.get(`a:${q}:${v}`) ?? 0) > 0));
    const from = f.from ? Date.parse(`${f.from}T00:00:00Z`) : -Infinity;
    const to = f.to ? Date.parse(`${f.to}T00:00:00Z`) + 86_400_000 : Infinity;
    if (!answersOk || (f.lang && r.lang !== f.lang) || (f.channel && r.channel !== f.channel) || (f.location && r.location !== f.location) || r.at < from || r.at >= to) continue;
    add('total', 1);
    add(`day:${new Date(r.at).toISOString().slice(0, 10)}`, 1);
    add(`channel:${r.channel}`, 1);
    add(`lang:${r.lang}`, 1);
    if (r.location) add(`loc:${r.location}`, 1);
    for (const [k, v] of r.counts) if (v) add(k, v);
  }
  return out;
}

const sorted = (m: Map<string, number> | null): [string, number][] => [...(m ?? new Map<string, number>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('counter index (bitmaps of the analytical copy, for filtered views)', () => {
  const random = mulberry32(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  // 3,000 rows: past the first two sizes the index grows through; values 0–40 (bit slices up to 6).
  const rows: Row[] = Array.from({ length: 3000 }, () => {
    const counts = new Map<string, number>();
    counts.set(`a:age:${pick(['18-24', '25-34', '35-44', '65-plus'])}`, 1);
    if (random() < 0.4) counts.set('a:children:yes', 1);
    if (random() < 0.3) counts.set('a:household:3', 1);
    counts.set('p:reading', Math.floor(random() * 4));
    counts.set('s:satisfaction:sum', Math.floor(random() * 41));
    return { at: Date.UTC(2026, 0, 1) + Math.floor(random() * 120) * 86_400_000 + 3_600_000, lang: pick(['en', 'es', 'ar']), channel: pick(['web', 'kiosk']), location: pick([null, '', 'Main', 'East']), counts };
  });
  const index = new CounterIndex();
  for (const r of rows) index.add(r);

  const cases: [string, ResponseFilter][] = [
    ['everyone', { answers: {}, weighted: false }],
    ['es', { answers: {}, lang: 'es', weighted: false }],
    ['kiosk at East', { answers: {}, channel: 'kiosk', location: 'East', weighted: false }],
    ['35-44 or 65+, with children, es, from March', { answers: { age: ['35-44', '65-plus'], children: ['yes'] }, lang: 'es', from: '2026-03-01', weighted: false }],
    ['a day', { answers: {}, from: '2026-02-10', to: '2026-02-10', weighted: false }],
    ['household written 03', { answers: { household: ['03'] }, weighted: false }],
    ['a language nobody used', { answers: {}, lang: 'vi', weighted: false }],
    ['an answer nobody gave', { answers: { age: ['99-plus'] }, weighted: false }],
  ];
  for (const [name, f] of cases) {
    it(`${name}: every counter, day, channel, language and location as summing the rows one by one`, () => {
      // "03" is the number 3, as the engine reads numbers: the rows counted are those with 3.
      const want = naive(rows, name === 'household written 03' ? { ...f, answers: { household: ['3'] } } : f);
      expect(sorted(index.tallies(f))).to.deep.equal(sorted(want));
    });
  }

  it('the same filter asked again, after another, and after a row is added: always as summing the rows', () => {
    const local = new CounterIndex();
    const mine = rows.slice(0, 500);
    for (const r of mine) local.add(r);
    const [es, kiosk] = [cases[1]![1], cases[2]![1]];
    for (const f of [es, kiosk, es, es]) expect(sorted(local.tallies(f))).to.deep.equal(sorted(naive(mine, f)));
    const extra = { ...rows[600]!, lang: 'es' };
    local.add(extra);
    expect(sorted(local.tallies(es))).to.deep.equal(sorted(naive([...mine, extra], es)));
  });

  it('only some counters (counts): the total and those keys as summing the rows, nothing else', () => {
    const keys = ['p:reading', 's:satisfaction:sum', 'a:children:yes', 'a:never-given'];
    for (const [name, f] of cases.filter(([n]) => n !== 'household written 03')) {
      const want = sorted(naive(rows, f)).filter(([k]) => k === 'total' || keys.includes(k));
      expect(sorted(index.counts(f, keys)), name).to.deep.equal(want);
    }
    expect(index.counts({ answers: { neighborhood: ['Elm'] }, weighted: false }, keys)).to.equal(null);
  });

  it('a filter on a question without counter keys is left to DuckDB (null)', () => {
    expect(index.tallies({ answers: { neighborhood: ['Elm'] }, weighted: false })).to.equal(null);
  });

  it('refuses a counter it cannot hold (negative or fractional)', () => {
    const i = new CounterIndex();
    const at = i.addRow(0, 'en', 'web', null);
    expect(() => i.set(at, 'x', -1)).to.throw(/cannot be indexed/);
    expect(() => i.set(at, 'x', 1.5)).to.throw(/cannot be indexed/);
  });
});
