import mongoose from 'mongoose';
import type { WeightedCell } from '../../analytics/index.js';
import type { SurveyDefinition } from '../definition.schema.js';
import type { ResponseFilter } from '../filters.js';
import { ResponseModel } from '../response.model.js';
import { getSurveyVersion } from '../survey.service.js';
import type { TallyMap } from '../tally.js';
import type { OpenTextCounts } from '../../analytics/open-text.js';
import { engineCells, engineCounts, engineTallies, engineTexts, type EngineText } from './engine-query.js';
import { engineRow, type EngineRow, type StoredForAnalytics } from './engine-rows.js';
import { EngineStore, type EngineOptions } from './engine-store.js';
import { engineOpenTextCounts } from './engine-texts.js';

/**
 * The analytical copy as the rest of the app sees it: every analytics view reads it, every
 * write path tells it what changed. Until the app configures it (server/index.ts: a file under
 * the data folder, a memory limit, following other instances), it is kept in memory and a
 * survey is copied from MongoDB the first time a view asks for it (tests, commands).
 */
export interface CopyProgress {
  /** True while the copy is being filled from MongoDB: numbers shown are not final. */
  catchingUp: boolean;
  done: number;
  /** How many there are to copy, when known. */
  expected: number | null;
  percent: number | null;
}

let options: EngineOptions = { file: ':memory:', memoryLimitMb: 256 };
let store: EngineStore | undefined;
let opening: Promise<EngineStore> | undefined;
/** Surveys whose copy is known to hold every stored response (copied, or checked against MongoDB). */
const complete = new Set<string>();
const rebuilding = new Map<string, { done: number; expected: number | null; live: Set<string>; promise: Promise<void> }>();
/** While the app's first check runs, views show "catching up" instead of starting copies of their own. */
let checking: Promise<void> | null = null;
/** Set by the app (startFollowing): views never wait for a copy to fill, they show how far it got. */
let managed = false;
export function setManaged(on: boolean): void {
  managed = on;
}
const definitions = new Map<string, SurveyDefinition>();
let log: (level: 'info' | 'warn', msg: string, data?: Record<string, unknown>) => void = () => undefined;

export function configureAnalyticsCopy(opts: EngineOptions, logger?: typeof log): void {
  options = opts;
  if (logger) log = logger;
}

export async function copyStore(): Promise<EngineStore> {
  if (store) return store;
  opening ??= (async () => {
    const s = new EngineStore(options);
    // After a fatal DuckDB error the file is opened again: its surveys are checked (refilled) before they count as whole.
    s.onReopened = () => {
      log('warn', 'the analytics file was opened again after a fatal error; its surveys are checked again', { file: options.file });
      complete.clear();
    };
    await s.open();
    if (s.recreated === 'damaged') log('warn', 'the analytics file could not be read; a new one is being filled from MongoDB', { file: options.file });
    if (s.recreated === 'schema') log('info', 'the analytics file was written by an older version; a new one is being filled from MongoDB', { file: options.file });
    store = s;
    return s;
  })();
  return opening;
}

export function closeAnalyticsCopy(): void {
  store?.close();
  store = undefined;
  opening = undefined;
  complete.clear();
  rebuilding.clear();
}

/** Empties the copy (tests, after emptying the database). */
export async function resetAnalyticsCopy(): Promise<void> {
  await Promise.all([...inflight, ...[...rebuilding.values()].map((r) => r.promise)].map((p) => p.catch(() => undefined)));
  const s = await copyStore();
  await s.idle();
  for (const slug of s.slugs()) await s.clear(slug);
  complete.clear();
  definitions.clear();
}

export function setChecking(p: Promise<void> | null): void {
  checking = p;
}

export function markComplete(slug: string): void {
  complete.add(slug);
}

/**
 * The surveys the last check compared. A survey it did not know was created after it began, so
 * every response it has came through this app's write paths and the change log: its copy is
 * whole by construction, and a view of it never waits for a refill.
 */
let checked: Set<string> | null = null;
export function setChecked(slugs: Iterable<string>): void {
  checked = new Set(slugs);
}

function wholeByConstruction(slug: string): boolean {
  return managed && checked !== null && !checked.has(slug) && !rebuilding.has(slug);
}

/** The survey's copy is no longer known to be whole: filled again now (in the app) or when next read. */
export function markIncomplete(slug: string): Promise<void> {
  complete.delete(slug);
  return managed ? rebuildCopy([slug]) : Promise.resolve();
}

async function definitionOf(slug: string, version: number, fallback?: SurveyDefinition): Promise<SurveyDefinition | null> {
  const key = `${slug}@${version}`;
  const known = definitions.get(key);
  if (known) return known;
  const def = (await getSurveyVersion(slug, version)) ?? fallback ?? null;
  if (def) definitions.set(key, def);
  return def;
}

