import type { WeightedCell } from '../../analytics/index.js';
import { TALLY, type TallyMap } from '../tally.js';
import type { ResponseFilter } from '../filters.js';
import type { EngineRow } from './engine-rows.js';

/**
 * An in-memory index of one survey table's counters, beside the DuckDB copy, for filtered views:
 * a bitmap per counter key (bit-sliced for values above 1), and per row its language, channel,
 * location, day and time as small codes. A filter becomes a bitmap (answers: the OR of their
 * keys' bitmaps; the rest: one pass over the codes), and each counter's sum is the popcount of
 * its slices ANDed with it. DuckDB reads every counter column of every row before it filters
 * (~1 s for a three-condition filter at 1M responses); this reads ~15 MB of bitmaps.
 *
 * Kept for appended rows; a removal or replacement drops it (the table's `index` is then built
 * again from DuckDB). About 40 bytes per response plus 1 bit per counter key and response.
 */
export class CounterIndex {
  size = 0;
  private capacity = 0;
  private words = 0;
  private ts = new Float64Array(0);
  private day = new Uint16Array(0);
  private lang = new Uint16Array(0);
  private channel = new Uint16Array(0);
  private location = new Uint16Array(0);
  private readonly dict = { day: new Codes(), lang: new Codes(), channel: new Codes(), location: new Codes() };
  /** Key → its bit slices (slice i holds bit i of the row's value). */
  private readonly keys = new Map<string, Uint32Array[]>();

  constructor(expected = 1024) {
    this.grow(Math.max(1024, expected));
  }

  private grow(min: number): void {
    let capacity = Math.max(this.capacity, 1024);
    while (capacity < min) capacity *= 2;
    if (capacity === this.capacity) return;
    const resized = <T extends Float64Array | Uint16Array | Uint32Array>(a: T, length: number): T => {
      const b = new (a.constructor as new (n: number) => T)(length);
      b.set(a);
      return b;
    };
    this.ts = resized(this.ts, capacity);
    this.day = resized(this.day, capacity);
    this.lang = resized(this.lang, capacity);
    this.channel = resized(this.channel, capacity);
    this.location = resized(this.location, capacity);
    this.capacity = capacity;
    this.words = capacity >>> 5;
    for (const [key, slices] of this.keys) this.keys.set(key, slices.map((s) => resized(s, this.words)));
  }

  /** Adds a row: its columns and its counters (`counts`, without the derived ones). */
  add(row: Pick<EngineRow, 'at' | 'lang' | 'channel' | 'location' | 'counts'>): void {
    const i = this.addRow(row.at, row.lang, row.channel, row.location);
    for (const [key, v] of row.counts) this.set(i, key, v);
  }

  /** Adds a row's columns; its counters follow with `set`. Returns its position. */
  addRow(at: number, lang: string, channel: string, location: string | null): number {
    const i = this.size;
    if (i >= this.capacity) this.grow(i + 1);
    this.ts[i] = at;
    this.day[i] = this.dict.day.code(new Date(at).toISOString().slice(0, 10));
    this.lang[i] = this.dict.lang.code(lang);
    this.channel[i] = this.dict.channel.code(channel);
    // 0: no location (null or empty), as the engine's location counts leave them out.
    this.location[i] = location ? this.dict.location.code(location) : 0;
    this.size = i + 1;
    return i;
  }

  /** Sets a counter of the row at position `i` (a whole number, 0 or more). */
  set(i: number, key: string, v: number): void {
    if (!v) return;
    if (!Number.isInteger(v) || v < 0) throw new Error(`counter ${key} = ${v} cannot be indexed`);
    let slices = this.keys.get(key);
    if (!slices) this.keys.set(key, (slices = []));
    const word = i >>> 5;
    const bit = 1 << (i & 31);
    for (let b = 0, rest = v; rest > 0; b++, rest = Math.floor(rest / 2)) {
      if (!(rest & 1)) continue;
      while (slices.length <= b) slices.push(new Uint32Array(this.words));
      slices[b]![word]! |= bit;
    }
  }

  /** The last filter's bitmap (a view asks for counters and cells of the same filter), while no row was added. */
  private last?: { filter: string; size: number; rows: Uint32Array | null };

  /** The rows a filter matches, as a bitmap (read only); null when it names an answer without counter keys. */
  private matching(filter: ResponseFilter): Uint32Array | null {
    const id = JSON.stringify([filter.answers, filter.lang, filter.channel, filter.location, filter.from, filter.to]);
    if (this.last?.filter === id && this.last.size === this.size) return this.last.rows;
    const rows = this.match(filter);
    this.last = { filter: id, size: this.size, rows };
    return rows;
  }

