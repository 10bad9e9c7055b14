import type { TFunction } from 'i18next';
import { MIN_RESPONSES } from '../../analytics/index.js';
import { hasOptions } from '../../surveys/definition.schema.js';
import { isFiltered } from '../../surveys/filters.js';
import { groupComparisons } from '../../surveys/group-comparisons.service.js';
import { segmentComparison, topicRanking, tallyFor, type TopicRanking } from '../../surveys/insights.service.js';
import { organizationsFor } from '../../surveys/partner.service.js';
import { representativeness, summarize, type RepresentativenessView } from '../../surveys/response-summary.service.js';
import { TALLY, type TallyMap } from '../../surveys/tally.js';
import { findingsView } from '../findings-view.js';
import { languageDir, languageName } from '../../surveys/languages.js';
import type { AnalysisContext } from '../routes/api.js';
import { groupTopics, partnersOnFile, underHeard } from './summary-page2.js';
import { SUMMARY_STRING_KEYS, type BoardSummaryModel, type SummaryStringKey } from './summary.model.js';

const TOP = 6;

function formatDate(day: string, lang: string): string {
  if (!day) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

const pct = (x: number, lang: string): string => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(x);

/** Describes the active filters in words, e.g. "Language: Español; How they answered: Library kiosk". */
function describeFilters(ctx: AnalysisContext, t: TFunction): string {
  const { survey, filter, L } = ctx;
  const parts: string[] = [];
  for (const [qid, values] of Object.entries(filter.answers)) {
    const q = survey.definition.questions.find((x) => x.id === qid);
    if (!q) continue;
    const labels = values.map((v) => (hasOptions(q) ? L(q.options.find((o) => o.id === v)?.label) || v : v));
    parts.push(t('staff:summary.filterLine', { name: L(q.label), value: labels.join(', ') }));
  }
  if (filter.channel) parts.push(t('staff:summary.filterLine', { name: t('staff:filters.channel'), value: t(`staff:channels.${filter.channel}`) }));
  if (filter.lang) parts.push(t('staff:summary.filterLine', { name: t('staff:filters.language'), value: languageName(filter.lang as never) }));
  if (filter.location) parts.push(t('staff:summary.filterLine', { name: t('staff:filters.location'), value: filter.location }));
  if (filter.from || filter.to) parts.push(t('staff:summary.filterLine', { name: t('staff:summary.dates'), value: `${filter.from ?? '…'} – ${filter.to ?? '…'}` }));
  return parts.join('; ');
}

/** The dashboard's key findings for the same view, less the pointer to the dashboard's population form. */
async function keyFindingsFor(ctx: AnalysisContext, t: TFunction, ranking: TopicRanking, tallies: TallyMap, repr: RepresentativenessView[]): Promise<BoardSummaryModel['keyFindings']> {
  const filtered = isFiltered(ctx.filter);
  const groups = !filtered && ranking.enoughData ? await groupComparisons(ctx.survey, ctx.L, tallies) : null;
  const segment = filtered && ranking.enoughData ? await segmentComparison(ctx.survey, ctx.filter, ctx.lang, tallies) : null;
  const sentences = findingsView({ lang: ctx.lang, ranking, groups, segment, repr }, t).filter((f) => f.kind !== 'noPopulation');
  return { title: t('insights:findings.title'), sentences: sentences.map((f) => f.text) };
}

/** Builds the board summary (HTML and PDF share it) for a survey, filter and language. */
export async function buildSummaryModel(ctx: AnalysisContext, t: TFunction, libraryName: string, today: Date): Promise<BoardSummaryModel> {
  const { survey, filter, lang, L } = ctx;
  const tallies = await tallyFor(survey, filter);
  const ranking = await topicRanking(survey, filter, lang, tallies);
  const repr = representativeness(survey, tallies, L);
  const summary = summarize(survey.definition, tallies, L, (id) => t(`staff:channels.${id}`), t('common:form.other'));
  const n = tallies.get(TALLY.total) ?? 0;
  const list = (filter.weighted && ranking.weighted ? ranking.weighted.topics : ranking.topics).slice(0, TOP);
  const organizations = await organizationsFor((ranking.enoughData ? list.slice(0, 3) : []).flatMap((x) => x.partners.map((p) => ({ topic: x.topic, type: p.type }))));
  const strings = Object.fromEntries(SUMMARY_STRING_KEYS.map((k) => [k, t(`staff:summary.${k}`)])) as Record<SummaryStringKey, string>;
  strings.page = t('staff:summary.page', { n: '{{n}}', total: '{{total}}', interpolation: { skipOnVariables: true } });
  const from = formatDate(summary.firstDay, lang);
  const to = formatDate(summary.lastDay, lang);
  const population = survey.analysis.population ?? [];
  const weightedBy = population.map((p) => L(survey.definition.questions.find((q) => q.id === p.question)?.label)).join(', ');
  return {
    lang,
    dir: languageDir(lang),
    libraryName,
    title: L(survey.definition.title),
    generatedOn: t('staff:summary.generatedOn', { date: formatDate(today.toISOString().slice(0, 10), lang) }),
    strings,
    headline: {
      responses: n,
      firstDate: from,
      lastDate: to,
      channels: summary.byChannel.map((r) => ({ label: r.label, count: r.n })),
      languages: summary.byLanguage.map((r) => ({ label: r.label, count: r.n })),
    },
    filters: describeFilters(ctx, t),
    enoughData: ranking.enoughData,
    tooFewMessage: t('staff:summary.tooFew', { count: n, min: MIN_RESPONSES }),
    topics: ranking.enoughData
      ? list.map((x) => ({
          rank: x.rank,
          name: x.name,
          reach: x.reach,
          low: x.reachLow,
          high: x.reachHigh,
          score: x.score,
          tie: x.aboutEqualToNext,
          // No "about equal to the next topic" on each row (issue 18: it read as noise on nearly every
          // row); the method section says that overlapping ranges mean topics are about equal.
          sentence: t('staff:summary.sentence', { tenths: Math.round(x.reach * 10), low: pct(x.reachLow, lang), high: pct(x.reachHigh, lang) }),
        }))
      : [],
    keyFindings: await keyFindingsFor(ctx, t, ranking, tallies, repr),
    representativeness: repr.map((r) => ({
      question: r.label,
      rows: r.rows.map((x) => ({ label: x.label, responseShare: x.responseShare, populationShare: x.populationShare, underHeard: x.underHeard })),
    })),
    groups: ranking.enoughData ? await groupTopics(ctx, t) : [],
    underHeard: underHeard(repr, t, lang),
    partners: ranking.enoughData ? partnersOnFile(list.slice(0, 3), organizations, t, lang) : [],
    method: [
      n ? t('staff:summary.methodSample', { count: n, from, to }) : t('staff:summary.noResponses'),
      t('staff:summary.methodSelf'),
      t('staff:summary.methodInterval'),
      filter.weighted && ranking.weighted ? t('staff:summary.methodWeighted', { questions: weightedBy }) : t('staff:summary.methodUnweighted'),
    ],
  };
}
