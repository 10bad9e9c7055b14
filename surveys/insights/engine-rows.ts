import { answerFeatures, type AnswerFeatures } from '../../analytics/open-text.js';
import type { AnswerValue } from '../answers.js';
import type { SurveyDefinition } from '../definition.schema.js';
import { getOpenTextResources } from '../open-text-data.service.js';
import { TALLY, tallyIncrements, type TallyMap, type TallySource } from '../tally.js';

/** What the analytical copy keeps of one response (never contacts). */
export interface StoredForAnalytics extends TallySource {
  /** The response's `_id` as a string (the submission id; an ObjectId's hex for older ones). */
  id: string;
  surveySlug: string;
  surveyVersion: number;
  tag?: string | null;
  other?: Record<string, string>;
}

/** One response as the engine stores it. */
export interface EngineRow {
  id: string;
  version: number;
  lang: string;
  channel: string;
  location: string | null;
  tag: string | null;
  /** Milliseconds since the epoch. */
  at: number;
  /** Every answer a filter can name: `<question>=<text>` for text, `<question>#<number>` for numbers. */
  values: string[];
  /** Counter increments, except those the engine derives from the columns (total, day, channel, language, location). */
  counts: Map<string, number>;
  /**
   * Open answers (free text and "other, please specify"), for the open answers page, with what
   * its analysis counts of each (computed here once, so a view only sums them).
   */
  texts: { question: string; text: string; features: AnswerFeatures }[];
}

/** Counter keys the engine computes from plain columns instead of storing them. */
export function isDerivedKey(key: string): boolean {
  return key === 'total' || key.startsWith('day:') || key.startsWith('channel:') || key.startsWith('lang:') || key.startsWith('loc:');
}

/** How a filter value names a stored answer: text and numbers kept apart, as MongoDB's `$in` does. */
export function answerValueKey(question: string, value: string | number): string {
  return typeof value === 'number' ? `${question}#${String(value)}` : `${question}=${value}`;
}

function answerValues(question: string, value: AnswerValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map((v) => answerValueKey(question, v));
}

/**
 * A stored response as an engine row, its counters computed under the definition version it
 * answered (the same `tallyIncrements` the counters always used, so every number stays the same).
 */
export function engineRow(def: SurveyDefinition, r: StoredForAnalytics): EngineRow {
  const counts = new Map<string, number>();
  for (const [k, v] of tallyIncrements(def, r)) if (!isDerivedKey(k)) counts.set(k, v);
  const values: string[] = [];
  for (const [question, value] of Object.entries(r.answers ?? {})) values.push(...answerValues(question, value));
  const textQuestions = new Set(def.questions.filter((q) => !q.demographic && (q.type === 'shortText' || q.type === 'longText')).map((q) => q.id));
  const texts: EngineRow['texts'] = [];
  const resources = getOpenTextResources();
  const addText = (question: string, text: string): void => void texts.push({ question, text, features: answerFeatures({ text, lang: r.lang }, resources) });
  for (const q of def.questions) {
    const v = r.answers?.[q.id];
    if (textQuestions.has(q.id) && typeof v === 'string' && v.trim()) addText(q.id, v);
  }
  for (const [question, text] of Object.entries(r.other ?? {})) if (typeof text === 'string' && text.trim()) addText(question, text);
  return { id: r.id, version: r.surveyVersion, lang: r.lang, channel: r.channel, location: r.location ?? null, tag: r.tag ?? null, at: r.submittedAt.getTime(), values, counts, texts };
}

/**
 * Adds a row to counters summed over rows: its own counters and those the engine derives from
 * its columns, exactly as the engine's unfiltered query computes them (engine-query.ts).
 */
export function addRowTallies(r: EngineRow, into: TallyMap): void {
  const add = (key: string, v: number): void => void into.set(key, (into.get(key) ?? 0) + v);
  add(TALLY.total, 1);
  add(TALLY.day(new Date(r.at).toISOString().slice(0, 10)), 1);
  add(TALLY.channel(r.channel), 1);
  add(TALLY.lang(r.lang), 1);
  if (r.location) add(TALLY.location(r.location), 1);
  for (const [key, v] of r.counts) if (v) add(key, v);
}
