import { Router } from 'express';

/** The survey builder, translations and definition upload and download (/staff/surveys). */
export function builderRouter(): Router {
  const router = Router();
  return router;
}
