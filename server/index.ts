import path from 'node:path';
import type { Server } from 'node:http';
import { getCatalog } from '../surveys/catalog.service.js';
import { startContactPurge } from '../surveys/contact-retention.service.js';
import { seedBuiltInSurveys } from '../surveys/survey.service.js';
import { listOpenSurveysCached } from '../surveys/survey-cache.js';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase, type OpenDatabase } from './db/open.js';
import { createI18n } from './i18n.js';
import { createLogger } from './logger.js';
import { onAvailabilityChange } from './db/availability.js';
import { startFunnelFlush } from '../surveys/funnel/funnel.service.js';
import { closeAnalyticsCopy, configureAnalyticsCopy, copyStore } from '../surveys/insights/analytics-copy.js';
import { startFollowing } from '../surveys/insights/analytics-changes.js';

// The only place that connects and listens. Everything else is built by createApp().
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);

let db: OpenDatabase | undefined;
let stopContactPurge: (() => void) | undefined;
let stopFollowing: (() => void) | undefined;
let stopFunnel: (() => Promise<void>) | undefined;
let server: Server | undefined;
let stopping = false;

async function main(): Promise<void> {
  getCatalog(); // fail fast on a broken catalog
  const i18n = await createI18n();
  onAvailabilityChange(({ away, reason, since }) =>
    away ? logger.warn({ reason }, 'database away: respondent pages answer from memory, submissions get "try again"') : logger.info({ awayMs: since ? Date.now() - since.getTime() : 0 }, 'database answers again'),
  );
  db = await openDatabase(config, logger);
  const seeded = await seedBuiltInSurveys();
  if (seeded.length) logger.info({ seeded }, 'built-in surveys loaded');
  // After the built-in surveys exist, so the first check knows them.
  configureAnalyticsCopy(
    { file: config.ANALYTICS_FILE ?? path.join(config.DATA_DIR, `analytics-${config.PORT}.duckdb`), memoryLimitMb: config.ANALYTICS_MEMORY_MB, threads: config.ANALYTICS_THREADS },
    (level, msg, data) => logger[level](data ?? {}, msg),
  );
  await copyStore();
  stopFollowing = startFollowing({
    pollMs: config.ANALYTICS_POLL_MS,
    checkEveryMs: config.ANALYTICS_CHECK_MINUTES * 60_000,
    retentionMs: config.ANALYTICS_LOG_MINUTES * 60_000,
    onError: (what, err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, what),
    onRebuilt: (slugs) => logger.info({ slugs }, 'analytics copy filled again from MongoDB (it differed)'),
  });
  // Every open survey is in memory from the start, so its pages work through an outage even if nobody opened them yet.
  await listOpenSurveysCached();

  stopContactPurge = startContactPurge({
    retentionDays: config.CONTACT_RETENTION_DAYS,
    onPurged: (count) => logger.info({ count, retentionDays: config.CONTACT_RETENTION_DAYS }, 'expired follow-up contacts deleted'),
    onError: (err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'contact purge postponed'),
  });
  // Where people stop: the counts kept in this process are written once a minute (and at shutdown).
  stopFunnel = startFunnelFlush(60_000, (err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'form counts kept for the next write'));
  const app = createApp({ config, logger, i18n });
  server = app.listen(config.PORT, config.HOST, () => {
    logger.info(`Community Needs is running on http://localhost:${config.PORT} (survey: /s/community-needs, kiosk: /kiosk/community-needs)`);
  });
  server.on('error', (err) => {
    logger.fatal({ err }, 'could not listen');
    void shutdown(1);
  });
}

/** Stops taking new connections, lets in-flight requests finish, then closes the database. */
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down');
  const force = setTimeout(() => {
    logger.error('shutdown timed out; exiting');
    process.exit(code || 1);
  }, config.SHUTDOWN_TIMEOUT_MS);
  force.unref();
  if (server) {
    await new Promise<void>((resolve) => {
      server!.close(() => resolve());
      server!.closeIdleConnections();
    });
  }
  stopContactPurge?.();
  stopFollowing?.();
  await stopFunnel?.();
  await (await copyStore()).checkpoint().catch(() => undefined); // the copy's last changes into its file
  closeAnalyticsCopy();
  await db?.close();
  process.exit(code);
}

process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));

main().catch(async (err: unknown) => {
  logger.fatal(err instanceof Error ? err.message : String(err));
  await db?.close();
  process.exit(1);
});
