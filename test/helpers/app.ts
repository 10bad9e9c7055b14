import type { Express } from 'express';
import type { i18n as I18n } from 'i18next';
import { createApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { createI18n } from '../../server/i18n.js';
import { createLogger, type Logger } from '../../server/logger.js';

let i18n: I18n | undefined;

export async function testI18n(): Promise<I18n> {
  i18n ??= await createI18n();
  return i18n;
}

/**
 * Tests post forms instantly and many times from one address: the minimum fill time is off and
 * the respondent rate limits are high, unless a test sets them (test/http/abuse-*.test.ts do).
 */
const TEST_DEFAULTS = { MIN_FILL_SECONDS: '0', RATE_LIMIT_PAGES: '100000', RATE_LIMIT_SUBMITS: '100000', RATE_LIMIT_KIOSK: '100000' };

/** The real app, wired like production but with test settings and silent logs (or `options.logger`, e.g. one writing to a captured stream). */
export async function buildTestApp(env: Record<string, string> = {}, options: { logger?: Logger } = {}): Promise<{ app: Express; config: Config }> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...TEST_DEFAULTS, ...env });
  const app = createApp({ config, logger: options.logger ?? createLogger('silent'), i18n: await testI18n() });
  return { app, config };
}
