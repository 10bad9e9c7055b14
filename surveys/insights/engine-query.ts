import { LIST, TIMESTAMP, VARCHAR, listValue, timestampValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { WeightedCell } from '../../analytics/index.js';
import type { ResponseFilter } from '../filters.js';
import { TALLY, type TallyMap } from '../tally.js';
import { sortCells } from './counter-index.js';
import { answerValueKey } from './engine-rows.js';
import type { EngineStore, SurveyTable } from './engine-store.js';

/** A WHERE clause with its parameters, built from checked filter values (never SQL from input). */
interface Where {
  sql: string;
  values: DuckDBValue[];
  types: DuckDBType[];
}

const dayStart = (d: string): bigint => BigInt(Date.parse(`${d}T00:00:00Z`)) * 1000n;

/** The filter as SQL over a survey's rows: the same responses `filterQuery` finds in MongoDB. */
/**
 * An answer filter through the counter columns when the question has them (choices, ratings,
 * demographic numbers: `a:<q>:<value>` counted for every response that gave the value): a
 * columnar comparison, ~10× faster than searching each row's `vals` list. A value no response
 * gave has no column and matches nothing. Questions without such columns (rankings, short text,
 * other numbers, or nobody has answered yet) search `vals`.
 */
function keyedCondition(table: SurveyTable | undefined, qid: string, wanted: string[]): string | null {
  if (!table) return null;
  const keyed = [...table.columns.keys()].some((k) => k.startsWith(`a:${qid}:`));
  if (!keyed) return null;
  const values = new Set([...wanted, ...wanted.filter((v) => /^-?\d+$/.test(v)).map((v) => String(Number(v)))]);
  const cols: number[] = [];
  for (const [key, col] of table.columns) {
    if (key.startsWith(`a:${qid}:`) && values.has(key.slice(qid.length + 3))) cols.push(col);
  }
  return cols.length ? `(${cols.map((c) => `k${c} > 0`).join(' OR ')})` : 'FALSE';
}

export function whereOf(filter: ResponseFilter, table?: SurveyTable): Where {
  const conds: string[] = [];
  const values: DuckDBValue[] = [];
  const types: DuckDBType[] = [];
  const param = (value: DuckDBValue, type: DuckDBType): string => {
    values.push(value);
    types.push(type);
    return `$${values.length}`;
  };
  for (const [qid, wanted] of Object.entries(filter.answers)) {
    const keyed = keyedCondition(table, qid, wanted);
    if (keyed) {
      conds.push(keyed);
      continue;
    }
    // As filterQuery: each value as text, and as a number when it is one (ratings, household size).
    const candidates = [...wanted.map((v) => answerValueKey(qid, v)), ...wanted.filter((v) => /^-?\d+$/.test(v)).map((v) => answerValueKey(qid, Number(v)))];
    conds.push(`list_has_any(vals, ${param(listValue(candidates), LIST(VARCHAR))})`);
  }
  if (filter.channel) conds.push(`channel = ${param(filter.channel, VARCHAR)}`);
  if (filter.lang) conds.push(`lang = ${param(filter.lang, VARCHAR)}`);
  if (filter.location) conds.push(`location = ${param(filter.location, VARCHAR)}`);
  if (filter.from) conds.push(`ts >= ${param(timestampValue(dayStart(filter.from)), TIMESTAMP)}`);
  if (filter.to) conds.push(`ts < ${param(timestampValue(dayStart(filter.to) + 86_400_000_000n), TIMESTAMP)}`);
  return { sql: conds.length ? `WHERE ${conds.join(' AND ')}` : '', values, types };
}

async function rows(c: DuckDBConnection, sql: string, where: Where): Promise<Record<string, unknown>[]> {
  return (await c.runAndReadAll(sql, where.values, where.types)).getRowObjectsJS() as Record<string, unknown>[];
}

/** A read that fails because DuckDB stopped the database gets it opened again (the view still fails this once). */
async function reading<T>(store: EngineStore, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    await store.recoverFrom(err).catch(() => undefined);
    throw err;
  }
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(v ?? 0));

/** The counters for the responses a filter matches: what summing `tallyIncrements` over them gives. */
export function engineTallies(store: EngineStore, table: SurveyTable | undefined, filter: ResponseFilter): Promise<TallyMap> {
  return reading(store, () => tallies(store, table, filter));
}

/** Only these counters (and the total) for the responses a filter matches; the counter index answers without the rest when it can. */
export async function engineCounts(store: EngineStore, table: SurveyTable | undefined, filter: ResponseFilter, keys: string[]): Promise<TallyMap> {
  const fromIndex = table && whereOf(filter, table).sql ? table.index?.counts(filter, keys) : undefined;
  const all = fromIndex ?? (await engineTallies(store, table, filter));
  const out: TallyMap = new Map();
  for (const key of [TALLY.total, ...keys]) {
    const v = all.get(key);
    if (v) out.set(key, v);
  }
  return out;
}

async function tallies(store: EngineStore, table: SurveyTable | undefined, filter: ResponseFilter): Promise<TallyMap> {
  if (!table) return new Map();
  const where = whereOf(filter, table);
  // Unfiltered: the sums the store keeps as rows arrive, once counted.
  if (!where.sql && table.unfiltered) return new Map(table.unfiltered);
  // Filtered: from the counter index when it is built and can express the filter, else DuckDB
  // (and the index is built meanwhile, for the next view).
  if (where.sql) {
    const fromIndex = table.index?.tallies(filter);
    if (fromIndex) return fromIndex;
    if (!table.index) void store.indexed(table).catch(() => undefined);
  }
  const generation = table.generation;
  const out = await count(store, table, where);
  if (!where.sql && table.generation === generation) table.unfiltered = new Map(out);
  return out;
}

