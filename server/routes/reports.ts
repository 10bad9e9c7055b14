import { Router } from 'express';
import type { TFunction } from 'i18next';
import { buildSummaryModel } from '../reports/summary.builder.js';
import { renderSummaryPdf } from '../reports/summary-pdf.js';
import { withFilter, pct } from '../dashboard-view.js';
import { requireRole } from '../middleware/auth.js';
import { analysisContext } from './api.js';

/** The printable board summary (board role and up), as a page and as a PDF made on the server. */
export function reportsRouter(): Router {
  const router = Router();

  router.get('/reports/:slug/summary', requireRole('board'), async (req, res) => {
    const ctx = await analysisContext(req, res);
    const model = await buildSummaryModel(ctx, res.locals.t as TFunction, req.app.locals.libraryName, new Date());
    const pdf = (size: string): string => withFilter(`/reports/${encodeURIComponent(ctx.survey.slug)}/summary.pdf`, ctx.filter, { size, hl: ctx.lang });
    res.render('reports/summary', { model, pct, pdfLetter: pdf('letter'), pdfA4: pdf('a4'), dashboard: withFilter(`/staff/surveys/${encodeURIComponent(ctx.survey.slug)}`, ctx.filter) });
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
