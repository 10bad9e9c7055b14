import { Router } from 'express';
import { databaseState, pingDatabase } from '../db/connection.js';

/** `/healthz`: 200 when the database is connected, 503 otherwise (for load balancers and monitors). */
export function healthRouter(): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const healthy = await pingDatabase();
    const database = healthy ? 'connected' : databaseState() === 'connected' ? 'unreachable' : databaseState();
    res.set('Cache-Control', 'no-store');
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'unhealthy', database });
  });
  return router;
}
