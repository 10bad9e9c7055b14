// Types shared by the analytics functions. analytics/ may not import from server/ or surveys/,
// so the shapes here are its own; the data layer maps its documents onto them.

/** One problem with an input, shaped like the web layer's field problems (stable `code`). */
export interface AnalyticsProblem {
  /** The input field (a weight name, an option id) or a group name such as `weights`. */
  field: string;
  code: string;
  params?: Record<string, string | number>;
}

/** A share with its confidence interval, all in 0..1. */
export interface Interval {
  p: number;
  low: number;
  high: number;
}

/** What the data layer knows about one topic, unweighted (whole counts) or weighted (fractional). */
export interface TopicStats {
  topic: string;
  /** Respondents who saw the interest question (weighted: the sum of their weights). */
  respondents: number;
  /** Respondents who showed interest in the topic. */
  interested: number;
  /** Borda points from the ranking question (see `bordaPoints`). */
  bordaPoints: number;
  /** Number of places in the ranking question (0 when the survey has none). */
  places: number;
  /** Sum of 1..5 ratings for the topic, when the survey has a rating question. */
  ratingSum?: number;
  ratingCount?: number;
  /** Kish effective sample size of weighted data; the reach interval uses it instead of `respondents`. */
  effectiveN?: number;
}

/** How much each part counts in the composite score; each 0..1, summing to 1. */
export interface ScoreWeights {
  reach: number;
  priority: number;
  intensity: number;
}

export interface RankedTopic extends TopicStats {
  reach: number;
  reachLow: number;
  reachHigh: number;
  /** Borda points as a share of the maximum possible, 0..1. */
  priority: number;
  /** Mean rating 1..5, or null when the topic has no ratings. */
  intensity: number | null;
  /** Composite score, 0..1. */
  score: number;
  /** 1-based position after sorting. */
  rank: number;
  /** True when this topic's reach interval overlaps the next-ranked topic's. */
  aboutEqualToNext: boolean;
}

/** Counts for one group of respondents (a segment, or everyone else). */
export interface GroupCounts {
  respondents: number;
  /** Topic id → respondents in the group who showed interest. */
  interested: Record<string, number>;
}

export interface SegmentRow {
  topic: string;
  segmentReach: number;
  restReach: number;
  /** segmentReach − restReach. */
  difference: number;
  z: number;
  p: number;
  /** Holm–Bonferroni adjusted p over all topics tested together. */
  pAdjusted: number;
  significant: boolean;
  direction: 'higher' | 'lower';
}

export interface SegmentComparison {
  /** True when the segment or the rest has fewer than MIN_RESPONSES respondents; rows is then empty. */
  tooFew: boolean;
  rows: SegmentRow[];
}

export interface PopulationRow {
  option: string;
  responses: number;
  /** Share of responses among the options that have a population share. */
  responseShare: number;
  populationShare: number;
  /** responseShare / populationShare; null when the population share is 0. */
  ratio: number | null;
  underHeard: boolean;
}

/** Respondents who gave the same answers on every raking dimension. */
export interface RakingCell {
  /** One answer (option id) per dimension, in the order of the margins. */
  key: string[];
  count: number;
}

/** Population shares for one dimension, e.g. age group → share of residents. */
export interface RakingMargin {
  shares: Record<string, number>;
}

export interface RakingOptions {
  maxIterations?: number;
  tolerance?: number;
  cap?: number;
}

export interface RakingResult {
  /** key.join('|') → weight of each respondent in that cell. */
  weights: Map<string, number>;
  iterations: number;
  converged: boolean;
}

/** A raking cell with the topic answers of its respondents, for weighted topic statistics. */
export interface WeightedCell extends RakingCell {
  /** Topic id → respondents in the cell who showed interest. */
  interested: Record<string, number>;
  /** Topic id → Borda points given by respondents in the cell. */
  bordaPoints: Record<string, number>;
  /** Topic id → sum and count of 1..5 ratings in the cell, when the survey has a rating question. */
  ratingSum?: Record<string, number>;
  ratingCount?: Record<string, number>;
}

export interface WeightAndCount {
  weight: number;
  count: number;
}
