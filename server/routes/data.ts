import { Router } from 'express';

/** Paper data entry, printable paper forms, response import and export. */
export function dataRouter(): Router {
  const router = Router();
  return router;
}
