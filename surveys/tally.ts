import { hasOptions, type SurveyDefinition } from './definition.schema.js';
import type { AnswerValue } from './answers.js';

/** The fields of a stored response that tallies are computed from. */
export interface TallySource {
  answers: Record<string, AnswerValue>;
  lang: string;
  channel: string;
  location?: string | null;
  submittedAt: Date;
}

/** Counter increments: key → amount. The same function feeds live tallies, rebuilds and filtered views. */
export type TallyMap = Map<string, number>;

export const TALLY = {
  total: 'total',
  day: (d: string): string => `day:${d}`,
  channel: (c: string): string => `channel:${c}`,
  lang: (l: string): string => `lang:${l}`,
  location: (l: string): string => `loc:${l}`,
  answered: (q: string): string => `answered:${q}`,
  option: (q: string, o: string): string => `a:${q}:${o}`,
  ratingSum: (q: string): string => `s:${q}:sum`,
  topicInterest: (t: string): string => `t:${t}`,
  topicPoints: (t: string): string => `p:${t}`,
  topicRatingSum: (t: string): string => `i:${t}:sum`,
  topicRatingCount: (t: string): string => `i:${t}:n`,
} as const;

function add(map: TallyMap, key: string, amount = 1): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

/** The number of places in the survey's (first) topic ranking question, 0 when it has none. */
export function rankingPlaces(def: SurveyDefinition): number {
  const q = def.questions.find((x) => x.type === 'ranking' && x.options.some((o) => o.topic));
  return q && q.type === 'ranking' ? q.top : 0;
}

/**
 * What one response adds to the counters. Topic interest counts a person once per topic even
 * when several options carry it; Borda points give N for 1st down to 1 for Nth.
 */
export function tallyIncrements(def: SurveyDefinition, r: TallySource, into: TallyMap = new Map()): TallyMap {
  add(into, TALLY.total);
  add(into, TALLY.day(r.submittedAt.toISOString().slice(0, 10)));
  add(into, TALLY.channel(r.channel));
  add(into, TALLY.lang(r.lang));
  if (r.location) add(into, TALLY.location(r.location));
  const interested = new Set<string>();
  for (const q of def.questions) {
    const value = r.answers[q.id];
    if (value === undefined || value === '') continue;
    add(into, TALLY.answered(q.id));
    if (q.type === 'ranking') {
      const picks = Array.isArray(value) ? value : [];
      // Only the points: no view reads how often an option was ranked in each place (a filter on
      // a ranking answer searches the stored answers instead), and each key is a column of the
      // analytical copy that every filtered view sums.
      picks.forEach((o, i) => {
        const topic = q.options.find((x) => x.id === o)?.topic;
        if (topic) add(into, TALLY.topicPoints(topic), q.top - i);
      });
    } else if (hasOptions(q)) {
      for (const o of Array.isArray(value) ? value : [String(value)]) {
        add(into, TALLY.option(q.id, o));
        const topic = q.options.find((x) => x.id === o)?.topic;
        if (topic && !q.demographic) interested.add(topic);
      }
    } else if (q.type === 'rating' && typeof value === 'number') {
      add(into, TALLY.option(q.id, String(value)));
      add(into, TALLY.ratingSum(q.id), value);
      if (q.topic) {
        add(into, TALLY.topicRatingSum(q.topic), value);
        add(into, TALLY.topicRatingCount(q.topic));
      }
    } else if (q.type === 'number' && typeof value === 'number' && q.demographic) {
      add(into, TALLY.option(q.id, String(value)));
    }
  }
  for (const t of interested) add(into, TALLY.topicInterest(t));
  return into;
}

/** Subtracts one tally map from another (everyone minus a segment = the rest). */
export function subtractTallies(all: TallyMap, part: TallyMap): TallyMap {
  const out: TallyMap = new Map(all);
  for (const [k, v] of part) out.set(k, (out.get(k) ?? 0) - v);
  return out;
}
