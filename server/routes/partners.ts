import { Router } from 'express';

/** The directory of local partner organizations (/staff/partners). */
export function partnersRouter(): Router {
  const router = Router();
  return router;
}