async function count(store: EngineStore, table: SurveyTable, where: Where): Promise<TallyMap> {
  const out: TallyMap = new Map();
  const sums = [...table.columns.values()].map((col) => `sum(k${col}) AS k${col}`);
  const c = await store.viewReader();
  try {
    const [totals] = await rows(c, `SELECT count(*) AS total${sums.length ? `, ${sums.join(', ')}` : ''} FROM r${table.n} ${where.sql}`, where);
    const total = num(totals?.total);
    if (!total) return out;
    out.set(TALLY.total, total);
    for (const [key, col] of table.columns) {
      const v = num(totals?.[`k${col}`]);
      if (v) out.set(key, v);
    }
    const groups = await rows(
      c,
      `SELECT 'day' AS kind, strftime(ts, '%Y-%m-%d') AS v, count(*) AS n FROM r${table.n} ${where.sql} GROUP BY v
       UNION ALL SELECT 'channel', channel, count(*) FROM r${table.n} ${where.sql} GROUP BY channel
       UNION ALL SELECT 'lang', lang, count(*) FROM r${table.n} ${where.sql} GROUP BY lang
       UNION ALL SELECT 'loc', location, count(*) FROM r${table.n} ${where.sql} ${where.sql ? 'AND' : 'WHERE'} location IS NOT NULL AND location <> '' GROUP BY location`,
      where,
    );
    const keyOf = { day: TALLY.day, channel: TALLY.channel, lang: TALLY.lang, loc: TALLY.location } as const;
    for (const g of groups) out.set(keyOf[g.kind as keyof typeof keyOf](String(g.v)), num(g.n));
    return out;
  } finally {
    c.closeSync();
  }
}

/**
 * Raking cells: one per combination of answers to the population questions, with each cell's
 * respondents, topic interest and Borda points (as weightedCells always built them).
 */
export async function engineCells(store: EngineStore, table: SurveyTable | undefined, questions: string[], filter: ResponseFilter): Promise<WeightedCell[]> {
  if (!table) return [];
  const fromIndex = table.index?.cells(questions, filter);
  if (fromIndex) return fromIndex;
  if (!table.index) void store.indexed(table).catch(() => undefined);
  const where = whereOf(filter, table);
  // A single answer's value, '' when none: list_filter keeps the entries of that question.
  const keyCols = questions.map((q, i) => {
    const text = `${q}=`;
    const number = `${q}#`;
    return `coalesce(list_transform(list_filter(vals, x -> starts_with(x, '${text.replace(/'/g, "''")}') OR starts_with(x, '${number.replace(/'/g, "''")}')), x -> substr(x, ${q.length + 2}))[1], '') AS c${i}`;
  });
  const topicCols = [...table.columns].filter(([key]) => key.startsWith('t:') || key.startsWith('p:'));
  const select = [...keyCols, 'count(*) AS n', ...topicCols.map(([, col]) => `sum(k${col}) AS k${col}`)].join(', ');
  const groupBy = questions.length ? `GROUP BY ${questions.map((_, i) => `c${i}`).join(', ')}` : '';
  const c = await store.viewReader();
  try {
    const found = await rows(c, `SELECT ${select} FROM r${table.n} ${where.sql} ${groupBy}`, where);
    return sortCells(found
      .filter((r) => num(r.n) > 0)
      .map((r) => {
        const cell: WeightedCell = { key: questions.map((_, i) => String(r[`c${i}`] ?? '')), count: num(r.n), interested: {}, bordaPoints: {}, ratingSum: {}, ratingCount: {} };
        for (const [key, col] of topicCols) {
          const v = num(r[`k${col}`]);
          if (!v) continue;
          if (key.startsWith('t:')) cell.interested[key.slice(2)] = v;
          else cell.bordaPoints[key.slice(2)] = v;
        }
        return cell;
      }));
  } finally {
    c.closeSync();
  }
}

export interface EngineText {
  question: string;
  lang: string;
  at: Date;
  text: string;
}

/** Open answers of the matching responses: how many, one page of them (newest first), and, given `each`, a walk over all of them. */
export async function engineTexts(store: EngineStore, table: SurveyTable | undefined, filter: ResponseFilter, offset: number, limit: number, each?: (text: string, lang: string) => void): Promise<{ total: number; page: EngineText[]; lastPage: EngineText[] }> {
  if (!table) return { total: 0, page: [], lastPage: [] };
  const where = whereOf(filter, table);
  const matching = where.sql ? `WHERE id IN (SELECT id FROM r${table.n} ${where.sql})` : '';
  const c = await store.viewReader();
  try {
    const total = num((await rows(c, `SELECT count(*) AS n FROM t${table.n} ${matching}`, where))[0]?.n);
    const pageOf = async (from: number): Promise<EngineText[]> =>
      (await rows(c, `SELECT question, lang, ts, text FROM t${table.n} ${matching} ORDER BY ts DESC, id, ord LIMIT ${Math.max(0, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(from))}`, where)).map((r) => ({ question: String(r.question), lang: String(r.lang), at: r.ts as Date, text: String(r.text) }));
    const page = offset < total ? await pageOf(offset) : [];
    const lastPage = offset < total ? [] : await pageOf(Math.max(0, Math.floor((Math.max(total, 1) - 1) / limit) * limit));
    if (!each) return { total, page, lastPage };
    const result = await c.stream(`SELECT text, lang FROM t${table.n} ${matching} ORDER BY ts DESC, id, ord`, where.values, where.types);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const [text, lang] of chunk.getRows()) each(String(text), String(lang));
    }
    return { total, page, lastPage };
  } finally {
    c.closeSync();
  }
}
