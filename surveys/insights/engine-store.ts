import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, LIST, VARCHAR, listValue, timestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { CounterIndex } from './counter-index.js';
import { addRowTallies, type EngineRow } from './engine-rows.js';
import { appendSummary, appendTexts, SUMMARY_COLUMNS, summaryCompactSql, summarySubtractSql, TEXT_COLUMNS } from './engine-texts.js';

/**
 * The analytical copy of the responses: an embedded DuckDB file beside the app. MongoDB stays
 * the system of record; this copy only counts. One table per survey (`r<n>`): a row per
 * response with its language, channel, location, tag, time, the answers a filter can name, and
 * one integer column per counter key (`k<n>`), so any filter is a columnar scan and a sum.
 * Open answers sit in `t<n>`, with their analysis features (engine-texts.ts).
 */
export interface EngineOptions {
  /** The file; ':memory:' keeps it in memory (tests). */
  file: string;
  memoryLimitMb: number;
  threads?: number;
}

export interface SurveyTable {
  slug: string;
  n: number;
  /** Counter key → column number, in column order. */
  columns: Map<string, number>;
  /**
   * The counters summed over every row (what an unfiltered view asks, and the "everyone else"
   * of a group comparison), kept up to date as rows are appended; dropped (counted again when
   * next asked) when rows are replaced or removed.
   */
  unfiltered?: Map<string, number>;
  /** Bumped by every write, so a reader knows whether what it counted is still current. */
  generation: number;
  /** The counters in memory for filtered views (counter-index.ts), once built; dropped with `unfiltered`. */
  index?: CounterIndex;
  /** Set while the index is being built. */
  indexing?: Promise<void>;
}

const FIXED = 'id VARCHAR, version INTEGER, lang VARCHAR, channel VARCHAR, location VARCHAR, tag VARCHAR, ts TIMESTAMP, vals VARCHAR[]';
const VALUES_TYPE = LIST(VARCHAR);
/**
 * The layout of the tables. A file written with another layout (an older app) is deleted and
 * filled again from MongoDB: it is only a copy, and refilling is how every other doubt is settled.
 * 2: open answers carry their analysis features.
 * 3: the sums of the open answers' features (`s<n>`); no counters of ranking places.
 */
export const SCHEMA_VERSION = 3;
/** Live batches of responses are flushed together, at most this long after they are appended. */
const FLUSH_MS = 1000;
/** A batch at least this large is flushed at once. */
const FLUSH_ROWS = 500;

/** `s<n>` is folded once this many rows were appended to it since it last was. */
const SUMMARY_FOLD_ROWS = 50_000;

