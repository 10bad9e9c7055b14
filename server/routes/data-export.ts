import { Router, type Response } from 'express';
import type { TFunction } from 'i18next';
import { writeContactsCsv, writeCsv, writeJson, writeXlsx, type ExportFormat, type ExportOptions } from '../../surveys/export.service.js';
import { filterParams } from '../../surveys/filters.js';
import type { LanguageCode } from '../../surveys/languages.js';
import { tallyFor } from '../../surveys/insights.service.js';
import { BadRequestError } from '../errors.js';
import { columnLabels, exportFields } from '../data-view.js';
import { surveyLanguageChoices } from '../form-view.js';
import { requireRole } from '../middleware/auth.js';
import { analysisContext, loadSurvey } from './api.js';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

function isFormat(raw: unknown): raw is ExportFormat {
  return raw === 'csv' || raw === 'xlsx' || raw === 'json';
}

/** Responses are personal data: downloads are never cached along the way. */
function download(res: Response, format: ExportFormat, filename: string): void {
  res.set('Cache-Control', 'no-store');
  res.type(CONTENT_TYPES[format]);
  res.attachment(filename);
}

const today = (): string => new Date().toISOString().slice(0, 10);

/** The data page (paper forms, import, export) and the downloads: responses for staff, contacts for admins only. */
export function exportRouter(): Router {
  const router = Router();

  router.get('/staff/surveys/:slug/data', requireRole('staff'), async (req, res) => {
    const ctx = await analysisContext(req, res, ['ids']);
    const t = res.locals.t as TFunction;
    const tallies = await tallyFor(ctx.survey, { answers: {}, weighted: false });
    const locations = [...tallies.keys()].filter((k) => k.startsWith('loc:') && (tallies.get(k) ?? 0) > 0).map((k) => k.slice(4)).sort();
    const base = `/staff/surveys/${encodeURIComponent(ctx.survey.slug)}`;
    res.render('staff/data/index', {
      styles: ['/public/css/data.css'],
      title: ctx.L(ctx.survey.definition.title),
      survey: ctx.survey,
      filter: ctx.filter,
      fields: exportFields(ctx.survey.definition, ctx.filter, locations, t, ctx.lang),
      languagesOfSurvey: surveyLanguageChoices(ctx.survey.definition),
      format: isFormat(req.query.format) ? req.query.format : 'csv',
      ids: req.query.ids === '1',
      links: {
        base,
        dashboard: base,
        paper: `${base}/paper`,
        print: (lang: LanguageCode, size: string) => `${base}/paper/print?hl=${lang}&size=${size}`,
        import: `${base}/import`,
        export: `${base}/export`,
        contacts: `${base}/contacts/export`,
      },
      isAdmin: res.locals.user?.role === 'admin',
    });
  });

  router.get('/staff/surveys/:slug/export', requireRole('staff'), async (req, res) => {
    const ctx = await analysisContext(req, res, ['ids']);
    const format = req.query.format ?? 'csv';
    if (!isFormat(format)) throw new BadRequestError('invalidFilter', 'format must be csv, xlsx or json');
    const ids = req.query.ids === '1';
    const t = res.locals.t as TFunction;
    const opts: ExportOptions = { survey: ctx.survey, filter: ctx.filter, lang: ctx.lang, labels: columnLabels(t), mode: ids ? 'ids' : 'labels' };
    const suffix = ids ? '-ids' : filterParams(ctx.filter).size ? '-filtered' : '';
    download(res, format, `${ctx.survey.slug}-responses-${today()}${suffix}.${format}`);
    if (format === 'csv') await writeCsv(res, opts);
    else if (format === 'xlsx') await writeXlsx(res, opts, t('data:export.sheetName'));
    else await writeJson(res, opts);
  });

  router.get('/staff/surveys/:slug/contacts/export', requireRole('admin'), async (req, res) => {
    const survey = await loadSurvey(String(req.params.slug));
    const t = res.locals.t as TFunction;
    download(res, 'csv', `${survey.slug}-contacts-${today()}.csv`);
    await writeContactsCsv(res, survey.slug, ['email', 'phone', 'language', 'consentVersion', 'day'].map((k) => t(`data:contacts.${k}`)));
  });

  return router;
}
