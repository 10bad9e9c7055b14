import { Router } from 'express';
import { importQueueFile } from '../../surveys/queue-import.service.js';
import type { Config } from '../config.js';
import { ValidationError } from '../errors.js';
import { contactIdKey } from '../form-secret.js';
import { requireRole } from '../middleware/auth.js';
import { requireUpload, singleUpload } from '../middleware/uploads.js';

/**
 * Staff page for the answers waiting in this browser's offline queue (a kiosk or phone that
 * lost its connection), and the last-resort import of an exported queue file.
 */
export function queueRouter(): Router {
  const router = Router();

  router.get('/staff/queue', requireRole('staff'), (_req, res) => {
    res.render('staff/queue', { result: null, error: '' });
  });

  router.post('/staff/queue/import', requireRole('staff'), ...singleUpload({ field: 'file', maxBytes: 20 * 1024 * 1024, kinds: ['json'] }), async (req, res) => {
    try {
      const file = requireUpload(req);
      let json: unknown;
      try {
        json = JSON.parse(file.buffer.toString('utf8').replace(/^\uFEFF/, ''));
      } catch {
        throw new ValidationError([{ field: 'file', code: 'badFile' }], 'badFile');
      }
      res.render('staff/queue', { result: await importQueueFile(json, contactIdKey(req.app.locals.config as Config)), error: '' });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(422).render('staff/queue', { result: null, error: 'badFile' });
    }
  });

  return router;
}