export class EngineStore {
  private instance?: DuckDBInstance;
  private writer?: DuckDBConnection;
  private readonly tables = new Map<string, SurveyTable>();
  /** Writes run one at a time (schema changes and appends must not interleave). */
  private queue: Promise<unknown> = Promise.resolve();
  /** Set when the file could not be opened, or had an older layout, and a new one was started (everything is rebuilt). */
  recreated: false | 'damaged' | 'schema' = false;
  /**
   * One appender per table, kept and flushed after each batch: an appender made per batch holds
   * native memory the garbage collector does not see (measured: RSS 1.5 GB after 3,000 small
   * batches into a 175-column table, against a flat 115 MB with one appender flushed each time).
   */
  private readonly appenders = new Map<string, DuckDBAppender>();
  /**
   * Appenders holding rows not flushed yet. A flush costs about the same for 1 row as for 1,000
   * (10–20 ms of the main thread into a 175-column table: 40 % of the app's time at 200
   * submissions/s when every group of responses was flushed at once), so small live batches are
   * flushed together: at most FLUSH_MS later, and before anything reads or changes the tables
   * (every view waits for `idle()`), so a view still sees an answer as soon as it is stored.
   */
  private readonly unflushed = new Set<DuckDBAppender>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: EngineOptions) {}

  async open(): Promise<void> {
    // Spilled data goes beside the file, or (in memory) under the system's temporary folder, never the working directory.
    const temp = this.opts.file === ':memory:' ? path.join(os.tmpdir(), 'community-needs-duckdb') : `${this.opts.file}.tmp`;
    const config = { memory_limit: `${this.opts.memoryLimitMb}MB`, threads: String(this.opts.threads ?? 2), preserve_insertion_order: 'false', temp_directory: temp };
    if (this.opts.file !== ':memory:') fs.mkdirSync(path.dirname(this.opts.file), { recursive: true });
    const start = async (): Promise<void> => {
      this.instance = await DuckDBInstance.create(this.opts.file, config);
      this.writer = await this.instance.connect();
    };
    let current: boolean;
    try {
      await start();
      current = await this.checkSchema();
      if (current) await this.loadCatalog();
    } catch (err) {
      // A damaged or truncated file (a crash mid-write, a disk error): it is only a copy, so it is
      // moved aside and rebuilt from MongoDB.
      if (this.opts.file === ':memory:') throw err;
      this.close();
      for (const f of [this.opts.file, `${this.opts.file}.wal`]) if (fs.existsSync(f)) fs.renameSync(f, `${f}.damaged-${Date.now()}`);
      await start();
      await this.checkSchema();
      await this.loadCatalog();
      this.recreated = 'damaged';
      return;
    }
    if (current) return;
    // Written by an older app: nothing in it is worth keeping (unlike a damaged file, kept to look at).
    this.close();
    for (const f of [this.opts.file, `${this.opts.file}.wal`]) fs.rmSync(f, { force: true });
    await start();
    await this.checkSchema();
    await this.loadCatalog();
    this.recreated = 'schema';
  }

  /** True when the file is new (the layout is recorded) or has this layout; false when it was written with another. */
  private async checkSchema(): Promise<boolean> {
    const w = this.w();
    const tables = (await w.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")).getRowObjectsJS().map((r) => String(r.table_name));
    if (!tables.length) {
      await w.run('CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)');
      await w.run("INSERT INTO meta VALUES ('schema', $1)", [String(SCHEMA_VERSION)]);
      return true;
    }
    if (!tables.includes('meta')) return false;
    const found = (await w.runAndReadAll("SELECT value FROM meta WHERE key = 'schema'")).getRowObjectsJS()[0]?.value;
    return found === String(SCHEMA_VERSION);
  }

  close(): void {
    this.dropAppenders();
    this.writer?.closeSync();
    this.instance?.closeSync();
    this.writer = undefined;
    this.instance = undefined;
  }

  /** Told when the file was opened again after a fatal error (what it holds must be checked). */
  onReopened?: () => void;

  /**
   * DuckDB stops a database after a fatal error (e.g. a checkpoint that could not get memory:
   * "database has been invalidated"); committed writes are durable, so it is opened again (its
   * log replayed, or, failing that, set aside and refilled) and the app goes on.
   */
  async recoverFrom(err: unknown): Promise<void> {
    if (!/invalidated|must be restarted/i.test(String(err instanceof Error ? err.message : err))) return;
    this.close();
    await this.open();
    this.onReopened?.();
  }

  /** A connection for a view's reads, once the writes queued before are done and flushed. */
  async viewReader(): Promise<DuckDBConnection> {
    await this.idle();
    return this.reader();
  }

  /** A connection for reads (each query its own, so reads run beside writes). */
  async reader(): Promise<DuckDBConnection> {
    if (!this.instance) throw new Error('analytics engine is not open');
    return this.instance.connect();
  }

  private async appender(table: string): Promise<DuckDBAppender> {
    let a = this.appenders.get(table);
    if (!a) this.appenders.set(table, (a = await this.w().createAppender(table)));
    return a;
  }

  /** Flushes the rows appended since the last flush (inside the write queue). */
  private flushAppenders(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const pending = [...this.unflushed];
    this.unflushed.clear();
    for (const a of pending) a.flushSync();
  }

  /** Rows appended through `a` are flushed with the next write or read, or FLUSH_MS from now. */
  private flushSoon(a: DuckDBAppender): void {
    this.unflushed.add(a);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.serial(async () => undefined).catch(() => undefined);
    }, FLUSH_MS).unref();
  }

  private dropAppenders(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.unflushed.clear();
    // Closing flushes what an appender still holds.
    for (const a of this.appenders.values()) {
      try {
        a.closeSync();
      } catch {
        // a failed batch left it unusable: it is replaced
      }
    }
    this.appenders.clear();
  }

  private w(): DuckDBConnection {
    if (!this.writer) throw new Error('analytics engine is not open');
    return this.writer;
  }

  /** Resolves once every write queued so far is done and flushed (a view then sees them). */
  idle(): Promise<void> {
    return this.serial(async () => undefined).catch(() => undefined);
  }

  /**
   * Runs `run` after the writes queued before it. Rows appended but not flushed are flushed
   * first, unless `run` only appends more (`appending`: a live batch of responses).
   */
  private serial<T>(run: () => Promise<T>, appending = false): Promise<T> {
    const fn = (): Promise<T> =>
      (async () => {
        if (!appending) this.flushAppenders();
        return run();
      })().catch(async (err: unknown) => {
        this.dropAppenders();
        await this.recoverFrom(err);
        throw err;
      });
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async loadCatalog(): Promise<void> {
    const w = this.w();
    await w.run('CREATE TABLE IF NOT EXISTS surveys (slug VARCHAR PRIMARY KEY, n INTEGER)');
    await w.run('CREATE TABLE IF NOT EXISTS key_columns (n INTEGER, key VARCHAR, col INTEGER)');
    this.tables.clear();
    for (const row of (await w.runAndReadAll('SELECT slug, n FROM surveys')).getRowObjectsJS()) this.tables.set(String(row.slug), { slug: String(row.slug), n: Number(row.n), columns: new Map(), generation: 0 });
    const byN = new Map([...this.tables.values()].map((t) => [t.n, t]));
    for (const row of (await w.runAndReadAll('SELECT n, key, col FROM key_columns ORDER BY n, col')).getRowObjectsJS()) byN.get(Number(row.n))?.columns.set(String(row.key), Number(row.col));
    // A table whose counter columns do not match the list (left so by a crash before these
    // writes were made transactional, or edited by hand) is dropped: it is filled again.
    for (const t of [...this.tables.values()]) {
      const cols = (await w.runAndReadAll(`SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'r${t.n}' AND column_name LIKE 'k%'`)).getRowObjectsJS().map((r) => String(r.c));
      const expected = [...t.columns.values()].map((c) => `k${c}`);
      if (cols.length === expected.length && expected.every((c) => cols.includes(c))) continue;
      await this.transaction(async () => {
        await w.run(`DROP TABLE IF EXISTS r${t.n}`);
        await w.run(`DROP TABLE IF EXISTS t${t.n}`);
        await w.run(`DROP TABLE IF EXISTS s${t.n}`);
        await w.run('DELETE FROM key_columns WHERE n = $1', [t.n]);
        await w.run('DELETE FROM surveys WHERE n = $1', [t.n]);
      });
      this.tables.delete(t.slug);
    }
  }

  /** Schema changes and the catalog that describes them commit together or not at all. */
  private async transaction(fn: () => Promise<void>): Promise<void> {
    const w = this.w();
    await w.run('BEGIN TRANSACTION');
    try {
      await fn();
      await w.run('COMMIT');
    } catch (err) {
      await w.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  table(slug: string): SurveyTable | undefined {
    return this.tables.get(slug);
  }

  slugs(): string[] {
    return [...this.tables.keys()];
  }

  private async ensureTable(slug: string): Promise<SurveyTable> {
    const known = this.tables.get(slug);
    if (known) return known;
    const w = this.w();
    const n = this.tables.size ? Math.max(...[...this.tables.values()].map((t) => t.n)) + 1 : 1;
    await this.transaction(async () => {
      await w.run(`DROP TABLE IF EXISTS r${n}`);
      await w.run(`DROP TABLE IF EXISTS t${n}`);
      await w.run(`DROP TABLE IF EXISTS s${n}`);
      await w.run(`CREATE TABLE r${n} (${FIXED})`);
      await w.run(`CREATE TABLE t${n} (${TEXT_COLUMNS})`);
      await w.run(`CREATE TABLE s${n} (${SUMMARY_COLUMNS})`);
      await w.run('DELETE FROM key_columns WHERE n = $1', [n]);
      await w.run('INSERT INTO surveys VALUES ($1, $2)', [slug, n]);
    });
    const table: SurveyTable = { slug, n, columns: new Map(), generation: 0 };
    this.tables.set(slug, table);
    return table;
  }

  private async ensureColumns(table: SurveyTable, rows: EngineRow[]): Promise<void> {
    const missing = [...new Set(rows.flatMap((r) => [...r.counts.keys()]))].filter((key) => !table.columns.has(key));
    if (!missing.length) return;
    const w = this.w();
    const first = table.columns.size;
    this.dropAppenders(); // their column lists are about to change
    await this.transaction(async () => {
      for (const [i, key] of missing.entries()) {
        await w.run(`ALTER TABLE r${table.n} ADD COLUMN k${first + i} INTEGER DEFAULT 0`);
        await w.run('INSERT INTO key_columns VALUES ($1, $2, $3)', [table.n, key, first + i]);
      }
    });
    missing.forEach((key, i) => table.columns.set(key, first + i));
  }

  /** Adds responses (replacing any already there under the same id: following the change log may repeat one). */
  add(slug: string, rows: EngineRow[], opts: { fresh?: boolean } = {}): Promise<void> {
    if (!rows.length) return Promise.resolve();
    return this.serial(async () => {
      const table = await this.ensureTable(slug);
      await this.ensureColumns(table, rows);
      if (!opts.fresh) {
        this.flushAppenders(); // so the delete sees every row appended before
        await this.deleteIds(table, rows.map((r) => r.id));
      }
      const appender = await this.appender(`r${table.n}`);
      const width = table.columns.size;
      for (const r of rows) {
        appender.appendVarchar(r.id);
        appender.appendInteger(r.version);
        appender.appendVarchar(r.lang);
        appender.appendVarchar(r.channel);
        if (r.location === null) appender.appendNull();
        else appender.appendVarchar(r.location);
        if (r.tag === null) appender.appendNull();
        else appender.appendVarchar(r.tag);
        appender.appendTimestamp(timestampValue(BigInt(r.at) * 1000n));
        appender.appendList(r.values, VALUES_TYPE);
        const cells = new Array<number>(width).fill(0);
        for (const [key, v] of r.counts) cells[table.columns.get(key)!] = v;
        for (const v of cells) appender.appendInteger(v);
        appender.endRow();
      }
      this.flushSoon(appender);
      // Visible to new queries (each flushes first): a reader that began before cannot keep what it counted.
      table.generation += 1;
      if (table.unfiltered) for (const r of rows) addRowTallies(r, table.unfiltered);
      if (table.index) for (const r of rows) table.index.add(r);
      if (rows.some((r) => r.texts.length)) {
        const texts = await this.appender(`t${table.n}`);
        appendTexts(texts, rows);
        this.flushSoon(texts);
        const sums = await this.appender(`s${table.n}`);
        const appended = appendSummary(sums, rows);
        this.flushSoon(sums);
        await this.summaryAppended(table, appended);
      }
      // A large batch (a refill) is flushed at once: what an appender holds is memory.
      if (rows.length >= FLUSH_ROWS) this.flushAppenders();
    }, true);
  }

  /** Rows appended to each `s<n>` since it was last folded (counted from this start: a restart folds a little later). */
  private readonly summaryRows = new Map<number, number>();

  private async summaryAppended(table: SurveyTable, rows: number): Promise<void> {
    const total = (this.summaryRows.get(table.n) ?? 0) + rows;
    this.summaryRows.set(table.n, total);
    if (total >= SUMMARY_FOLD_ROWS) await this.foldSummary(table);
  }

  private async foldSummary(table: SurveyTable): Promise<void> {
    const name = `s${table.n}`;
    this.flushAppenders();
    this.appenders.get(name)?.closeSync();
    this.appenders.delete(name);
    await this.transaction(async () => {
      for (const sql of summaryCompactSql(table.n)) await this.w().run(sql);
    });
    this.summaryRows.set(table.n, 0);
  }

  private async deleteIds(table: SurveyTable, ids: string[]): Promise<void> {
    const w = this.w();
    table.unfiltered = undefined;
    table.index = undefined;
    table.generation += 1;
    const list = [listValue(ids.map(String))];
    await w.run(`DELETE FROM r${table.n} WHERE list_contains($1, id)`, list, [VALUES_TYPE]);
    await w.run(summarySubtractSql(table.n), list, [VALUES_TYPE]);
    await w.run(`DELETE FROM t${table.n} WHERE list_contains($1, id)`, list, [VALUES_TYPE]);
  }

  /** Removes responses by id (deleted or moved in MongoDB). */
  remove(slug: string, ids: string[]): Promise<void> {
    const table = this.tables.get(slug);
    if (!table || !ids.length) return Promise.resolve();
    return this.serial(() => this.deleteIds(table, ids));
  }

  /** Empties one survey's copy (before it is rebuilt from MongoDB). */
  clear(slug: string): Promise<void> {
    const table = this.tables.get(slug);
    if (!table) return Promise.resolve();
    return this.serial(async () => {
      table.unfiltered = undefined;
      table.index = undefined;
      table.generation += 1;
      await this.w().run(`DELETE FROM r${table.n}`);
      await this.w().run(`DELETE FROM t${table.n}`);
      await this.w().run(`DELETE FROM s${table.n}`);
    });
  }

  /**
   * Builds the table's counter index from its rows, between writes (so none is missed), unless
   * it is there or on its way. Resolves once it is built.
   */
  indexed(table: SurveyTable): Promise<void> {
    if (table.index) return Promise.resolve();
    table.indexing ??= this.serial(async () => {
      if (table.index) return;
      const index = new CounterIndex();
      const keys = [...table.columns];
      const c = await this.reader();
      try {
        const result = await c.stream(`SELECT epoch_ms(ts) AS at, lang, channel, location${keys.map(([, col]) => `, k${col}`).join('')} FROM r${table.n}`);
        for (;;) {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          const columns = Array.from({ length: keys.length + 4 }, (_, j) => chunk.getColumnVector(j));
          for (let r = 0; r < chunk.rowCount; r++) {
            const i = index.addRow(Number(columns[0]!.getItem(r)), String(columns[1]!.getItem(r)), String(columns[2]!.getItem(r)), (columns[3]!.getItem(r) as string | null) ?? null);
            for (let k = 0; k < keys.length; k++) {
              const v = columns[k + 4]!.getItem(r) as number | null;
              if (v) index.set(i, keys[k]![0], v);
            }
          }
        }
      } finally {
        c.closeSync();
      }
      table.index = index;
    }).finally(() => {
      table.indexing = undefined;
    });
    return table.indexing;
  }

  /** Responses held per survey. */
  async counts(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const c = await this.reader();
    try {
      for (const t of this.tables.values()) out.set(t.slug, Number((await c.runAndReadAll(`SELECT count(*) AS n FROM r${t.n}`)).getRowObjectsJS()[0]!.n));
    } finally {
      c.closeSync();
    }
    return out;
  }

  /** Writes the copy's changes into its file (at shutdown; DuckDB also does it on its own), its open-answer sums folded first. */
  checkpoint(): Promise<void> {
    return this.serial(async () => {
      for (const t of this.tables.values()) await this.foldSummary(t);
      await this.w().run('CHECKPOINT');
    });
  }
}
