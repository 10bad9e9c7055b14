import type { TFunction } from 'i18next';
import { keyFindings, MIN_RESPONSES, readDifference, type GroupComparisonInput } from '../analytics/index.js';
import type { GroupComparison } from '../surveys/group-comparisons.service.js';
import type { SegmentResult, TopicRanking } from '../surveys/insights.service.js';
import type { RepresentativenessView } from '../surveys/response-summary.service.js';

/** One key finding: its sentence, and the figures it states (for data attributes and tests). */
export interface FindingView {
  kind: 'responses' | 'topTopics' | 'difference' | 'noDifference' | 'underHeard' | 'noUnderHeard' | 'noPopulation' | 'tooFew';
  text: string;
  data: Record<string, string | number>;
}

export interface FindingsSources {
  lang: string;
  ranking: Pick<TopicRanking, 'n' | 'enoughData' | 'topics'>;
  /** Every demographic group against everyone else (the unfiltered view). */
  groups: GroupComparison[] | null;
  /** The filtered group against everyone else (a filtered view). */
  segment: SegmentResult | null;
  repr: RepresentativenessView[];
}

/** Whole percents in the reader's language ("75 %", "٧٥٪"), as the sentences say them. */
export function percentFormat(lang: string): (share: number) => string {
  const f = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  return (share) => f.format(share);
}

/** "a, b and c" in the reader's language (a plain comma list where ICU has no pattern, as for Kreyòl). */
export function listFormat(lang: string): (items: string[]) => string {
  const lists = Intl.ListFormat.supportedLocalesOf([lang]).length > 0 ? new Intl.ListFormat(lang, { type: 'conjunction' }) : undefined;
  return (items) => (lists ? lists.format(items) : items.join(', '));
}

/**
 * The "Key findings" sentences, in the staff member's language, from the analytics the page
 * already shows (`keyFindings` picks them): responses and margin of error, the top topics, the
 * groups that differ most (flagged after the Holm adjustment only), under-heard groups.
 */
export function findingsView(src: FindingsSources, t: TFunction): FindingView[] {
  const pct = percentFormat(src.lang);
  const list = listFormat(src.lang);
  const points = new Intl.NumberFormat(src.lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const names = new Map(src.ranking.topics.map((x) => [x.topic, x.name]));
  const groups: (GroupComparisonInput & { who: string })[] = src.groups
    ? src.groups.map((g) => ({ ...g, who: t('insights:findings.whoAnswered', { answer: g.label, question: g.questionLabel }) }))
    : src.segment
      ? [{ group: 'filter', tooFew: src.segment.tooFew, rows: src.segment.rows, who: t('insights:findings.whoGroup') }]
      : [];
  const labels = new Map(src.repr.flatMap((r) => r.rows.map((x) => [`${r.question}:${x.option}`, { answer: x.label, question: r.label }])));
  const f = keyFindings({ responses: src.ranking.n, enoughData: src.ranking.enoughData, topics: src.ranking.topics, groups, population: src.repr });

  const out: FindingView[] = [];
  if (f.marginOfError !== null) {
    out.push({ kind: 'responses', text: t('insights:findings.responses', { count: f.responses, margin: points.format(f.marginOfError * 100) }), data: { responses: f.responses, margin: f.marginOfError } });
  }
  if (!src.ranking.enoughData) {
    out.push({ kind: 'tooFew', text: t('insights:findings.tooFew', { count: f.responses, min: MIN_RESPONSES }), data: { responses: f.responses } });
  } else if (f.topTopics.length) {
    const topics = f.topTopics.map((x) => t('insights:findings.topicItem', { topic: names.get(x.topic) ?? x.topic, reach: pct(x.reach) }));
    out.push({ kind: 'topTopics', text: t('insights:findings.topTopics', { count: topics.length, topics: list(topics) }), data: { topics: f.topTopics.map((x) => x.topic).join(' '), reach: f.topTopics.map((x) => x.reach).join(' ') } });
  }
  for (const d of f.differences) {
    const who = groups.find((g) => g.group === d.group)?.who ?? '';
    const key = `insights:findings.${d.direction}${d.far ? 'Far' : ''}`;
    out.push({ kind: 'difference', text: t(key, { who, topic: names.get(d.topic) ?? d.topic, group: pct(d.segmentReach), rest: pct(d.restReach) }), data: { group: d.group, topic: d.topic, groupReach: d.segmentReach, restReach: d.restReach } });
  }
  if (src.ranking.enoughData && !f.differences.length && groups.some((g) => !g.tooFew)) {
    out.push({ kind: 'noDifference', text: t(src.groups ? 'insights:findings.noDifference' : 'insights:findings.noDifferenceGroup'), data: {} });
  }
  for (const u of f.underHeard) {
    const label = labels.get(`${u.question}:${u.option}`);
    out.push({ kind: 'underHeard', text: t('insights:findings.underHeard', { answer: label?.answer ?? u.option, question: label?.question ?? u.question, responses: pct(u.responseShare), population: pct(u.populationShare) }), data: { group: `${u.question}:${u.option}`, responseShare: u.responseShare, populationShare: u.populationShare } });
  }
  if (src.repr.length && !f.underHeard.length) out.push({ kind: 'noUnderHeard', text: t('insights:findings.noUnderHeard'), data: {} });
  if (!src.repr.length) out.push({ kind: 'noPopulation', text: t('insights:findings.noPopulation'), data: {} });
  return out;
}

export interface StandsOutView {
  /** One sentence per flagged topic, largest gap first. */
  sentences: { topic: string; text: string }[];
  rows: (SegmentResult['rows'][number] & { verdict: ReturnType<typeof readDifference>; meaning: string })[];
}

/**
 * "What stands out" for a filtered group in words: a sentence per topic flagged after the Holm
 * adjustment, and for every row what it means, saying "could be chance" where the raw p-value is
 * small but the adjusted one is not (never a bare dash).
 */
export function standsOutView(segment: SegmentResult, lang: string, t: TFunction): StandsOutView {
  const pct = percentFormat(lang);
  const who = t('insights:findings.whoGroup');
  const flagged = segment.rows.filter((r) => r.significant).sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference));
  return {
    sentences: flagged.map((r) => ({ topic: r.topic, text: t(`insights:findings.${r.direction}${Math.abs(r.difference) >= 0.2 ? 'Far' : ''}`, { who, topic: r.name, group: pct(r.segmentReach), rest: pct(r.restReach) }) })),
    rows: segment.rows.map((r) => {
      const verdict = readDifference(r);
      return { ...r, verdict, meaning: t(`insights:standsOut.${verdict}`) };
    }),
  };
}
