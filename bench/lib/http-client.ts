import http from 'node:http';
import { now } from './measure.js';

/** One answered request: status, body as text, and the time from sending to the last byte. */
export interface HttpAnswer {
  status: number;
  body: string;
  ms: number;
}

/** A request that got no answer; `kind` is `timeout` or the socket error's code (ECONNRESET, ...). */
export class HttpFailure extends Error {
  constructor(
    readonly kind: string,
    readonly ms: number,
  ) {
    super(`request failed: ${kind}`);
  }
}

/**
 * A keep-alive HTTP/1.1 client for one local server, with a per-request time limit. Plain
 * node:http rather than fetch: a failure names its kind (timeout, reset, refused) and the pool
 * size is set, one socket per simulated client.
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(baseUrl: string, sockets: number) {
    this.base = new URL(baseUrl);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(this.base.hostname)) throw new Error(`only a local server may be loaded, not ${this.base.hostname}`);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  request(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<HttpAnswer> {
    const started = now();
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.base.hostname.replace(/^\[|\]$/g, ''), port: this.base.port, method, path, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) }, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: now() - started }));
        res.on('error', (err: NodeJS.ErrnoException) => reject(new HttpFailure(err.code ?? 'response error', now() - started)));
      });
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })), timeoutMs);
      req.on('close', () => clearTimeout(timer));
      // A kept-alive socket the server closed while this request was being sent (its idle timeout
      // racing a busy event loop) fails before the app saw anything: said so, as it is not the app's failure.
      req.on('error', (err: NodeJS.ErrnoException) => reject(new HttpFailure(`${err.code ?? err.message}${req.reusedSocket && err.code === 'ECONNRESET' ? ' on a reused keep-alive socket' : ''}`, now() - started)));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
