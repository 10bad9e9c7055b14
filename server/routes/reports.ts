import { Router } from 'express';
import type { TFunction } from 'i18next';
import { languageName, LANGUAGES, type LanguageCode } from '../../surveys/languages.js';
import { buildSummaryModel } from '../reports/summary.builder.js';
import { renderSummaryPdf } from '../reports/summary-pdf.js';
import { withFilter, pct } from '../dashboard-view.js';
import { requireRole } from '../middleware/auth.js';
import { analysisContext, type AnalysisContext } from './api.js';

/** Links to the summary page and its PDFs, each in a named language (`hl`), with the filters. */
export function summaryLinks(ctx: AnalysisContext, lang: LanguageCode = ctx.lang) {
  const base = `/reports/${encodeURIComponent(ctx.survey.slug)}/summary`;
  return {
    language: languageName(lang),
    page: withFilter(base, ctx.filter, { hl: lang }),
    pdf: (size: 'letter' | 'a4'): string => withFilter(`${base}.pdf`, ctx.filter, { size, hl: lang }),
  };
}

/** The printable board summary (board role and up), as a page and as a PDF made on the server. */
export function reportsRouter(): Router {
  const router = Router();

  router.get('/reports/:slug/summary', requireRole('board'), async (req, res) => {
    const ctx = await analysisContext(req, res);
    const model = await buildSummaryModel(ctx, res.locals.t as TFunction, req.app.locals.libraryName, new Date());
    const surveyLanguages = new Set<string>(ctx.survey.definition.languages);
    // Previews: `hl` shows this summary in another of the survey's languages; the staff member's own language stays.
    const otherLanguages = LANGUAGES.filter((l) => l.code !== ctx.lang && surveyLanguages.has(l.code)).map((l) => ({ code: l.code, ...summaryLinks(ctx, l.code) }));
    res.render('reports/summary', { model, pct, links: summaryLinks(ctx), otherLanguages, dashboard: withFilter(`/staff/surveys/${encodeURIComponent(ctx.survey.slug)}`, ctx.filter) });
  });

  router.get('/reports/:slug/summary.pdf', requireRole('board'), async (req, res) => {
    const ctx = await analysisContext(req, res, ['size']);
    const model = await buildSummaryModel(ctx, res.locals.t as TFunction, req.app.locals.libraryName, new Date());
    const pageSize = req.query.size === 'a4' ? 'A4' : 'LETTER';
    const pdf = await renderSummaryPdf(model, { pageSize });
    res.type('application/pdf');
    res.attachment(`${ctx.survey.slug}-summary-${ctx.lang}.pdf`);
    res.send(pdf);
  });

  return router;
}
