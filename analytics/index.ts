// Public API of the statistics module: pure functions over plain data.
export type {
  AnalyticsProblem,
  GroupCounts,
  Interval,
  PopulationRow,
  RakingCell,
  RakingMargin,
  RakingOptions,
  RakingResult,
  RankedTopic,
  ScoreWeights,
  SegmentComparison,
  SegmentRow,
  TopicStats,
  WeightAndCount,
  WeightedCell,
} from './types.js';
export { normalQuantile, wilsonInterval, zForConfidence, Z_95 } from './intervals.js';
export { bordaPoints, priorityShare } from './priority.js';
export { DEFAULT_WEIGHTS, MIN_RESPONSES, hasEnoughResponses, rankTopics, validateWeights } from './ranking.js';
export { compareSegment, erfc, holmAdjust, normalCdf, twoProportionZTest } from './segments.js';
export { UNDER_HEARD_RATIO, compareToPopulation, validatePopulationShares } from './representativeness.js';
export { cellKey, effectiveSampleSize, rake, weightedTopicStats } from './raking.js';
export { keyFindings, marginOfError, readDifference, type DifferenceFinding, type FindingsInput, type GroupComparisonInput, type KeyFindings, type UnderHeardFinding } from './findings.js';
export { reachTiers } from './tiers.js';
export { funnelByChannel, type ChannelFunnel, type FunnelCount, type FunnelPage } from './funnel.js';
