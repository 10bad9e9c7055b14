import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import mongoose, { Schema } from 'mongoose';

/**
 * Hit counters for the rate limits, shared by every app instance. One document per key and
 * fixed window (`_id: <prefix><key>|<window start>`), counted with `$inc` upserts. FerretDB runs
 * no TTL indexes, so expired windows are removed by a periodic delete instead.
 */
const rateLimitSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The prefixed key without the window, so a key can be reset across windows. */
    key: { type: String, required: true },
    hits: { type: Number, required: true, default: 0 },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
rateLimitSchema.index({ key: 1 });
rateLimitSchema.index({ expiresAt: 1 });

export const RateLimitModel = mongoose.model('RateLimit', rateLimitSchema, 'rate_limits');

const CLEANUP_MS = 60_000;
let cleanupTimer: NodeJS.Timeout | undefined;

/** Deletes counters of windows that have ended. */
export async function removeExpiredRateLimits(now = new Date()): Promise<number> {
  const { deletedCount } = await RateLimitModel.deleteMany({ expiresAt: mongoose.trusted({ $lte: now }) });
  return deletedCount;
}

function startCleanup(): void {
  if (cleanupTimer) return;
  cleanupTimer = setInterval(() => {
    if (mongoose.connection.readyState !== 1) return;
    removeExpiredRateLimits().catch(() => undefined);
  }, CLEANUP_MS);
  cleanupTimer.unref();
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/** An `express-rate-limit` store on MongoDB (fixed windows). */
export class MongoRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 15 * 60 * 1000;

  constructor(prefix: string) {
    this.prefix = `${prefix}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
    startCleanup();
  }

  private window(key: string, now = Date.now()): { id: string; key: string; resetTime: Date } {
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    return { id: `${this.prefix}${key}|${start}`, key: `${this.prefix}${key}`, resetTime: new Date(start + this.windowMs) };
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const w = this.window(key);
    const doc = await RateLimitModel.findById(w.id, { hits: 1 }).lean();
    return doc ? { totalHits: doc.hits, resetTime: w.resetTime } : undefined;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const w = this.window(key);
    const inc = () =>
      RateLimitModel.findOneAndUpdate({ _id: w.id }, { $inc: { hits: 1 }, $setOnInsert: { key: w.key, expiresAt: w.resetTime } }, { upsert: true, returnDocument: 'after' }).lean();
    let doc;
    try {
      doc = await inc();
    } catch (err) {
      // Two first hits at once: one upsert inserts, the other retries as an update.
      if (!isDuplicateKey(err)) throw err;
      doc = await inc();
    }
    return { totalHits: doc?.hits ?? 1, resetTime: w.resetTime };
  }

  async decrement(key: string): Promise<void> {
    await RateLimitModel.updateOne({ _id: this.window(key).id, hits: mongoose.trusted({ $gt: 0 }) }, { $inc: { hits: -1 } });
  }

  async resetKey(key: string): Promise<void> {
    await RateLimitModel.deleteMany({ key: `${this.prefix}${key}` });
  }

  shutdown(): void {
    clearInterval(cleanupTimer);
    cleanupTimer = undefined;
  }
}
