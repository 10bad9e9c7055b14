import { Router, type Request, type Response } from 'express';
import type { LanguageCode } from '../../surveys/languages.js';
import { CSV_COLUMNS, MAX_IMPORT_ROWS } from '../../surveys/partner-csv.js';
import { confirmImport, previewImport, type ImportPreview } from '../../surveys/partner-import.service.js';
import { AppError } from '../errors.js';
import { requireRole } from '../middleware/auth.js';
import { requireUpload, singleUpload } from '../middleware/uploads.js';
import { catalogChoices, PARTNERS_BASE } from '../partners-view.js';

const MAX_BYTES = 2 * 1024 * 1024;

function renderImport(req: Request, res: Response, status: number, preview: ImportPreview | null, fileName = '', fileProblem = ''): void {
  res.status(status).render('staff/partners/import', {
    preview,
    fileName,
    fileProblem,
    columns: CSV_COLUMNS.filter((c) => c !== 'programs'),
    maxRows: MAX_IMPORT_ROWS,
    choices: catalogChoices(res.locals.lang as LanguageCode),
    base: PARTNERS_BASE,
    styles: ['/public/css/partners.css'],
  });
}

/**
 * CSV import in two steps: upload → preview with per-row problems (nothing written) → confirm,
 * which writes every row or, when any row has a problem, nothing (there is no confirm button).
 */
export function partnersImportRouter(): Router {
  const router = Router();
  const upload = singleUpload({ field: 'file', maxBytes: MAX_BYTES, kinds: ['csv'] });

  router.get(`${PARTNERS_BASE}/import`, requireRole('staff'), (req, res) => renderImport(req, res, 200, null));

  router.post(`${PARTNERS_BASE}/import`, requireRole('staff'), ...upload, async (req, res) => {
    let file;
    try {
      file = requireUpload(req);
    } catch (err) {
      if (err instanceof AppError && err.code === 'fileMissing') return renderImport(req, res, 422, null, '', 'fileMissing');
      throw err;
    }
    const preview = await previewImport(file.buffer, String(res.locals.user.id));
    renderImport(req, res, preview.importId ? 200 : 422, preview, file.displayName);
  });

  router.post(`${PARTNERS_BASE}/import/:importId`, requireRole('staff'), async (req, res) => {
    const { created, updated } = await confirmImport(String(req.params.importId), String(res.locals.user.id));
    res.redirect(303, `${PARTNERS_BASE}?done=imported&created=${created}&updated=${updated}`);
  });

  return router;
}
