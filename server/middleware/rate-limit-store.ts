import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import mongoose, { Schema } from 'mongoose';
import { databaseKnownAway, readWithin } from '../db/availability.js';

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

const stores = new Set<WeakRef<MongoRateLimitStore>>();

/** Waits for every store's pending counter writes (tests clear the database only after them). */
export async function rateLimitWritesSettled(): Promise<void> {
  for (const ref of [...stores]) {
    const store = ref.deref();
    if (!store) stores.delete(ref);
    else await store.settled();
  }
}

/** How long a request waits for its counter write before going on with the local count. */
const STORE_WAIT_MS = 600;

/** See MongoRateLimitStore.write. */
const BURST_PAUSE_MS = 250;

/** This instance's view of one key's window: what the database said plus hits not yet written. */
interface KeyState {
  /** The window's count as the database last answered (every instance's hits). */
  known: number;
  /** Hits being written right now. */
  writing: number;
  /** Hits counted here, waiting for the next write. */
  pending: number;
  /** The write in flight, if any. */
  flight?: Promise<void>;
  resetTime: Date;
}

/**
 * An `express-rate-limit` store on MongoDB (fixed windows).
 *
 * At most one write per key is in flight per instance. A request that arrives while its key is
 * being written is counted here and joins the next write, so a burst from one address (or the
 * benchmark's 50 connections) costs a write per database round trip rather than one per request,
 * and one hot document is not updated 50 times at once. Within an instance the count is exact
 * (database + in flight + pending); other instances' hits show up with the next write.
 */
export class MongoRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 15 * 60 * 1000;
  private readonly states = new Map<string, KeyState>();

  constructor(prefix: string) {
    this.prefix = `${prefix}:`;
    stores.add(new WeakRef(this));
  }

  /** Resolves when this store has no write in flight or waiting. */
  async settled(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      const flights = [...this.states.values()].map((s) => s.flight).filter(Boolean);
      if (!flights.length) return;
      await Promise.allSettled(flights);
    }
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
    const doc = databaseKnownAway() ? null : await RateLimitModel.findById(w.id, { hits: 1 }).lean();
    const local = this.states.get(w.id);
    const unwritten = local ? local.writing + local.pending : 0;
    if (!doc && !unwritten) return undefined;
    return { totalHits: Math.max(doc?.hits ?? 0, local?.known ?? 0) + unwritten, resetTime: w.resetTime };
  }

  async increment(key: string): Promise<IncrementResponse> {
    const w = this.window(key);
    this.forgetEndedWindows();
    let state = this.states.get(w.id);
    if (!state) {
      state = { known: 0, writing: 0, pending: 0, resetTime: w.resetTime };
      this.states.set(w.id, state);
    }
    state.pending += 1;
    // Counted here while the database is away (no waiting on it); the first write after carries them.
    if (state.flight || databaseKnownAway()) {
      // Counted now, written with the next batch.
      return { totalHits: state.known + state.writing + state.pending, resetTime: w.resetTime };
    }
    // This hit is the last of its batch: its place in the window is the count the write returns,
    // or this instance's own count if the database does not answer soon (a page never waits on it).
    const written = await readWithin(this.write(w, state), STORE_WAIT_MS);
    return { totalHits: 'value' in written ? written.value : state.known + state.writing + state.pending, resetTime: w.resetTime };
  }

  /** Writes the pending hits of one key, then any that arrived meanwhile. */
  private write(w: { id: string; key: string; resetTime: Date }, state: KeyState): Promise<number> {
    const n = state.pending;
    state.pending = 0;
    state.writing = n;
    const inc = () =>
      RateLimitModel.findOneAndUpdate({ _id: w.id }, { $inc: { hits: n }, $setOnInsert: { key: w.key, expiresAt: w.resetTime } }, { upsert: true, returnDocument: 'after' }).lean();
    const flight = (async () => {
      let doc;
      try {
        doc = await inc();
      } catch (err) {
        // Two first hits at once (here and in another instance): one upsert inserts, the other retries as an update.
        if (!isDuplicateKey(err)) throw err;
        doc = await inc();
      }
      state.known = doc?.hits ?? state.known + n;
      return state.known;
    })();
    state.flight = flight.then(
      () => {
        state.writing = 0;
        if (state.pending === 0) {
          state.flight = undefined;
          return;
        }
        // A burst (hits arrived during the write): gather for a moment before the next write, so
        // a busy address costs a few writes a second rather than one per round trip. Counts in
        // this instance stay exact; other instances see them after the pause.
        state.flight = new Promise<void>((resolve) => setTimeout(resolve, BURST_PAUSE_MS).unref()).then(() => {
          state.flight = undefined;
          if (state.pending > 0 && this.states.get(w.id) === state) void this.write(w, state).catch(() => undefined);
        });
      },
      () => {
        // Not written (the database is away): keep counting them here; the next request's write
        // carries them. No retry loop of its own.
        state.pending += n;
        state.writing = 0;
        state.flight = undefined;
      },
    );
    return flight;
  }

  private forgetEndedWindows(now = Date.now()): void {
    if (this.states.size < 1000) {
      for (const [id, s] of this.states) if (s.resetTime.getTime() <= now && !s.flight) this.states.delete(id);
      return;
    }
    // Many addresses at once: drop everything idle; the database still holds the counts.
    for (const [id, s] of this.states) if (!s.flight && s.pending === 0) this.states.delete(id);
  }

  async decrement(key: string): Promise<void> {
    const w = this.window(key);
    const state = this.states.get(w.id);
    if (state && state.pending > 0) {
      state.pending -= 1;
      return;
    }
    await RateLimitModel.updateOne({ _id: w.id, hits: mongoose.trusted({ $gt: 0 }) }, { $inc: { hits: -1 } });
    if (state && state.known > 0) state.known -= 1;
  }

  async resetKey(key: string): Promise<void> {
    const prefix = `${this.prefix}${key}|`;
    for (const id of [...this.states.keys()]) if (id.startsWith(prefix)) this.states.delete(id);
    await RateLimitModel.deleteMany({ key: `${this.prefix}${key}` });
  }

  shutdown(): void {
    clearInterval(cleanupTimer);
    cleanupTimer = undefined;
  }
}
