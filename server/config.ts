import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { fromRoot } from './paths.js';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  MONGODB_URI: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().default(fromRoot('data')),
  LOCAL_DB_PORT: z.coerce.number().int().min(1).max(65535).default(27018),
  FERRETDB_BIN: z.string().optional(),
  TOOLS_CACHE_DIR: z.string().default(path.join(os.homedir(), '.cache', 'community-needs')),
  KIOSK_IDLE_SECONDS: z.coerce.number().int().min(10).max(3600).default(90),
  KIOSK_COUNTDOWN_SECONDS: z.coerce.number().int().min(3).max(120).default(20),
  KIOSK_LOCATION: z.string().max(60).default(''),
  DEFAULT_LANGUAGE: z.enum(['en', 'es', 'zh-Hans', 'vi', 'ar', 'ht']).default('en'),
  LIBRARY_NAME: z.string().max(120).default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  /** Signs session cookies; without it a random secret is kept in DATA_DIR/session-secret. */
  SESSION_SECRET: z.string().min(32).optional(),
  /** Sign-in attempts allowed per address in 15 minutes. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(20),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(12),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000),
});

export type Config = Readonly<z.infer<typeof EnvSchema>>;

/** Reads and validates the environment once; a bad value stops the app with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration in environment variables:\n${problems}`);
  }
  return Object.freeze(parsed.data);
}