  private match(filter: ResponseFilter): Uint32Array | null {
    const f = new Uint32Array(this.words);
    // Every row there is.
    const full = this.size >>> 5;
    f.fill(0xffffffff, 0, full);
    if (this.size & 31) f[full] = (1 << (this.size & 31)) - 1;
    for (const [qid, wanted] of Object.entries(filter.answers)) {
      const prefix = `a:${qid}:`;
      const own = [...this.keysOf(prefix)];
      if (!own.length) return null;
      const values = new Set([...wanted, ...wanted.filter((v) => /^-?\d+$/.test(v)).map((v) => String(Number(v)))]);
      const any = new Uint32Array(this.words);
      for (const key of own) {
        if (!values.has(key.slice(prefix.length))) continue;
        for (const slice of this.keys.get(key)!) for (let w = 0; w < this.words; w++) any[w]! |= slice[w]!;
      }
      for (let w = 0; w < this.words; w++) f[w]! &= any[w]!;
    }
    const code = (codes: Codes, value: string | undefined): number | null => (value === undefined ? null : (codes.known(value) ?? -1));
    const lang = code(this.dict.lang, filter.lang);
    const channel = code(this.dict.channel, filter.channel);
    const location = code(this.dict.location, filter.location);
    const from = filter.from ? Date.parse(`${filter.from}T00:00:00Z`) : null;
    const to = filter.to ? Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000 : null;
    if (lang !== null || channel !== null || location !== null || from !== null || to !== null) {
      // Only the rows the answers left are looked at (a few percent of them with a three-condition filter).
      for (let w = 0; w < this.words; w++) {
        let bits = f[w]!;
        let kept = bits;
        while (bits) {
          const low = bits & -bits;
          bits ^= low;
          const i = (w << 5) + 31 - Math.clz32(low);
          const keep = (lang === null || this.lang[i] === lang) && (channel === null || this.channel[i] === channel) && (location === null || this.location[i] === location) && (from === null || this.ts[i]! >= from) && (to === null || this.ts[i]! < to);
          if (!keep) kept &= ~low;
        }
        f[w] = kept;
      }
    }
    return f;
  }

  /**
   * Raking cells of the matching rows: one per combination of answers to the population
   * questions ('' for none), with its respondents, topic interest and Borda points, sorted by key.
   * Null when a filter or a question is not one the index can answer (a question without counter
   * keys, or a row with two answers to one of them): DuckDB then groups the rows.
   */
  cells(questions: string[], filter: ResponseFilter): WeightedCell[] | null {
    const f = this.matching(filter);
    if (!f) return null;
    // Per question, its answers' bitmaps (any value above 0); a row's answer is the one whose bit it has.
    const answers: { value: string; bits: Uint32Array }[][] = [];
    for (const q of questions) {
      const prefix = `a:${q}:`;
      const own = [...this.keysOf(prefix)].map((key) => ({ value: key.slice(prefix.length), bits: this.anyOf(key) }));
      if (!own.length) return null;
      answers.push(own);
    }
    const topicKeys = [...this.keys].filter(([key]) => key.startsWith('t:') || key.startsWith('p:')).map(([key, slices]) => ({ topic: key.slice(2), interest: key.startsWith('t:'), slices }));
    const cells = new Map<string, WeightedCell>();
    const key: string[] = new Array<string>(questions.length);
    for (let w = 0; w < this.words; w++) {
      let bits = f[w]!;
      while (bits) {
        const low = bits & -bits;
        bits ^= low;
        for (let q = 0; q < answers.length; q++) {
          let value = '';
          for (const a of answers[q]!) {
            if (!(a.bits[w]! & low)) continue;
            // Two answers to one question in a row: which one the cell takes is DuckDB's to say.
            if (value) return null;
            value = a.value;
          }
          key[q] = value;
        }
        const id = key.join('\u0000');
        let cell = cells.get(id);
        if (!cell) cells.set(id, (cell = { key: [...key], count: 0, interested: {}, bordaPoints: {}, ratingSum: {}, ratingCount: {} }));
        cell.count += 1;
        for (const t of topicKeys) {
          let v = 0;
          for (let b = 0; b < t.slices.length; b++) if (t.slices[b]![w]! & low) v += 2 ** b;
          if (!v) continue;
          const into = t.interest ? cell.interested : cell.bordaPoints;
          into[t.topic] = (into[t.topic] ?? 0) + v;
        }
      }
    }
    return sortCells([...cells.values()]);
  }

