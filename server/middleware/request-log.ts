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
    // These serializers read the request and response themselves, so pino's standard ones (which
    // copy every header and the address first, on every request) are not run before them. Errors
    // keep pino's standard serializer.
    wrapSerializers: false,
    serializers: {
      req: (req: Request) => ({ id: req.id, method: req.method, path: (req.originalUrl ?? req.url ?? '').split('?')[0] }),
      res: (res: Response) => ({ status: res.statusCode }),
    },
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/public/') },
  });
}
