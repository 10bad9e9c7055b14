import mongoose from 'mongoose';
import { rateLimitWritesSettled } from '../../server/middleware/rate-limit-store.js';
import { flushFunnelCounts } from '../../surveys/funnel/funnel.service.js';
import { resetAnalyticsCopy } from '../../surveys/insights/analytics-copy.js';
import { clearSettingsCache } from '../../surveys/settings.service.js';

/**
 * Empties every collection (indexes stay) and the analytical copy, so each test starts from a
 * known state (the cached library settings forgotten too). Rate-limit hits the previous test's requests still had to write are written
 * first, so they cannot land in the next test.
 */
export async function clearDatabase(): Promise<void> {
  await rateLimitWritesSettled();
  // Counts of forms shown by the previous test are written now, so the emptying below takes them too.
  await flushFunnelCounts().catch(() => undefined);
  await Promise.all(Object.values(mongoose.models).map((model) => model.deleteMany({})));
  await resetAnalyticsCopy();
  // The settings are cached for 30 s: without this, the next test's pages would still show the
  // previous test's saved settings (a kiosk idle time of 90 s instead of the configured 10).
  clearSettingsCache();
}
