import { INTEGER, LIST, STRUCT, VARCHAR, listValue, structValue, timestampValue, type DuckDBAppender } from '@duckdb/node-api';
import { emptyLanguageCounts, TERM_KINDS, type OpenTextCounts, type TermKind } from '../../analytics/open-text.js';
import type { ResponseFilter } from '../filters.js';
import type { EngineRow } from './engine-rows.js';
import { whereOf } from './engine-query.js';
import type { EngineStore, SurveyTable } from './engine-store.js';

/**
 * `t<n>`: a row per open answer, with its analysis features (`answerFeatures`) as lists, so the
 * open answers page sums them in SQL instead of analysing every matching answer on each view.
 * Term lists hold each key once per answer, so a count of rows is a count of answers.
 */
export const TEXT_COLUMNS =
  'id VARCHAR, ord INTEGER, question VARCHAR, lang VARCHAR, ts TIMESTAMP, text VARCHAR, counted BOOLEAN, ' +
  'words VARCHAR[], phrases VARCHAR[], idea_words VARCHAR[], idea_phrases VARCHAR[], topics VARCHAR[], ' +
  'forms STRUCT(k VARCHAR, f VARCHAR, n INTEGER)[], parts STRUCT(k VARCHAR, a VARCHAR, b VARCHAR)[]';

/**
 * `s<n>`: what the open answers of a survey add up to, unfiltered, as rows to sum: per language,
 * answers counted, answers per term and per topic, occurrences per written form. Each batch of
 * answers appends its sums; removed answers append theirs negated; `SUMMARY_COMPACT` folds the
 * rows into one per item now and then. The unfiltered open answers page (the default) reads it
 * instead of unnesting every answer's features (at 1M responses, ~410k answers: seconds).
 */
export const SUMMARY_COLUMNS = 'lang VARCHAR, kind VARCHAR, key VARCHAR, form VARCHAR, n BIGINT';

/** Folds `s<n>` into one row per item (the sums of its rows), dropping items that sum to nothing. */
export function summaryCompactSql(n: number): string[] {
  return [
    `CREATE OR REPLACE TEMP TABLE s_folded AS SELECT lang, kind, key, form, sum(n)::BIGINT AS n FROM s${n} GROUP BY lang, kind, key, form HAVING sum(n) <> 0`,
    `DELETE FROM s${n}`,
    `INSERT INTO s${n} SELECT * FROM s_folded`,
    'DROP TABLE s_folded',
  ];
}

/** The sums of the open answers of the responses `$1` (a list of ids), negated: appended to `s<n>` before they are deleted from `t<n>`. */
export function summarySubtractSql(n: number): string {
  const of = `FROM t${n} WHERE list_contains($1, id)`;
  const terms = TERM_KINDS.map((kind) => `SELECT lang, '${kind}' AS kind, unnest(${COLUMN_OF[kind]}) AS key ${of}`).join(' UNION ALL ');
  return `INSERT INTO s${n}
    SELECT lang, 'answers', '', '', -count(*) ${of} AND counted GROUP BY lang
    UNION ALL SELECT lang, kind, key, '', -count(*) FROM (${terms}) GROUP BY lang, kind, key
    UNION ALL SELECT lang, 'topic', topic, '', -count(*) FROM (SELECT lang, unnest(topics) AS topic ${of}) GROUP BY lang, topic
    UNION ALL SELECT x.lang, 'form', x.k, x.f, -sum(x.n) FROM (SELECT lang, unnest(forms, recursive := true) ${of}) x GROUP BY x.lang, x.k, x.f`;
}

/** Appends the sums of the open answers of `rows` to `s<n>` (the same sums `summarySubtractSql` takes back). */
export function appendSummary(a: DuckDBAppender, rows: EngineRow[]): number {
  const sums = new Map<string, { lang: string; kind: string; key: string; form: string; n: number }>();
  const add = (lang: string, kind: string, key: string, form: string, n: number): void => {
    const id = `${lang}\u0000${kind}\u0000${key}\u0000${form}`;
    const found = sums.get(id);
    if (found) found.n += n;
    else sums.set(id, { lang, kind, key, form, n });
  };
  for (const r of rows) {
    for (const { features: f } of r.texts) {
      if (f.counted) add(r.lang, 'answers', '', '', 1);
      for (const kind of TERM_KINDS) for (const key of f[kind]) add(r.lang, kind, key, '', 1);
      for (const topic of f.topics) add(r.lang, 'topic', topic, '', 1);
      for (const [key, form, count] of f.forms) add(r.lang, 'form', key, form, count);
    }
  }
  for (const x of sums.values()) {
    a.appendVarchar(x.lang);
    a.appendVarchar(x.kind);
    a.appendVarchar(x.key);
    a.appendVarchar(x.form);
    a.appendBigInt(BigInt(x.n));
    a.endRow();
  }
  return sums.size;
}

