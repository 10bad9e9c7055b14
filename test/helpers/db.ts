import mongoose from 'mongoose';
import { rateLimitWritesSettled } from '../../server/middleware/rate-limit-store.js';
import { resetAnalyticsCopy } from '../../surveys/insights/analytics-copy.js';
import { talliesSettled } from '../../surveys/tally.service.js';

/**
 * Empties every collection (indexes stay), so each test starts from a known state. Counters the
 * previous test's requests still had to write (behind the answers, or in a burst's pause) are
 * written first, so they cannot land in the next test.
 */
export async function clearDatabase(): Promise<void> {
  await talliesSettled();
  await rateLimitWritesSettled();
  await Promise.all(Object.values(mongoose.models).map((model) => model.deleteMany({})));
  await resetAnalyticsCopy();
}
