import type { LocalizedText } from '../../surveys/definition.schema.js';
import { Router, type Request, type Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { parseFilter, type ResponseFilter } from '../../surveys/filters.js';
import { topicRanking, segmentComparison, tallyFor } from '../../surveys/insights.service.js';
import { copyProgress, type CopyProgress } from '../../surveys/insights/analytics-copy.js';
import type { LanguageCode } from '../../surveys/languages.js';
import { openTextInsights } from '../../surveys/open-text.service.js';
import { representativeness, summarize } from '../../surveys/response-summary.service.js';
import { neutraliseCell } from '../../surveys/spreadsheet-cells.js';
import { findSurvey, type SurveySnapshot } from '../../surveys/survey.service.js';
import { getSurveyForAnalysis } from '../../surveys/survey-cache.js';
import { NotFoundError } from '../errors.js';
import { exclusiveChoices } from '../dashboard-view.js';
import { localize } from '../form-view.js';
import { funnelData } from '../funnel-view.js';
import { requireRole } from '../middleware/auth.js';

/** JSON answers say when the analytical copy is still filling: their numbers are not final then. */
function withProgress<T extends object>(slug: string, body: T): T | (T & { catchingUp: CopyProgress }) {
  const progress = copyProgress(slug);
  return progress.catchingUp ? { ...body, catchingUp: progress } : body;
}

export async function loadSurvey(slug: string): Promise<SurveySnapshot> {
  const survey = await findSurvey(slug);
  if (!survey) throw new NotFoundError('surveyNotFound');
  return survey;
}

export interface AnalysisContext {
  survey: SurveySnapshot;
  filter: ResponseFilter;
  lang: LanguageCode;
  L: (text: LocalizedText | undefined) => string;
}

export async function analysisContext(req: Request, res: Response, extraKnown: readonly string[] = [], query: Record<string, unknown> = req.query): Promise<AnalysisContext> {
  const survey = await getSurveyForAnalysis(String(req.params.slug));
  if (!survey) throw new NotFoundError('surveyNotFound');
  const lang = res.locals.lang as LanguageCode;
  const filter = parseFilter(survey.definition, query, extraKnown);
  const L = (text: LocalizedText | undefined): string => localize(text, lang, survey.definition.defaultLanguage as LanguageCode);
  return { survey, filter, lang, L };
}

/** Spreadsheet-safe CSV: a BOM for Excel, and cells that start like a formula are neutralised (as in every export). */
export function sendCsv(res: Response, filename: string, header: string[], rows: (string | number | null)[][]): void {
  const safe = (v: string | number | null): string | number => (typeof v === 'string' ? neutraliseCell(v) : (v ?? ''));
  res.type('text/csv; charset=utf-8');
  res.attachment(filename);
  res.send(`\uFEFF${stringify([header, ...rows.map((r) => r.map(safe))])}`);
}

const wantsCsv = (req: Request): boolean => req.query.format === 'csv';

/** The page of open answers asked for (`page=`, 1 to 1,000; anything else is the first). */
export const openTextPage = (req: Request): number => Math.max(1, Math.min(1000, Number(req.query.page) || 1));

/**
 * The JSON API behind the dashboard; every figure on the page is here, with the same filters
 * as query parameters. `format=csv` returns the table as CSV.
 */
export function apiRouter(): Router {
  const router = Router();
  router.use('/api/surveys/:slug', requireRole('board'));

  router.get('/api/surveys/:slug/topics', async (req, res) => {
    const ctx = await analysisContext(req, res);
    const { survey, filter, lang } = ctx;
    const tallies = await tallyFor(survey, filter);
    const ranking = await topicRanking(survey, filter, lang, tallies);
    if (wantsCsv(req)) {
      const list = filter.weighted && ranking.weighted ? ranking.weighted.topics : ranking.topics;
      return sendCsv(res, `${survey.slug}-topics.csv`, ['rank', 'topic', 'name', 'reach', 'reach_low', 'reach_high', 'priority', 'intensity', 'score', 'about_equal_to_next', 'n'], list.map((t) => [t.rank, t.topic, t.name, t.reach, t.reachLow, t.reachHigh, t.priority, t.intensity, t.score, t.aboutEqualToNext ? 'yes' : 'no', ranking.n]));
    }
    res.json(withProgress(survey.slug, { ...ranking, exclusiveAnswers: exclusiveChoices(ctx, tallies) }));
  });

  // Where people stop: anonymous counts of forms opened, pages reached and answers sent.
  router.get('/api/surveys/:slug/funnel', async (req, res) => {
    const { survey, filter } = await analysisContext(req, res);
    const data = await funnelData(survey.slug, filter);
    if (wantsCsv(req)) {
      const rows = data.channels.flatMap((c) => [
        ...c.pages.map((p) => [c.channel, p.page === 1 ? 'opened' : 'reached', p.page, p.reached, p.reachedShare, p.breakoff]),
        [c.channel, 'sent', '', c.sent, c.completion, ''],
      ]);
      return sendCsv(res, `${survey.slug}-funnel.csv`, ['channel', 'step', 'page', 'n', 'share_of_opened', 'breakoff'], rows);
    }
    res.json(data);
  });

  router.get('/api/surveys/:slug/summary', async (req, res) => {
    const { survey, filter, L } = await analysisContext(req, res);
    const tallies = await tallyFor(survey, filter);
    const t = res.locals.t as (k: string) => string;
    const summary = summarize(survey.definition, tallies, L, (id) => t(`staff:channels.${id}`), t('common:form.other'));
    if (wantsCsv(req)) {
      const rows: (string | number)[][] = [
        ...summary.byDay.map((d) => ['day', d.day, d.day, d.n]),
        ...summary.byChannel.map((r) => ['channel', r.id, r.label, r.n]),
        ...summary.byLanguage.map((r) => ['language', r.id, r.label, r.n]),
        ...summary.byLocation.map((r) => ['location', r.id, r.label, r.n]),
        ...summary.demographics.flatMap((d) => d.rows.map((r) => [d.id, r.id, r.label, r.n])),
      ];
      const repr = representativeness(survey, tallies, L).flatMap((r) => r.rows.map((x) => [`population:${r.question}`, x.option, x.label, x.responses, x.responseShare, x.populationShare, x.underHeard ? 'yes' : 'no']));
      return sendCsv(res, `${survey.slug}-summary.csv`, ['group', 'id', 'label', 'n', 'response_share', 'population_share', 'under_heard'], [...rows, ...repr]);
    }
    res.json(withProgress(survey.slug, { ...summary, representativeness: representativeness(survey, tallies, L) }));
  });

  router.get('/api/surveys/:slug/segments/compare', async (req, res) => {
    const { survey, filter, lang } = await analysisContext(req, res);
    const result = await segmentComparison(survey, filter, lang);
    if (wantsCsv(req)) {
      return sendCsv(res, `${survey.slug}-segment.csv`, ['topic', 'name', 'segment_reach', 'rest_reach', 'difference', 'z', 'p', 'p_adjusted', 'significant'], result.rows.map((r) => [r.topic, r.name, r.segmentReach, r.restReach, r.difference, r.z, r.p, r.pAdjusted, r.significant ? 'yes' : 'no']));
    }
    res.json(result);
  });

  router.get('/api/surveys/:slug/open-text', async (req, res) => {
    const { survey, filter, lang, L } = await analysisContext(req, res, ['page']);
    const result = await openTextInsights(survey, filter, lang, L, openTextPage(req));
    if (wantsCsv(req)) {
      return sendCsv(res, `${survey.slug}-open-text.csv`, ['question', 'language', 'date', 'text'], result.answers.map((a) => [a.question, a.lang, a.day, a.text]));
    }
    res.json(result);
  });

  return router;
}
