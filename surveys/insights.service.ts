import { compareSegment, DEFAULT_WEIGHTS, hasEnoughResponses, rake, rankTopics, weightedTopicStats, type RankedTopic, type ScoreWeights, type TopicStats, type WeightedCell } from '../analytics/index.js';
import { BadRequestError } from '../server/errors.js';
import { getCatalog, partnersForTopic, topicName, type PartnerSuggestion } from './catalog.service.js';
import { hasOptions, type SurveyDefinition } from './definition.schema.js';
import { isFiltered, type ResponseFilter } from './filters.js';
import { copyCells, copyTallies } from './insights/analytics-copy.js';
import type { LanguageCode } from './languages.js';
import type { SurveySnapshot } from './survey.service.js';
import { rankingPlaces, subtractTallies, TALLY, type TallyMap } from './tally.js';

export interface TopicView extends RankedTopic {
  name: string;
  partners: PartnerSuggestion[];
}

export interface TopicRanking {
  n: number;
  enoughData: boolean;
  weights: ScoreWeights;
  topics: TopicView[];
  /** The ranking weighted to the population shares, when asked for and possible. */
  weighted: { topics: TopicView[]; effectiveN: number; converged: boolean } | null;
}

/**
 * Counters for a filter (none, one condition or several), from the analytical copy: what summing
 * each matching response's increments (under the version it answered) gives.
 */
export async function tallyFor(survey: SurveySnapshot, filter: ResponseFilter): Promise<TallyMap> {
  return copyTallies(survey.slug, filter);
}

/** Topic ids the survey asks about (in interest or ranking questions), in catalog order. */
export function surveyTopics(def: SurveyDefinition): string[] {
  const used = new Set(def.questions.filter((q) => hasOptions(q) && !q.demographic).flatMap((q) => (hasOptions(q) ? q.options.map((o) => o.topic).filter((t): t is string => Boolean(t)) : [])));
  return getCatalog().topics.map((t) => t.id).filter((id) => used.has(id));
}

export function topicStats(def: SurveyDefinition, tallies: TallyMap): TopicStats[] {
  const n = tallies.get(TALLY.total) ?? 0;
  const places = rankingPlaces(def);
  return surveyTopics(def).map((topic) => ({
    topic,
    respondents: n,
    interested: tallies.get(TALLY.topicInterest(topic)) ?? 0,
    bordaPoints: tallies.get(TALLY.topicPoints(topic)) ?? 0,
    places,
    ratingSum: tallies.get(TALLY.topicRatingSum(topic)) ?? 0,
    ratingCount: tallies.get(TALLY.topicRatingCount(topic)) ?? 0,
  }));
}

function withNames(ranked: RankedTopic[], lang: LanguageCode): TopicView[] {
  const catalog = getCatalog();
  return ranked.map((r) => ({ ...r, name: topicName(catalog, r.topic, lang), partners: partnersForTopic(catalog, r.topic, lang) }));
}

/** Raking cells (one per combination of answers to the population questions) from the matching responses. */
async function weightedCells(survey: SurveySnapshot, filter: ResponseFilter): Promise<WeightedCell[]> {
  return copyCells(survey.slug, (survey.analysis.population ?? []).map((p) => p.question), filter);
}

/**
 * The ranked topics for a survey and filter, with partner suggestions in `lang`, and (with
 * `filter.weighted`) the ranking raked to the population shares staff entered.
 */
export async function topicRanking(survey: SurveySnapshot, filter: ResponseFilter, lang: LanguageCode, tallies?: TallyMap): Promise<TopicRanking> {
  const counts = tallies ?? (await tallyFor(survey, filter));
  const n = counts.get(TALLY.total) ?? 0;
  const weights = survey.analysis.weights ?? DEFAULT_WEIGHTS;
  const topics = withNames(rankTopics(topicStats(survey.definition, counts), weights), lang);
  let weighted: TopicRanking['weighted'] = null;
  if (filter.weighted) {
    const population = survey.analysis.population ?? [];
    if (!population.length) throw new BadRequestError('noPopulation', 'enter population shares before asking for a weighted ranking');
    const cells = await weightedCells(survey, filter);
    const result = rake(cells, population.map((p) => ({ shares: p.shares })));
    const stats = weightedTopicStats(cells, result.weights, rankingPlaces(survey.definition), surveyTopics(survey.definition));
    weighted = { topics: withNames(rankTopics(stats, weights), lang), effectiveN: stats[0]?.effectiveN ?? 0, converged: result.converged };
  }
  return { n, enoughData: hasEnoughResponses(n), weights, topics, weighted };
}

export interface SegmentResult {
  segmentN: number;
  restN: number;
  tooFew: boolean;
  rows: (ReturnType<typeof compareSegment>['rows'][number] & { name: string })[];
}

/**
 * "What stands out for this group": each topic's reach in the filtered segment against everyone
 * else. Pass `segmentTallies` when the caller already has `tallyFor(survey, filter)` (the
 * dashboard does): computing them reads every matching response again.
 */
export async function segmentComparison(survey: SurveySnapshot, filter: ResponseFilter, lang: LanguageCode, segmentTallies?: TallyMap): Promise<SegmentResult> {
  if (!isFiltered(filter)) throw new BadRequestError('segmentRequired', 'choose a group (a filter) to compare with everyone else');
  const segment = segmentTallies ?? (await tallyFor(survey, filter));
  const rest = subtractTallies(await copyTallies(survey.slug, { answers: {}, weighted: false }), segment);
  const group = (t: TallyMap): { respondents: number; interested: Record<string, number> } => ({
    respondents: t.get(TALLY.total) ?? 0,
    interested: Object.fromEntries(surveyTopics(survey.definition).map((topic) => [topic, t.get(TALLY.topicInterest(topic)) ?? 0])),
  });
  const result = compareSegment(group(segment), group(rest));
  const catalog = getCatalog();
  return {
    segmentN: segment.get(TALLY.total) ?? 0,
    restN: rest.get(TALLY.total) ?? 0,
    tooFew: result.tooFew,
    rows: result.rows.map((r) => ({ ...r, name: topicName(catalog, r.topic, lang) })),
  };
}
