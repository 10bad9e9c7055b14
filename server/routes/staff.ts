import { Router, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { DEFAULT_WEIGHTS } from '../../analytics/index.js';
import { isFiltered } from '../../surveys/filters.js';
import { groupComparisons } from '../../surveys/group-comparisons.service.js';
import { segmentComparison, tallyFor, topicRanking } from '../../surveys/insights.service.js';
import { copyProgress } from '../../surveys/insights/analytics-copy.js';
import { openTextInsights } from '../../surveys/open-text.service.js';
import { organizationsFor } from '../../surveys/partner.service.js';
import { representativeness, savePopulation, saveWeights, summarize } from '../../surveys/response-summary.service.js';
import { SurveyModel } from '../../surveys/survey.model.js';
import type { PopulationShares } from '../../surveys/survey.service.js';
import { ValidationError, type FieldProblem } from '../errors.js';
import { surveyLinks } from '../builder-view.js';
import { chartData, describeFilter, exclusiveChoices, filterFields, pct, populationForm, tierMap, withFilter } from '../dashboard-view.js';
import { findingsView, standsOutView } from '../findings-view.js';
import { funnelData, funnelView } from '../funnel-view.js';
import { requireRole } from '../middleware/auth.js';
import { summaryLinks } from './reports.js';
import { analysisContext, loadSurvey, openTextPage } from './api.js';

interface DashboardState {
  status?: number;
  /** After a settings form: the dashboard without filters. */
  unfiltered?: boolean;
  weightProblems?: FieldProblem[];
  weightValues?: Record<string, string>;
  populationProblems?: FieldProblem[];
  populationValues?: Record<string, string>;
}

async function renderDashboard(req: Request, res: Response, state: DashboardState = {}): Promise<void> {
  // `page` paged the open answers when they were part of the dashboard: old links still open it.
  const ctx = await analysisContext(req, res, ['page'], state.unfiltered ? {} : req.query);
  const t = res.locals.t as TFunction;
  const tallies = await tallyFor(ctx.survey, ctx.filter);
  const ranking = await topicRanking(ctx.survey, ctx.filter, ctx.lang, tallies);
  const organizations = await organizationsFor(ranking.topics.flatMap((x) => x.partners.map((p) => ({ topic: x.topic, type: p.type }))));
  const summary = summarize(ctx.survey.definition, tallies, ctx.L, (id) => t(`staff:channels.${id}`), t('common:form.other'));
  const repr = representativeness(ctx.survey, tallies, ctx.L);
  // The filtered counters were just read: the comparison reuses them rather than reading the responses again.
  const segment = isFiltered(ctx.filter) ? await segmentComparison(ctx.survey, ctx.filter, ctx.lang, tallies) : null;
  const base = `/staff/surveys/${encodeURIComponent(ctx.survey.slug)}`;
  const api = `/api/surveys/${encodeURIComponent(ctx.survey.slug)}`;
  const weights = ctx.survey.analysis.weights ?? DEFAULT_WEIGHTS;
  const funnel = await funnelData(ctx.survey.slug, ctx.filter);
  // Unfiltered, the key findings compare every demographic group with everyone else (one counter read each).
  const groups = !isFiltered(ctx.filter) && ranking.enoughData ? await groupComparisons(ctx.survey, ctx.L, tallies) : null;
  res.status(state.status ?? 200).render('staff/dashboard', {
    survey: ctx.survey,
    title: ctx.L(ctx.survey.definition.title),
    progress: copyProgress(ctx.survey.slug),
    filter: ctx.filter,
    filtered: isFiltered(ctx.filter),
    fields: filterFields(ctx, t, summary),
    ranking,
    organizations,
    summary,
    repr,
    segment,
    pct,
    charts: chartData(t, ranking, summary, repr, segment),
    tiers: { topics: tierMap(ranking.topics, t), weighted: ranking.weighted ? tierMap(ranking.weighted.topics, t) : null },
    findings: findingsView({ lang: ctx.lang, ranking, groups, segment, repr }, t),
    standsOut: segment && !segment.tooFew ? standsOutView(segment, ctx.lang, t) : null,
    exclusive: exclusiveChoices(ctx, tallies),
    funnel: { filtered: funnel.filtered, channels: funnelView(funnel, t) },
    links: {
      self: (extra: Record<string, string> = {}) => withFilter(base, ctx.filter, extra),
      csv: (what: string) => withFilter(`${api}/${what}`, ctx.filter, { format: 'csv' }),
      api: (what: string) => withFilter(`${api}/${what}`, ctx.filter),
      summary: summaryLinks(ctx),
      openText: withFilter(`${base}/open-text`, ctx.filter),
      clear: base,
      base,
      pages: surveyLinks(ctx.survey.slug),
    },
    canEdit: ['admin', 'staff'].includes(res.locals.user?.role),
    weightValues: state.weightValues ?? { reach: String(weights.reach * 100), priority: String(weights.priority * 100), intensity: String(weights.intensity * 100) },
    weightProblems: state.weightProblems ?? [],
    population: populationForm(ctx),
    populationValues: state.populationValues ?? {},
    populationProblems: state.populationProblems ?? [],
  });
}

/**
 * The open answers of the dashboard's filter on their own page: reading them means reading every
 * matching response, which takes a while on a large survey, so the dashboard does not wait for it
 * (with JavaScript it loads this page's answers into itself).
 */
async function renderOpenText(req: Request, res: Response): Promise<void> {
  const ctx = await analysisContext(req, res, ['page']);
  const openText = await openTextInsights(ctx.survey, ctx.filter, ctx.lang, ctx.L, openTextPage(req));
  const base = `/staff/surveys/${encodeURIComponent(ctx.survey.slug)}`;
  res.render('staff/open-text', {
    title: ctx.L(ctx.survey.definition.title),
    filters: describeFilter(ctx, res.locals.t as TFunction),
    openText,
    links: {
      dashboard: withFilter(base, ctx.filter),
      all: `${base}/open-text`,
      page: (p: number) => withFilter(`${base}/open-text`, ctx.filter, { page: String(p) }),
      csv: withFilter(`/api/surveys/${encodeURIComponent(ctx.survey.slug)}/open-text`, ctx.filter, { format: 'csv' }),
    },
  });
}

function percent(raw: unknown): number {
  if (typeof raw !== 'string' || !/^\s*\d{1,3}(?:[.,]\d{1,4})?\s*$/.test(raw)) return Number.NaN;
  return Number(raw.replace(',', '.')) / 100;
}

/** Staff pages: each survey's dashboard with its settings (the survey list is in builder.ts, accounts in users.ts). */
export function staffRouter(): Router {
  const router = Router();

  router.get('/staff/surveys/:slug', requireRole('board'), (req, res) => renderDashboard(req, res));
  router.get('/staff/surveys/:slug/open-text', requireRole('board'), renderOpenText);

  router.post('/staff/surveys/:slug/weights', requireRole('staff'), async (req, res) => {
    const survey = await loadSurvey(String(req.params.slug));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const back = `/staff/surveys/${encodeURIComponent(survey.slug)}#settings`;
    if (body.reset === '1') {
      await SurveyModel.updateOne({ slug: survey.slug }, { $unset: { 'analysis.weights': 1 } });
      return res.redirect(303, back);
    }
    const values = { reach: String(body.reach ?? ''), priority: String(body.priority ?? ''), intensity: String(body.intensity ?? '') };
    try {
      await saveWeights(survey.slug, { reach: percent(body.reach), priority: percent(body.priority), intensity: percent(body.intensity) });
      res.redirect(303, back);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderDashboard(req, res, { status: 422, unfiltered: true, weightProblems: err.problems, weightValues: values });
    }
  });

  router.post('/staff/surveys/:slug/population', requireRole('staff'), async (req, res) => {
    const survey = await loadSurvey(String(req.params.slug));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values: Record<string, string> = {};
    const entries: PopulationShares[] = [];
    const problems: FieldProblem[] = [];
    for (const q of populationForm({ survey, filter: { answers: {}, weighted: false }, lang: res.locals.lang, L: () => '' })) {
      const shares: Record<string, number> = {};
      for (const o of q.options) {
        const raw = body[`share.${q.id}.${o.id}`];
        const text = typeof raw === 'string' ? raw.trim() : '';
        values[`${q.id}.${o.id}`] = text;
        if (!text) continue;
        const value = percent(text);
        if (Number.isNaN(value)) problems.push({ field: `${q.id}.${o.id}`, code: 'shareNumber' });
        else shares[o.id] = value;
      }
      if (Object.keys(shares).length) entries.push({ question: q.id, shares });
    }
    try {
      if (problems.length) throw new ValidationError(problems, 'invalidShares');
      await savePopulation(survey, entries);
      res.redirect(303, `/staff/surveys/${encodeURIComponent(survey.slug)}#representativeness`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderDashboard(req, res, { status: 422, unfiltered: true, populationProblems: err.problems, populationValues: values });
    }
  });

  return router;
}
