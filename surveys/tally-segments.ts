import { hasOptions, type Question, type SurveyDefinition } from './definition.schema.js';
import type { ResponseFilter } from './filters.js';
import { tallyIncrements, type TallyMap, type TallySource } from './tally.js';

/**
 * A segment is the group of responses a one-filter dashboard view asks for: one language, one
 * channel, one location, or one answer to one question ("age = 65-plus", "chose job skills").
 * Each segment keeps its own full set of counters, updated with everyone's (the segment `*`),
 * so such a view reads one small document instead of every matching response.
 */
export const SEGMENT = {
  /** Everyone: the survey's own counters. */
  everyone: '*',
  lang: (l: string): string => `lang=${l}`,
  channel: (c: string): string => `channel=${c}`,
  location: (l: string): string => `location=${l}`,
  answer: (q: string, value: string): string => `q.${q}=${value}`,
} as const;

/** Everyone's counters and each segment's. */
export interface SurveyCounts {
  all: TallyMap;
  segments: Map<string, TallyMap>;
}

export function newCounts(): SurveyCounts {
  return { all: new Map(), segments: new Map() };
}

/** Questions whose answers make segments: the ones a dashboard filter can name by a fixed value. */
function segmentQuestion(q: Question): boolean {
  return hasOptions(q) || q.type === 'rating' || (q.type === 'number' && q.demographic);
}

/** A number filter ("04") names the same answers as its canonical form ("4"); see filterQuery. */
function canonical(q: Question, value: string): string {
  return !hasOptions(q) && /^-?\d+$/.test(value) ? String(Number(value)) : value;
}

/**
 * The segments one response belongs to, under the definition version it answered. An answer
 * with several values (a multi-choice, a ranking) puts the response in each value's segment,
 * as the filter `q.<id>=<value>` matches any of them.
 */
export function responseSegments(def: SurveyDefinition, r: TallySource): string[] {
  const out = new Set<string>([SEGMENT.lang(r.lang), SEGMENT.channel(r.channel)]);
  if (r.location) out.add(SEGMENT.location(r.location));
  for (const q of def.questions) {
    const value = r.answers[q.id];
    if (value === undefined || value === '' || !segmentQuestion(q)) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string' || typeof v === 'number') out.add(SEGMENT.answer(q.id, String(v)));
    }
  }
  return [...out];
}

/**
 * The segment a filter is, or null when it is not exactly one: no filter, two conditions, a
 * date range, several values of one question (an "or"), or a question kind without segments.
 * Staff's "weighted" switch does not change which responses count.
 */
export function filterSegment(def: SurveyDefinition, f: ResponseFilter): string | null {
  if (f.from || f.to) return null;
  const conditions: string[] = [];
  if (f.lang) conditions.push(SEGMENT.lang(f.lang));
  if (f.channel) conditions.push(SEGMENT.channel(f.channel));
  if (f.location) conditions.push(SEGMENT.location(f.location));
  for (const [qid, values] of Object.entries(f.answers)) {
    const q = def.questions.find((x) => x.id === qid);
    if (!q || !segmentQuestion(q) || values.length !== 1) return null;
    conditions.push(SEGMENT.answer(qid, canonical(q, values[0]!)));
  }
  return conditions.length === 1 ? conditions[0]! : null;
}

/** Adds one set of counters into another. */
export function addCounters(into: TallyMap, from: TallyMap): void {
  for (const [k, n] of from) into.set(k, (into.get(k) ?? 0) + n);
}

/**
 * One answer's counts, as a submission hands them to the counters: everyone's and each of its
 * segments' are the same increments, so they share one map. Read-only: merge them into others
 * (as the write-behind queue does), never add to them.
 */
export function answerCounts(def: SurveyDefinition, r: TallySource): SurveyCounts {
  const increments = tallyIncrements(def, r);
  return { all: increments, segments: new Map(responseSegments(def, r).map((segment) => [segment, increments])) };
}

/** Adds one response to everyone's counters and to those of each segment it belongs to (bulk loads and rebuilds). */
export function countResponse(def: SurveyDefinition, r: TallySource, into: SurveyCounts): SurveyCounts {
  const increments = tallyIncrements(def, r);
  addCounters(into.all, increments);
  for (const segment of responseSegments(def, r)) {
    let counters = into.segments.get(segment);
    if (!counters) into.segments.set(segment, (counters = new Map()));
    addCounters(counters, increments);
  }
  return into;
}

/** Adds counts into others (answers merged while a write is under way). */
export function mergeCounts(into: SurveyCounts, from: SurveyCounts): void {
  addCounters(into.all, from.all);
  mergeSegments(into.segments, from.segments);
}

/** Adds each segment's counters into the same segment's, creating segments as needed. */
export function mergeSegments(into: Map<string, TallyMap>, from: Map<string, TallyMap>): void {
  for (const [segment, counters] of from) {
    let target = into.get(segment);
    if (!target) into.set(segment, (target = new Map()));
    addCounters(target, counters);
  }
}
