import { Router } from 'express';
import { exportRouter } from './data-export.js';
import { importRouter } from './data-import.js';
import { paperRouter } from './data-paper.js';

/** Paper data entry, printable paper forms, response import and export. */
export function dataRouter(): Router {
  const router = Router();
  router.use(paperRouter());
  router.use(importRouter());
  router.use(exportRouter());
  return router;
}
