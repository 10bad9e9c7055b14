import { compareToPopulation, validatePopulationShares, validateWeights, type PopulationRow, type ScoreWeights } from '../analytics/index.js';
import { ValidationError, type FieldProblem } from '../server/errors.js';
import { OTHER } from './answers.js';
import { hasOptions, type LocalizedText, type SurveyDefinition } from './definition.schema.js';
import { languageName, type LanguageCode } from './languages.js';
import { optionRank } from './option-order.js';
import { SurveyModel } from './survey.model.js';
import type { PopulationShares, SurveySnapshot } from './survey.service.js';
import { TALLY, type TallyMap } from './tally.js';

export interface CountRow {
  id: string;
  label: string;
  n: number;
  share: number;
}

export interface ResponseSummary {
  n: number;
  firstDay: string;
  lastDay: string;
  byDay: { day: string; n: number }[];
  byChannel: CountRow[];
  byLanguage: CountRow[];
  byLocation: CountRow[];
  demographics: { id: string; label: string; answered: number; rows: CountRow[] }[];
}

type Label = (text: LocalizedText | undefined) => string;

function rowsFromPrefix(tallies: TallyMap, prefix: string, n: number, label: (id: string) => string): CountRow[] {
  return [...tallies]
    .filter(([k, v]) => k.startsWith(prefix) && v > 0)
    .map(([k, v]) => ({ id: k.slice(prefix.length), label: label(k.slice(prefix.length)), n: v, share: n ? v / n : 0 }))
    .sort((a, b) => b.n - a.n || a.id.localeCompare(b.id));
}

/**
 * Counts by day, channel, language, kiosk location and each demographic question, from a tally map.
 * A question's answers keep its order, with "Other" (labelled `otherLabel`) and "prefer not to
 * say" last (`optionRank`).
 */
export function summarize(def: SurveyDefinition, tallies: TallyMap, L: Label, channelLabel: (id: string) => string, otherLabel = 'Other'): ResponseSummary {
  const n = tallies.get(TALLY.total) ?? 0;
  const byDay = [...tallies].filter(([k, v]) => k.startsWith('day:') && v > 0).map(([k, v]) => ({ day: k.slice(4), n: v })).sort((a, b) => a.day.localeCompare(b.day));
  const demographics = def.questions
    .filter((q) => q.demographic && (hasOptions(q) || q.type === 'number'))
    .map((q) => {
      const answered = tallies.get(TALLY.answered(q.id)) ?? 0;
      const optionLabel = (id: string): string => (hasOptions(q) ? (id === OTHER ? otherLabel : L(q.options.find((o) => o.id === id)?.label)) : id) || id;
      const rows = rowsFromPrefix(tallies, `a:${q.id}:`, answered, optionLabel);
      if (hasOptions(q)) {
        const ids = q.options.map((o) => o.id);
        rows.sort((a, b) => optionRank(ids, a.id) - optionRank(ids, b.id));
      }
      else rows.sort((a, b) => Number(a.id) - Number(b.id));
      return { id: q.id, label: L(q.label), answered, rows };
    });
  return {
    n,
    firstDay: byDay[0]?.day ?? '',
    lastDay: byDay[byDay.length - 1]?.day ?? '',
    byDay,
    byChannel: rowsFromPrefix(tallies, 'channel:', n, channelLabel),
    byLanguage: rowsFromPrefix(tallies, 'lang:', n, (id) => languageName(id as LanguageCode)),
    byLocation: rowsFromPrefix(tallies, 'loc:', n, (id) => id),
    demographics,
  };
}

export interface RepresentativenessView {
  question: string;
  label: string;
  rows: (PopulationRow & { label: string })[];
}

/** Response share against population share for each question staff entered shares for. */
export function representativeness(survey: SurveySnapshot, tallies: TallyMap, L: Label): RepresentativenessView[] {
  return (survey.analysis.population ?? []).flatMap((p) => {
    const q = survey.definition.questions.find((x) => x.id === p.question);
    if (!q || !hasOptions(q)) return [];
    const counts = Object.fromEntries(q.options.map((o) => [o.id, tallies.get(TALLY.option(q.id, o.id)) ?? 0]));
    const rows = compareToPopulation(counts, p.shares).map((r) => ({ ...r, label: L(q.options.find((o) => o.id === r.option)?.label) || r.option }));
    return [{ question: q.id, label: L(q.label), rows }];
  });
}

/** Questions staff may enter population shares for: single-choice demographic questions. */
export function populationQuestions(def: SurveyDefinition): SurveyDefinition['questions'] {
  return def.questions.filter((q) => q.demographic && q.type === 'single');
}

export async function saveWeights(slug: string, weights: ScoreWeights): Promise<void> {
  const problems = validateWeights(weights);
  if (problems.length) throw new ValidationError(problems.map((p) => ({ field: p.field, code: p.code, ...(p.params ? { params: p.params } : {}) })), 'invalidWeights');
  await SurveyModel.updateOne({ slug }, { $set: { 'analysis.weights': weights } });
}

/**
 * Saves population shares for up to three single-choice demographic questions (shares in
 * 0..1 summing to 1). Options with no share entered are left out of the comparison.
 */
export async function savePopulation(survey: SurveySnapshot, entries: PopulationShares[]): Promise<void> {
  const allowed = new Map(populationQuestions(survey.definition).map((q) => [q.id, q]));
  const problems: FieldProblem[] = [];
  if (entries.length > 3) problems.push({ field: 'population', code: 'tooManyQuestions', params: { max: 3 } });
  for (const e of entries) {
    const q = allowed.get(e.question);
    if (!q || !hasOptions(q)) {
      problems.push({ field: e.question, code: 'notDemographic' });
      continue;
    }
    const ids = new Set(q.options.map((o) => o.id));
    for (const id of Object.keys(e.shares)) if (!ids.has(id)) problems.push({ field: `${e.question}.${id}`, code: 'unknownOption' });
    for (const p of validatePopulationShares(e.shares)) problems.push({ field: p.field === 'shares' ? e.question : `${e.question}.${p.field}`, code: p.code, ...(p.params ? { params: p.params } : {}) });
  }
  if (problems.length) throw new ValidationError(problems, 'invalidShares');
  await SurveyModel.updateOne({ slug: survey.slug }, { $set: { 'analysis.population': entries } });
}