/** A stored response document (raw, or as the change log carries it) as what the copy keeps. */
export function forAnalytics(doc: Record<string, unknown>): StoredForAnalytics {
  const at = doc.submittedAt;
  return {
    id: String(doc._id ?? doc.id),
    surveySlug: String(doc.surveySlug),
    surveyVersion: Number(doc.surveyVersion),
    answers: (doc.answers ?? {}) as StoredForAnalytics['answers'],
    other: (doc.other ?? {}) as Record<string, string>,
    lang: String(doc.lang),
    channel: String(doc.channel),
    location: typeof doc.location === 'string' ? doc.location : null,
    tag: typeof doc.tag === 'string' ? doc.tag : null,
    submittedAt: at instanceof Date ? at : new Date(String(at)),
  };
}

async function rowsOf(docs: StoredForAnalytics[]): Promise<Map<string, EngineRow[]>> {
  const bySlug = new Map<string, EngineRow[]>();
  for (const d of docs) {
    const def = await definitionOf(d.surveySlug, d.surveyVersion);
    if (!def) continue;
    const list = bySlug.get(d.surveySlug) ?? [];
    list.push(engineRow(def, d));
    bySlug.set(d.surveySlug, list);
  }
  return bySlug;
}

/** Test hooks: e.g. hold a fill after its first batch, so a test sees "catching up" for certain. Empty in normal operation. */
export const rebuildHooks: { afterBatch?: () => Promise<void> } = {};

/** Adds still on their way into the copy: a view in this instance waits for them, so an answer shows at once. */
const inflight = new Set<Promise<void>>();

/**
 * Adds stored responses to the copy. `known` marks ones this instance stored just now (nothing
 * to replace); responses learned from the change log may repeat and replace their earlier copy.
 * Registered before it returns, so a view asked right after waits for it.
 */
export function addToCopy(docs: StoredForAnalytics[], opts: { known?: boolean } = {}): Promise<void> {
  if (!docs.length) return Promise.resolve();
  const p = (async () => {
    const s = await copyStore();
    for (const [slug, rows] of await rowsOf(docs)) {
      const rebuild = rebuilding.get(slug);
      if (rebuild) for (const r of rows) rebuild.live.add(r.id);
      await s.add(slug, rows, { fresh: Boolean(opts.known) && !rebuild });
    }
  })();
  inflight.add(p);
  void p.catch(() => undefined).finally(() => inflight.delete(p));
  return p;
}

export async function removeFromCopy(slug: string, ids: string[]): Promise<void> {
  await (await copyStore()).remove(slug, ids);
}

/**
 * Copies surveys from MongoDB again (one pass over the responses for all of them: on FerretDB
 * any filter reads the whole collection). Views meanwhile show "catching up" with the numbers so far.
 */
export function rebuildCopy(slugs: string[], expected: Map<string, number> = new Map()): Promise<void> {
  const todo = slugs.filter((s) => !rebuilding.has(s));
  if (!todo.length) return Promise.all(slugs.map((s) => rebuilding.get(s)?.promise)).then(() => undefined);
  const states = new Map(todo.map((slug) => [slug, { done: 0, expected: expected.get(slug) ?? null, live: new Set<string>(), promise: Promise.resolve() }]));
  const run = (async () => {
    const s = await copyStore();
    for (const slug of todo) {
      complete.delete(slug);
      await s.clear(slug);
    }
    const started = Date.now();
    let lastLog = started;
    let batch: StoredForAnalytics[] = [];
    const flush = async (): Promise<void> => {
      for (const [slug, rows] of await rowsOf(batch)) {
        const state = states.get(slug)!;
        const fresh = rows.filter((r) => !state.live.has(r.id));
        await s.add(slug, fresh, { fresh: true });
        state.done += rows.length;
      }
      batch = [];
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log('info', 'analytics copy catching up', { surveys: todo, copied: [...states.values()].reduce((a, b) => a + b.done, 0), seconds: Math.round((Date.now() - started) / 1000) });
      }
    };
    const filter = todo.length === 1 ? { surveySlug: todo[0] } : { surveySlug: mongoose.trusted({ $in: todo }) };
    const cursor = ResponseModel.find(filter, { surveySlug: 1, surveyVersion: 1, answers: 1, other: 1, lang: 1, channel: 1, location: 1, tag: 1, submittedAt: 1 }).lean().cursor({ batchSize: 2000 });
    for await (const doc of cursor) {
      batch.push(forAnalytics(doc as unknown as Record<string, unknown>));
      if (batch.length >= 2000) {
        await flush();
        if (rebuildHooks.afterBatch) await rebuildHooks.afterBatch();
      }
    }
    await flush();
    for (const slug of todo) complete.add(slug);
    log('info', 'analytics copy filled from MongoDB', { surveys: todo, responses: [...states.values()].reduce((a, b) => a + b.done, 0), seconds: Math.round((Date.now() - started) / 100) / 10 });
  })();
  const promise = run.finally(() => {
    for (const slug of todo) rebuilding.delete(slug);
  });
  for (const state of states.values()) state.promise = promise;
  for (const [slug, state] of states) rebuilding.set(slug, state);
  return promise;
}

