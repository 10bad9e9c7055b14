import type { TFunction } from 'i18next';
import { reachTiers } from '../analytics/index.js';
import { hasOptions } from '../surveys/definition.schema.js';
import { filterParams, isFiltered, type ResponseFilter } from '../surveys/filters.js';
import type { SegmentResult, TopicRanking } from '../surveys/insights.service.js';
import { LANGUAGES } from '../surveys/languages.js';
import { CHANNELS } from '../surveys/response.model.js';
import { populationQuestions, type RepresentativenessView, type ResponseSummary } from '../surveys/response-summary.service.js';
import type { SurveySnapshot } from '../surveys/survey.service.js';
import { TALLY, type TallyMap } from '../surveys/tally.js';
import type { AnalysisContext } from './routes/api.js';

export const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

export interface FilterField {
  name: string;
  label: string;
  options: { value: string; label: string; selected: boolean }[];
}

/** The filter form: one select per demographic choice question, channel, language and location. */
export function filterFields(ctx: AnalysisContext, t: TFunction, summary: ResponseSummary): FilterField[] {
  const { survey, filter, L } = ctx;
  const fields: FilterField[] = survey.definition.questions
    .filter((q) => q.demographic && hasOptions(q))
    .map((q) => ({
      name: `q.${q.id}`,
      label: L(q.label),
      options: hasOptions(q) ? q.options.map((o) => ({ value: o.id, label: L(o.label), selected: (filter.answers[q.id] ?? []).includes(o.id) })) : [],
    }));
  fields.push({ name: 'channel', label: t('staff:filters.channel'), options: CHANNELS.map((c) => ({ value: c, label: t(`staff:channels.${c}`), selected: filter.channel === c })) });
  fields.push({ name: 'lang', label: t('staff:filters.language'), options: LANGUAGES.filter((l) => (survey.definition.languages as string[]).includes(l.code)).map((l) => ({ value: l.code, label: l.name, selected: filter.lang === l.code })) });
  if (summary.byLocation.length || filter.location) {
    const locations = new Set([...summary.byLocation.map((r) => r.id), ...(filter.location ? [filter.location] : [])]);
    fields.push({ name: 'location', label: t('staff:filters.location'), options: [...locations].map((l) => ({ value: l, label: l, selected: filter.location === l })) });
  }
  return fields;
}

/**
 * The active filters in words (question and answer labels, channel, language, place, dates), for
 * pages that apply the dashboard's filters without showing its form.
 */
export function describeFilter(ctx: AnalysisContext, t: TFunction): { label: string; value: string }[] {
  const { survey, filter, L } = ctx;
  const out: { label: string; value: string }[] = [];
  for (const [qid, values] of Object.entries(filter.answers)) {
    const q = survey.definition.questions.find((x) => x.id === qid);
    const name = (v: string): string => (q && hasOptions(q) ? L(q.options.find((o) => o.id === v)?.label) : '') || v;
    out.push({ label: q ? L(q.label) : qid, value: values.map(name).join(', ') });
  }
  if (filter.channel) out.push({ label: t('staff:filters.channel'), value: t(`staff:channels.${filter.channel}`) });
  if (filter.lang) out.push({ label: t('staff:filters.language'), value: LANGUAGES.find((l) => l.code === filter.lang)?.name ?? filter.lang });
  if (filter.location) out.push({ label: t('staff:filters.location'), value: filter.location });
  if (filter.from) out.push({ label: t('staff:filters.from'), value: filter.from });
  if (filter.to) out.push({ label: t('staff:filters.to'), value: filter.to });
  return out;
}

/** A ranked topic's tier (`reachTiers`) and its name ("Top tier", "Second tier", …). */
export interface TierView {
  n: number;
  label: string;
}

export function tierLabel(t: TFunction, n: number): string {
  return n <= 3 ? t(`insights:tiers.tier${n}`) : t('insights:tiers.tierN', { n });
}

/**
 * The topics in descending order of reach, each with its tier. The ranking chart draws reach in
 * this order: reach is what a librarian reads ("how many want this") and the only part of the
 * score with an interval, so tiers of overlapping intervals are honest only in reach order. The
 * table beside it keeps the rank by the combined score, with each topic's tier in a column.
 */
export function topicsByReach<T extends RankedLike>(topics: readonly T[], t: TFunction): { topic: T; tier: TierView }[] {
  const order = [...topics].sort((a, b) => b.reach - a.reach || a.rank - b.rank);
  const tiers = reachTiers(order);
  return order.map((topic, i) => ({ topic, tier: { n: tiers[i]!, label: tierLabel(t, tiers[i]!) } }));
}

interface RankedLike {
  topic: string;
  name: string;
  rank: number;
  reach: number;
  reachLow: number;
  reachHigh: number;
}

