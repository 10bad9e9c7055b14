import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';

/**
 * Structured request logs with no personal data: method, path without the query string,
 * status and duration. No IP address, user agent, cookies or bodies.
 */
export function requestLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: () => randomUUID(),
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      req: (req: Request & { raw?: Request }) => ({ id: req.id, method: req.method, path: (req.raw?.originalUrl ?? req.url ?? '').split('?')[0] }),
      res: (res: Response) => ({ status: res.statusCode }),
    },
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/public/') },
  });
}
