import type { Express } from 'express';
import type { i18n as I18n } from 'i18next';
import { createApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { createI18n } from '../../server/i18n.js';
import { createLogger } from '../../server/logger.js';

let i18n: I18n | undefined;

export async function testI18n(): Promise<I18n> {
  i18n ??= await createI18n();
  return i18n;
}

/** The real app, wired like production but with test settings and silent logs. */
export async function buildTestApp(env: Record<string, string> = {}): Promise<{ app: Express; config: Config }> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const app = createApp({ config, logger: createLogger('silent'), i18n: await testI18n() });
  return { app, config };
}
