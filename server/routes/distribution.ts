import { Router } from 'express';

/** Links, kiosk links, QR codes and printable posters for a survey. */
export function distributionRouter(): Router {
  const router = Router();
  return router;
}
