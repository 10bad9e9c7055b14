import { Router, type NextFunction, type Request, type Response } from 'express';
import type { i18n as I18n, TFunction } from 'i18next';
import { deleteBatch, loadBatch, loadBatchRows, saveMapping, type StoredBatch } from '../../surveys/import-batch.service.js';
import { IGNORE } from '../../surveys/import-mapping.js';
import { TAG_PATTERN } from '../../surveys/import-rows.js';
import { IMPORT_LIMITS, type ImportKind } from '../../surveys/import-table.js';
import { checkRows, confirmImport, ImportRowsError, startImport, type ImportCheck } from '../../surveys/import.service.js';
import { ImportBatchGoneError, ImportFileError } from '../../surveys/import.errors.js';
import { isLanguageCode, type LanguageCode } from '../../surveys/languages.js';
import type { SurveySnapshot } from '../../surveys/survey.service.js';
import type { SessionUser } from '../../surveys/user.service.js';
import { AppError, ConflictError } from '../errors.js';
import { previewModel, vocabularyFor } from '../data-view.js';
import { surveyLanguage, surveyLanguageChoices } from '../form-view.js';
import { requireRole } from '../middleware/auth.js';
import { requireUpload, singleUpload } from '../middleware/uploads.js';
import { loadSurvey } from './api.js';

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
const STYLES = ['/public/css/data.css'];
/** Errors of the upload middleware that the import page explains next to the file field. */
const UPLOAD_CODES = new Set(['fileTooLarge', 'fileType', 'fileEncoding', 'fileMissing', 'tooManyFiles']);

const base = (slug: string): string => `/staff/surveys/${encodeURIComponent(slug)}`;

interface UploadState {
  status?: number;
  error?: string;
  values?: { lang?: string; tag?: string };
  tagError?: string;
}

function count(raw: unknown): number | null {
  return typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : null;
}

function renderUpload(req: Request, res: Response, survey: SurveySnapshot, state: UploadState = {}): void {
  const imported = req.method === 'GET' ? count(req.query.imported) : null;
  res.status(state.status ?? 200).render('staff/data/import', {
    styles: STYLES,
    slug: survey.slug,
    action: `${base(survey.slug)}/import`,
    dataUrl: `${base(survey.slug)}/data`,
    languagesOfSurvey: surveyLanguageChoices(survey.definition),
    values: { lang: state.values?.lang ?? survey.definition.defaultLanguage, tag: state.values?.tag ?? '' },
    error: state.error ?? '',
    tagError: state.tagError ?? '',
    result: imported === null ? null : { imported, skipped: count(req.query.skipped) ?? 0 },
    maxMegabytes: IMPORT_MAX_BYTES / 1024 / 1024,
    maxRows: new Intl.NumberFormat(res.locals.lang as string).format(IMPORT_LIMITS.maxRows),
  });
}

async function renderPreview(req: Request, res: Response, survey: SurveySnapshot, batch: StoredBatch, status = 200, given?: ImportCheck, message = ''): Promise<void> {
  const vocab = vocabularyFor(survey.definition, req.app.locals.i18n as I18n);
  const rows = await loadBatchRows(batch.id);
  const check = given ?? (await checkRows(survey, vocab, batch, rows, new Date()));
  const lang = res.locals.lang as LanguageCode;
  res.set('Cache-Control', 'no-store');
  res.status(status).render('staff/data/preview', {
    styles: STYLES,
    slug: survey.slug,
    preview: previewModel(survey.definition, vocab, batch, rows.slice(0, 10), check, res.locals.t as TFunction, lang),
    message,
    action: `${base(survey.slug)}/import/${batch.id}`,
    uploadUrl: `${base(survey.slug)}/import`,
  });
}

/** A mapping from the preview form's selects; anything not offered keeps the column's current target. */
function readMapping(body: Record<string, unknown>, batch: StoredBatch, targets: string[]): string[] {
  return batch.headers.map((_, i) => {
    const raw = body[`map.${i}`];
    return typeof raw === 'string' && (raw === IGNORE || targets.includes(raw)) ? raw : (batch.mapping[i] ?? IGNORE);
  });
}

function userId(res: Response): string {
  return (res.locals.user as SessionUser).id;
}