export function copyProgress(slug: string): CopyProgress {
  const r = rebuilding.get(slug);
  if (r) return { catchingUp: true, done: r.done, expected: r.expected, percent: r.expected ? Math.min(99, Math.floor((100 * r.done) / Math.max(r.expected, 1))) : null };
  if (!complete.has(slug) && checking) return { catchingUp: true, done: 0, expected: null, percent: null };
  return { catchingUp: false, done: 0, expected: null, percent: null };
}

/**
 * The copy ready to read for these surveys: adds on their way in are in, and a survey never
 * copied is copied first (lazily, outside the app's own check; in the app the fill runs on while
 * views show how far it got).
 */
async function readyFor(slugs: string[]): Promise<EngineStore> {
  const s = await copyStore();
  await Promise.all([...inflight].map((p) => p.catch(() => undefined)));
  for (const slug of slugs) if (wholeByConstruction(slug)) complete.add(slug);
  const missing = slugs.filter((slug) => !complete.has(slug) && !rebuilding.has(slug));
  if (missing.length && !checking) {
    const filling = rebuildCopy(missing);
    if (managed) void filling.catch((err: unknown) => log('warn', 'could not fill the analytics copy', { slugs: missing, err: String(err) }));
    else await filling;
  }
  await s.idle();
  return s;
}

const ready = (slug: string): Promise<EngineStore> => readyFor([slug]);

/**
 * The survey's counter index (counter-index.ts) built, for filtered views to read: the app starts
 * it once a survey's copy is whole; the bench waits for it, so what it times is the steady state.
 */
export async function indexCopy(slug: string): Promise<void> {
  const s = await ready(slug);
  const table = s.table(slug);
  if (table) await s.indexed(table);
}

/** Builds the counter index of every survey whose copy is whole (after the app's first check), one after another. */
export async function indexWholeCopies(): Promise<void> {
  const s = await copyStore();
  for (const slug of s.slugs()) {
    const table = s.table(slug);
    if (table && complete.has(slug)) await s.indexed(table);
  }
}

export async function copyTallies(slug: string, filter: ResponseFilter): Promise<TallyMap> {
  const s = await ready(slug);
  return engineTallies(s, s.table(slug), filter);
}

/** Only these counters (and the total) for a filter: `copyTallies` narrowed, cheaper from the counter index. */
export async function copyKeyCounts(slug: string, filter: ResponseFilter, keys: string[]): Promise<TallyMap> {
  const s = await ready(slug);
  return engineCounts(s, s.table(slug), filter, keys);
}

export async function copyCells(slug: string, questions: string[], filter: ResponseFilter): Promise<WeightedCell[]> {
  const s = await ready(slug);
  return engineCells(s, s.table(slug), questions, filter);
}

/** The matching open answers: how many, one page (newest first); `each`, when given, sees every one of them. */
export async function copyTexts(slug: string, filter: ResponseFilter, offset: number, limit: number, each?: (text: string, lang: string) => void): Promise<{ total: number; page: EngineText[]; lastPage: EngineText[] }> {
  const s = await ready(slug);
  return engineTexts(s, s.table(slug), filter, offset, limit, each);
}

/** The open-text analysis counts of the matching answers (for `combineOpenText`). */
export async function copyOpenTextCounts(slug: string, filter: ResponseFilter, minCount: number): Promise<OpenTextCounts> {
  const s = await ready(slug);
  return engineOpenTextCounts(s, s.table(slug), filter, minCount);
}

/** Responses per survey, from the copy (filled first where it never was, as for any view). */
export async function copyTotals(slugs: string[]): Promise<Map<string, number>> {
  const counts = await (await readyFor(slugs)).counts();
  return new Map(slugs.map((slug) => [slug, counts.get(slug) ?? 0]));
}

/** Responses held per survey in the copy. */
export async function copyCounts(): Promise<Map<string, number>> {
  const s = await copyStore();
  await s.idle();
  return s.counts();
}
