import mongoose from 'mongoose';
import { ContactModel } from './contact.model.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The first day (`YYYY-MM-DD`, UTC like the stored `day`) still kept on `now`. */
export function firstKeptDay(now: Date, retentionDays: number): string {
  return new Date(now.getTime() - retentionDays * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Deletes follow-up contacts given more than `retentionDays` days before `now` (by their
 * stored day, the only date a contact has). Returns how many were deleted.
 */
export async function purgeExpiredContacts(now: Date, retentionDays: number): Promise<number> {
  const { deletedCount } = await ContactModel.deleteMany({ day: mongoose.trusted({ $lt: firstKeptDay(now, retentionDays) }) });
  return deletedCount;
}

/**
 * Runs the purge now and then once a day. The timer is unref'd, so it never keeps the process
 * alive; errors go to `onError` and the next day tries again. Returns a stop function.
 */
export function startContactPurge(options: { retentionDays: number; onPurged: (count: number) => void; onError: (err: unknown) => void }): () => void {
  const run = (): void => {
    purgeExpiredContacts(new Date(), options.retentionDays).then((n) => n > 0 && options.onPurged(n), options.onError);
  };
  run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