/** Upload errors and unusable files come back on the import page, next to the file field, with their status. */
async function uploadErrors(err: unknown, req: Request, res: Response, next: NextFunction): Promise<void> {
  const t = res.locals.t as TFunction;
  let message: string | null = null;
  const number = new Intl.NumberFormat(res.locals.lang as string);
  if (err instanceof ImportFileError) message = t(`data:import.errors.${err.code}`, Object.fromEntries(Object.entries(err.params).map(([k, v]) => [k, typeof v === 'number' ? number.format(v) : v])));
  else if (err instanceof AppError && UPLOAD_CODES.has(err.code)) message = t(`errors.${err.code}.message`);
  if (message === null) return next(err);
  const survey = await loadSurvey(String(req.params.slug));
  const body = (req.body ?? {}) as Record<string, unknown>;
  renderUpload(req, res, survey, { status: (err as AppError).status, error: message, values: { lang: String(body.lang ?? ''), tag: String(body.tag ?? '') } });
}

/** Import of CSV, XLSX or JSON files: upload, preview with mapping and row problems, confirm (all or nothing). */
export function importRouter(): Router {
  const router = Router();
  const path = '/staff/surveys/:slug/import';

  router.get(path, requireRole('staff'), async (req, res) => renderUpload(req, res, await loadSurvey(String(req.params.slug))));

  router.post(
    path,
    requireRole('staff'),
    ...singleUpload({ field: 'file', maxBytes: IMPORT_MAX_BYTES, kinds: ['csv', 'xlsx', 'json'] }),
    async (req: Request, res: Response) => {
      const survey = await loadSurvey(String(req.params.slug));
      const body = (req.body ?? {}) as Record<string, unknown>;
      const lang = surveyLanguage(survey.definition, isLanguageCode(body.lang) ? body.lang : (survey.definition.defaultLanguage as LanguageCode));
      const tag = typeof body.tag === 'string' ? body.tag.trim() : '';
      if (tag && !TAG_PATTERN.test(tag)) return renderUpload(req, res, survey, { status: 422, values: { lang, tag }, tagError: (res.locals.t as TFunction)('data:paper.invalidBatch') });
      const file = requireUpload(req);
      const vocab = vocabularyFor(survey.definition, req.app.locals.i18n as I18n);
      const id = await startImport({ survey, vocab, upload: { buffer: file.buffer, kind: file.kind as ImportKind, displayName: file.displayName }, userId: userId(res), lang, ...(tag ? { tag } : {}) });
      res.redirect(303, `${base(survey.slug)}/import/${id}`);
    },
    uploadErrors,
  );

  router.get(`${path}/:batch`, requireRole('staff'), async (req, res) => {
    const survey = await loadSurvey(String(req.params.slug));
    try {
      await renderPreview(req, res, survey, await loadBatch(String(req.params.batch), survey.slug, userId(res)));
    } catch (err) {
      if (!(err instanceof ImportBatchGoneError)) throw err;
      renderUpload(req, res, survey, { status: 410, error: (res.locals.t as TFunction)('data:import.errors.importExpired') });
    }
  });

  router.post(`${path}/:batch`, requireRole('staff'), async (req, res) => {
    const survey = await loadSurvey(String(req.params.slug));
    const t = res.locals.t as TFunction;
    const body = (req.body ?? {}) as Record<string, unknown>;
    let batch: StoredBatch;
    try {
      batch = await loadBatch(String(req.params.batch), survey.slug, userId(res));
    } catch (err) {
      if (!(err instanceof ImportBatchGoneError)) throw err;
      return renderUpload(req, res, survey, { status: 410, error: t('data:import.errors.importExpired') });
    }
    if (body.action === 'cancel') {
      await deleteBatch(batch.id);
      return res.redirect(303, `${base(survey.slug)}/import`);
    }
    const vocab = vocabularyFor(survey.definition, req.app.locals.i18n as I18n);
    const mapping = readMapping(body, batch, vocab.targets);
    if (mapping.join('\n') !== batch.mapping.join('\n')) await saveMapping(batch.id, mapping);
    batch = { ...batch, mapping };
    if (body.action !== 'confirm') return res.redirect(303, `${base(survey.slug)}/import/${batch.id}`);
    try {
      const result = await confirmImport(survey, vocab, batch);
      res.redirect(303, `${base(survey.slug)}/import?imported=${result.imported}&skipped=${result.skipped}`);
    } catch (err) {
      if (err instanceof ImportRowsError) {
        const message = err.check.mappingProblems.length ? t('data:import.notImportedMapping') : t('data:import.notImported', { count: err.check.problemRows });
        return renderPreview(req, res, survey, batch, 422, err.check, message);
      }
      if (err instanceof ConflictError) return renderPreview(req, res, survey, batch, 409, undefined, t(`data:import.errors.${err.code}`));
      throw err;
    }
  });

  return router;
}
