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

const STRINGS = LIST(VARCHAR);
const FORMS = LIST(STRUCT({ k: VARCHAR, f: VARCHAR, n: INTEGER }));
const PARTS = LIST(STRUCT({ k: VARCHAR, a: VARCHAR, b: VARCHAR }));
const COLUMN_OF: Record<TermKind, string> = { words: 'words', phrases: 'phrases', ideaWords: 'idea_words', ideaPhrases: 'idea_phrases' };

/** Appends the open answers of these rows to `t<n>`. */
/** Appends the open answers of `rows` through the table's kept appender (flushed, not closed: see EngineStore). */
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
  a.flushSync();
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
  const c = await store.reader();
  try {
    const found = (await c.runAndReadAll(sql, m.where.values, m.where.types)).getRowObjectsJS();
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