const STRINGS = LIST(VARCHAR);
const FORMS = LIST(STRUCT({ k: VARCHAR, f: VARCHAR, n: INTEGER }));
const PARTS = LIST(STRUCT({ k: VARCHAR, a: VARCHAR, b: VARCHAR }));
const COLUMN_OF: Record<TermKind, string> = { words: 'words', phrases: 'phrases', ideaWords: 'idea_words', ideaPhrases: 'idea_phrases' };

/** Appends the open answers of `rows` through the table's kept appender (the store flushes it: see EngineStore). */
export function appendTexts(a: DuckDBAppender, rows: EngineRow[]): void {
  for (const r of rows) {
    r.texts.forEach((t, ord) => {
      const f = t.features;
      a.appendVarchar(r.id);
      a.appendInteger(ord);
      a.appendVarchar(t.question);
      a.appendVarchar(r.lang);
      a.appendTimestamp(timestampValue(BigInt(r.at) * 1000n));
      a.appendVarchar(t.text);
      a.appendBoolean(f.counted);
      for (const kind of TERM_KINDS) a.appendList(f[kind], STRINGS);
      a.appendList(f.topics, STRINGS);
      a.appendList(listValue(f.forms.map(([k, form, count]) => structValue({ k, f: form, n: count }))), FORMS);
      a.appendList(listValue(f.parts.map(([k, first, second]) => structValue({ k, a: first, b: second }))), PARTS);
      a.endRow();
    });
  }
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v ?? 0));

/** The matching answers (those of the responses the filter finds in `r<n>`), with the filter's parameters. */
function matching(table: SurveyTable, filter: ResponseFilter): { from: string; where: ReturnType<typeof whereOf> } {
  const where = whereOf(filter, table);
  return { from: `t${table.n} ${where.sql ? `WHERE id IN (SELECT id FROM r${table.n} ${where.sql})` : ''}`, where };
}

/**
 * The open-text analysis counts over the answers a filter matches, as `combineOpenText` takes
 * them: answers per language, answers per term (only terms in at least `minCount` answers, with
 * their written forms, and the parts of listed new-idea phrases), answers per topic and language.
 * Parts come from the last answer in the order the page lists them (newest first, then id and
 * position), as when the answers were analysed one by one in that order.
 */
export async function engineOpenTextCounts(store: EngineStore, table: SurveyTable | undefined, filter: ResponseFilter, minCount: number): Promise<OpenTextCounts> {
  const counts: OpenTextCounts = { languages: new Map(), topics: new Map() };
  if (!table) return counts;
  const m = matching(table, filter);
  const min = Math.max(1, Math.floor(minCount));
  if (!m.where.sql) return readCounts(store, summaryQuery(table.n, min), m.where, counts);
  // Each branch reads the table itself (only the columns it needs): a shared CTE of the matching
  // rows would be materialised whole, text and lists included, which was ten times slower.
  const unnested = TERM_KINDS.map((kind) => `SELECT lang, '${kind}' AS kind, unnest(${COLUMN_OF[kind]}) AS key FROM ${m.from}`).join(' UNION ALL ');
  const last = 'ORDER BY x.ts, x.id DESC, x.ord DESC';
  const sql = `WITH terms AS MATERIALIZED (SELECT lang, kind, key, count(*) AS n FROM (${unnested}) GROUP BY lang, kind, key HAVING count(*) >= ${min})
    SELECT 'answers' AS s, lang, NULL AS a, NULL AS b, NULL AS c, count(*) AS n FROM ${m.from} ${m.where.sql ? 'AND' : 'WHERE'} counted GROUP BY lang
    UNION ALL SELECT 'term', lang, kind, key, NULL, n FROM terms
    UNION ALL SELECT 'topic', lang, topic, NULL, NULL, count(*) FROM (SELECT lang, unnest(topics) AS topic FROM ${m.from}) GROUP BY lang, topic
    UNION ALL SELECT 'form', x.lang, x.k, x.f, NULL, sum(x.n) FROM (SELECT lang, unnest(forms, recursive := true) FROM ${m.from}) x
      SEMI JOIN (SELECT DISTINCT lang, key FROM terms) l ON l.lang = x.lang AND l.key = x.k GROUP BY x.lang, x.k, x.f
    UNION ALL SELECT 'part', x.lang, x.k, first(x.a ${last}), first(x.b ${last}), NULL
      FROM (SELECT lang, ts, id, ord, unnest(parts, recursive := true) FROM ${m.from}) x
      SEMI JOIN (SELECT lang, key FROM terms WHERE kind = 'ideaPhrases') l ON l.lang = x.lang AND l.key = x.k GROUP BY x.lang, x.k
    ORDER BY s, lang, a, b`;
  return readCounts(store, sql, m.where, counts);
}

