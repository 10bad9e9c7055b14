import { Router } from 'express';

/** Library branding and settings (/staff/settings). */
export function settingsRouter(): Router {
  const router = Router();
  return router;
}
