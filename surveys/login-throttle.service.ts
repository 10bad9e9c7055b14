import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { LoginThrottleModel } from './login-throttle.model.js';

/** Failed sign-ins with one address before it is locked. */
export const MAX_FAILED_LOGINS = 5;
/** How long a lock lasts, and how long failures are remembered. */
export const LOCK_MINUTES = 15;
const WINDOW_MS = LOCK_MINUTES * 60_000;

/** The document id for an address: a hash, so the collection holds no addresses (typos included). */
export function throttleId(email: string): string {
  return createHash('sha256').update(`community-needs sign-in|${email}`).digest('base64url');
}

export interface ThrottleState {
  id: string;
  failures: number;
  lockedUntil: Date | null;
}

/** The address's failures and lock now (an ended window counts as none). */
export async function readThrottle(email: string, now: Date): Promise<ThrottleState> {
  const id = throttleId(email);
  const doc = await LoginThrottleModel.findById(id).lean();
  if (!doc || doc.expiresAt <= now) return { id, failures: 0, lockedUntil: null };
  return { id, failures: doc.failures, lockedUntil: doc.lockedUntil && doc.lockedUntil > now ? doc.lockedUntil : null };
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/**
 * Counts a failed sign-in; the MAX_FAILED_LOGINS-th in a window locks the address for
 * LOCK_MINUTES (and starts counting again, so an attack that goes on keeps it locked). The same
 * writes happen whether or not an account has the address.
 */
export async function recordFailure(state: ThrottleState, now: Date): Promise<void> {
  const expiresAt = new Date(Math.max(now.getTime() + WINDOW_MS, state.lockedUntil?.getTime() ?? 0));
  const fresh = state.failures === 0 && !state.lockedUntil;
  // A window that ended starts from one (its old count and lock mean nothing now).
  const update = fresh ? { $set: { failures: 1, expiresAt }, $unset: { lockedUntil: 1 } } : { $inc: { failures: 1 }, $set: { expiresAt } };
  const write = () => LoginThrottleModel.findOneAndUpdate({ _id: state.id }, update, { upsert: true, returnDocument: 'after' }).lean();
  const doc = await write().catch((err: unknown) => {
    if (isDuplicateKey(err)) return write();
    throw err;
  });
  if ((doc?.failures ?? 0) >= MAX_FAILED_LOGINS) {
    const until = new Date(now.getTime() + WINDOW_MS);
    await LoginThrottleModel.updateOne({ _id: state.id }, { $set: { failures: 0, lockedUntil: until, expiresAt: until } });
  }
  if (fresh) void removeEndedThrottles(now).catch(() => undefined);
}

/** Forgets an address's failures and lock (a successful sign-in, an administrator lifting it, a new password). */
export async function clearThrottle(email: string): Promise<void> {
  await LoginThrottleModel.deleteOne({ _id: throttleId(email) });
}

/** The locks in force for these addresses, by address. */
export async function locksFor(emails: string[], now: Date): Promise<Map<string, Date>> {
  const ids = new Map(emails.map((e) => [throttleId(e), e]));
  const docs = ids.size ? await LoginThrottleModel.find({ _id: mongoose.trusted({ $in: [...ids.keys()] }), lockedUntil: mongoose.trusted({ $gt: now }) }).lean() : [];
  return new Map(docs.map((d) => [ids.get(d._id)!, d.lockedUntil!]));
}

/** Deletes documents whose window has ended. */
export async function removeEndedThrottles(now = new Date()): Promise<number> {
  const { deletedCount } = await LoginThrottleModel.deleteMany({ expiresAt: mongoose.trusted({ $lte: now }) });
  return deletedCount;
}