/**
 * The unfiltered counts from the sums in `s<n>`; parts (the words of listed new-idea phrases)
 * still come from the answers that have any, in page order, as in the query over all answers.
 */
function summaryQuery(n: number, min: number): string {
  const last = 'ORDER BY x.ts, x.id DESC, x.ord DESC';
  return `WITH sums AS MATERIALIZED (SELECT lang, kind, key, form, sum(n) AS n FROM s${n} GROUP BY lang, kind, key, form HAVING sum(n) <> 0),
    terms AS MATERIALIZED (SELECT lang, kind, key, n FROM sums WHERE kind IN (${TERM_KINDS.map((k) => `'${k}'`).join(', ')}) AND n >= ${min})
    SELECT 'answers' AS s, lang, NULL AS a, NULL AS b, NULL AS c, n FROM sums WHERE kind = 'answers'
    UNION ALL SELECT 'term', lang, kind, key, NULL, n FROM terms
    UNION ALL SELECT 'topic', lang, key, NULL, NULL, n FROM sums WHERE kind = 'topic'
    UNION ALL SELECT 'form', x.lang, x.key, x.form, NULL, x.n FROM sums x WHERE x.kind = 'form'
      AND EXISTS (SELECT 1 FROM terms l WHERE l.lang = x.lang AND l.key = x.key)
    UNION ALL SELECT 'part', x.lang, x.k, first(x.a ${last}), first(x.b ${last}), NULL
      FROM (SELECT lang, ts, id, ord, unnest(parts, recursive := true) FROM t${n} WHERE len(parts) > 0) x
      SEMI JOIN (SELECT lang, key FROM terms WHERE kind = 'ideaPhrases') l ON l.lang = x.lang AND l.key = x.k GROUP BY x.lang, x.k
    ORDER BY s, lang, a, b`;
}

async function readCounts(store: EngineStore, sql: string, where: ReturnType<typeof whereOf>, counts: OpenTextCounts): Promise<OpenTextCounts> {
  const c = await store.viewReader();
  try {
    const found = (await c.runAndReadAll(sql, where.values, where.types)).getRowObjectsJS();
    const lang = (code: string) => {
      let acc = counts.languages.get(code);
      if (!acc) counts.languages.set(code, (acc = emptyLanguageCounts()));
      return acc;
    };
    for (const r of found) {
      const [code, a, b] = [String(r.lang), String(r.a), String(r.b)];
      if (r.s === 'answers') lang(code).answers = num(r.n);
      else if (r.s === 'term') lang(code).terms[a as TermKind].set(b, num(r.n));
      else if (r.s === 'form') {
        const forms = lang(code).forms;
        forms.set(a, (forms.get(a) ?? new Map<string, number>()).set(b, num(r.n)));
      } else if (r.s === 'part') lang(code).parts.set(a, [b, String(r.c)]);
      else counts.topics.set(a, (counts.topics.get(a) ?? new Map<string, number>()).set(code, num(r.n)));
    }
    return counts;
  } finally {
    c.closeSync();
  }
}
