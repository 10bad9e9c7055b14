import type { LanguageCode } from '../../surveys/languages.js';

/**
 * Everything the board summary shows, already localized and formatted. The HTML page
 * (views/reports/summary.ejs) and the server-side PDF are both drawn from this one model,
 * so they always say the same thing.
 */
export interface BoardSummaryModel {
  lang: LanguageCode;
  dir: 'ltr' | 'rtl';
  libraryName: string;
  /** The survey's title in `lang`. */
  title: string;
  /** Localized date the summary was made, e.g. "22 November 2026". */
  generatedOn: string;
  /** Headings and labels, localized (keys: see SUMMARY_STRING_KEYS). */
  strings: Record<SummaryStringKey, string>;
  headline: {
    responses: number;
    /** Localized first and last response dates ('' when there are no responses). */
    firstDate: string;
    lastDate: string;
    channels: { label: string; count: number }[];
    languages: { label: string; count: number }[];
  };
  /** Plain-language description of the filters applied, '' when none. */
  filters: string;
  /** False below the minimum sample: then `topics` is empty and `tooFewMessage` is shown instead. */
  enoughData: boolean;
  tooFewMessage: string;
  /** The top topics (at most 6), best first. Shares are 0..1. */
  topics: {
    rank: number;
    name: string;
    reach: number;
    low: number;
    high: number;
    score: number;
    /** True when its interval overlaps the next topic's ("about equal"). */
    tie: boolean;
    /** One plain-language sentence, e.g. "About 4 in 10 people (35–45%) are interested." */
    sentence: string;
  }[];
  /** Response share against population share, per question staff entered shares for. */
  representativeness: {
    question: string;
    rows: { label: string; responseShare: number; populationShare: number; underHeard: boolean }[];
  }[];
  /**
   * Page 2: the three topics each group of the main demographic questions chose most often
   * (highest reach, as the topics API gives it for that group); `tooFew` names on one line the
   * groups too small to rank.
   */
  groups: {
    id: string;
    question: string;
    rows: { id: string; label: string; n: number; /** "120 people" */ people: string; topics: { topic: string; name: string; reach: number }[] }[];
    tooFew: string;
  }[];
  /** Page 2: one sentence per under-heard group; `message` when there is none or no shares were entered. */
  underHeard: { lines: { question: string; text: string }[]; message: string };
  /** For each top topic, the kinds of partner to approach, strongest first. */
  partners: {
    topic: string;
    /** `onFile`: "On file: A and B", '' when none is on file. */
    suggestions: { name: string; reason: string; organizations: string[]; onFile: string }[];
    /** One line naming the suggested types with no organization on file, '' when every type has one. */
    missing: string;
  }[];
  /** "Key findings" first: the dashboard's plain-language sentences (server/findings-view.ts). */
  keyFindings?: { title: string; sentences: string[] };
  /** Short method and caveats paragraphs (sample size, self-selection, weighting). */
  method: string[];
}

export const SUMMARY_STRING_KEYS = [
  'heading',
  'responses',
  'dates',
  'channels',
  'languages',
  'filters',
  'topTopics',
  'topic',
  'reach',
  'interval',
  'score',
  'aboutEqual',
  'whoAnswered',
  'group',
  'responseShare',
  'populationShare',
  'underHeard',
  'partners',
  'noneOnFile',
  'actOn',
  'byGroup',
  'byGroupNote',
  'groupTopicsColumn',
  'underHeardIntro',
  'method',
  'page',
] as const;
export type SummaryStringKey = (typeof SUMMARY_STRING_KEYS)[number];