/** Topic id → tier, for the ranking tables. */
export function tierMap(topics: readonly RankedLike[], t: TFunction): Map<string, TierView> {
  return new Map(topicsByReach(topics, t).map((x) => [x.topic.topic, x.tier]));
}

/** Chart specs read by public/js/dashboard.js; the same numbers are in the visible tables. */
export function chartData(t: TFunction, ranking: TopicRanking, summary: ResponseSummary, repr: RepresentativenessView[], segment: SegmentResult | null): Record<string, unknown> {
  const byReach = topicsByReach(ranking.topics, t);
  return {
    topics: {
      type: 'topics',
      topics: byReach.map((x) => x.topic.topic),
      labels: byReach.map((x) => x.topic.name),
      reach: byReach.map((x) => x.topic.reach),
      low: byReach.map((x) => x.topic.reachLow),
      high: byReach.map((x) => x.topic.reachHigh),
      tiers: byReach.map((x) => x.tier.n),
      tierLabels: Object.fromEntries(byReach.map((x) => [x.tier.n, x.tier.label])),
      label: t('staff:dashboard.reach'),
    },
    overTime: { type: 'line', labels: summary.byDay.map((d) => d.day), values: summary.byDay.map((d) => d.n), label: t('staff:dashboard.responses') },
    languages: { type: 'bar', labels: summary.byLanguage.map((r) => r.label), values: summary.byLanguage.map((r) => r.n), label: t('staff:dashboard.responses') },
    channels: { type: 'bar', labels: summary.byChannel.map((r) => r.label), values: summary.byChannel.map((r) => r.n), label: t('staff:dashboard.responses') },
    ...Object.fromEntries(summary.demographics.map((d) => [`demo-${d.id}`, { type: 'bar', labels: d.rows.map((r) => r.label), values: d.rows.map((r) => r.n), label: t('staff:dashboard.responses') }])),
    ...Object.fromEntries(
      repr.map((r) => [
        `repr-${r.question}`,
        { type: 'grouped', labels: r.rows.map((x) => x.label), series: [{ label: t('staff:repr.responseShare'), values: r.rows.map((x) => x.responseShare) }, { label: t('staff:repr.populationShare'), values: r.rows.map((x) => x.populationShare) }], percent: true },
      ]),
    ),
    ...(segment && !segment.tooFew
      ? {
          segment: {
            type: 'grouped',
            // Topics that stand out are marked in the label (★) and by a band behind their bars.
            labels: segment.rows.map((r) => (r.significant ? t('insights:standsOut.mark', { topic: r.name }) : r.name)),
            flagged: segment.rows.map((r) => r.significant),
            series: [{ label: t('staff:segment.group'), values: segment.rows.map((r) => r.segmentReach) }, { label: t('staff:segment.rest'), values: segment.rows.map((r) => r.restReach) }],
            percent: true,
          },
        }
      : {}),
  };
}

/** A link with the current filters plus extra parameters (CSV downloads, API links, the summary). */
export function withFilter(path: string, filter: ResponseFilter, extra: Record<string, string> = {}): string {
  const p = filterParams(filter);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const q = p.toString();
  return q ? `${path}?${q}` : path;
}

export interface DashboardExtras {
  survey: SurveySnapshot;
  filtered: boolean;
  populationQuestions: { id: string; label: string; options: { id: string; label: string; share: string }[] }[];
}

export function populationForm(ctx: AnalysisContext): DashboardExtras['populationQuestions'] {
  const entries = ctx.survey.analysis.population ?? [];
  return populationQuestions(ctx.survey.definition).map((q) => {
    const saved = entries.find((e) => e.question === q.id)?.shares ?? {};
    return {
      id: q.id,
      label: ctx.L(q.label),
      options: hasOptions(q) ? q.options.map((o) => ({ id: o.id, label: ctx.L(o.label), share: saved[o.id] === undefined ? '' : String(Math.round(saved[o.id]! * 1000) / 10) })) : [],
    };
  });
}

export { isFiltered };

export interface ExclusiveChoice {
  question: string;
  option: string;
  questionLabel: string;
  label: string;
  n: number;
}

/**
 * How many chose an answer like "none of these" in each interest question (several-choice, not
 * demographic, options tagged with topics). They count in every topic's reach denominator.
 */
export function exclusiveChoices(ctx: Pick<AnalysisContext, 'survey' | 'L'>, tallies: TallyMap): ExclusiveChoice[] {
  return ctx.survey.definition.questions.flatMap((q) =>
    q.type === 'multi' && !q.demographic && q.options.some((o) => o.topic)
      ? q.options.filter((o) => o.exclusive).map((o) => ({ question: q.id, option: o.id, questionLabel: ctx.L(q.label), label: ctx.L(o.label), n: tallies.get(TALLY.option(q.id, o.id)) ?? 0 }))
      : [],
  );
}