  /** A key's rows with any value above 0 (its one slice, or the OR of its slices). */
  private anyOf(key: string): Uint32Array {
    const slices = this.keys.get(key)!;
    if (slices.length === 1) return slices[0]!;
    const any = new Uint32Array(this.words);
    for (const slice of slices) for (let w = 0; w < this.words; w++) any[w]! |= slice[w]!;
    return any;
  }

  /**
   * The counters of the rows a filter matches, as the engine's query gives them, or null when
   * the filter names an answer that has no counter keys (short text, other numbers, rankings):
   * those are left to DuckDB, which searches the stored answers.
   */
  tallies(filter: ResponseFilter): TallyMap | null {
    const f = this.matching(filter);
    if (!f) return null;
    const out: TallyMap = new Map();
    const total = popcount(f, f);
    if (!total) return out;
    out.set(TALLY.total, total);
    for (const [key, slices] of this.keys) {
      let sum = 0;
      slices.forEach((slice, b) => (sum += popcount(f, slice) * 2 ** b));
      if (sum) out.set(key, sum);
    }
    // Day, channel, language and location counts: one look at each matching row.
    const days = new Uint32Array(this.dict.day.size + 1);
    const langs = new Uint32Array(this.dict.lang.size + 1);
    const channels = new Uint32Array(this.dict.channel.size + 1);
    const locations = new Uint32Array(this.dict.location.size + 1);
    for (let w = 0; w < this.words; w++) {
      let bits = f[w]!;
      while (bits) {
        const low = bits & -bits;
        const i = (w << 5) + 31 - Math.clz32(low);
        bits ^= low;
        days[this.day[i]!]!++;
        langs[this.lang[i]!]!++;
        channels[this.channel[i]!]!++;
        locations[this.location[i]!]!++;
      }
    }
    const put = (counts: Uint32Array, codes: Codes, key: (v: string) => string, from = 1): void => {
      for (let c = from; c < counts.length; c++) if (counts[c]) out.set(key(codes.value(c)), counts[c]!);
    };
    put(days, this.dict.day, TALLY.day);
    put(channels, this.dict.channel, TALLY.channel);
    put(langs, this.dict.lang, TALLY.lang);
    put(locations, this.dict.location, TALLY.location);
    return out;
  }

  /**
   * Only these counters (and the total) of the rows a filter matches: what `tallies` gives for
   * them, without the others or the day, channel, language and location counts (a dashboard
   * compares each of ~25 answer groups with everyone on the topics alone).
   */
  counts(filter: ResponseFilter, keys: string[]): TallyMap | null {
    const f = this.matching(filter);
    if (!f) return null;
    const out: TallyMap = new Map();
    const total = popcount(f, f);
    if (!total) return out;
    out.set(TALLY.total, total);
    for (const key of keys) {
      let sum = 0;
      this.keys.get(key)?.forEach((slice, b) => (sum += popcount(f, slice) * 2 ** b));
      if (sum) out.set(key, sum);
    }
    return out;
  }

  private *keysOf(prefix: string): Iterable<string> {
    for (const key of this.keys.keys()) if (key.startsWith(prefix)) yield key;
  }
}

/** Cells in one order whichever way they were grouped (their key, compared part by part), so sums over them come out the same to the last digit. */
export function sortCells(cells: WeightedCell[]): WeightedCell[] {
  return cells.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i]! < b.key[i]! ? -1 : 1;
    return 0;
  });
}

/** Values ↔ small codes (1, 2, …; 0 is "none"). */
class Codes {
  private readonly byValue = new Map<string, number>();
  private readonly values: string[] = [''];
  get size(): number {
    return this.values.length - 1;
  }
  code(value: string): number {
    let c = this.byValue.get(value);
    if (c === undefined) {
      c = this.values.length;
      if (c > 65535) throw new Error('too many distinct values to index');
      this.values.push(value);
      this.byValue.set(value, c);
    }
    return c;
  }
  known(value: string): number | undefined {
    return this.byValue.get(value);
  }
  value(code: number): string {
    return this.values[code]!;
  }
}

/** Bits set in both (a & b), word by word. */
function popcount(a: Uint32Array, b: Uint32Array): number {
  let n = 0;
  for (let w = 0; w < a.length; w++) {
    let v = a[w]! & b[w]!;
    if (!v) continue;
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}
