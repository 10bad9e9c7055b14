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
  /** Where respondents reach the app (e.g. https://survey.library.org), for links and QR codes; without it, the request's own address. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .refine((v) => !/[?#]/.test(v), 'no query string or fragment')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  /** Signs session cookies; without it a random secret is kept in DATA_DIR/session-secret. */
  SESSION_SECRET: z.string().min(32).optional(),
  /** Sign-in attempts allowed per address in 15 minutes. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(20),
  /** Respondent page loads (form, thank-you, kiosk start) allowed per address per window. */
  RATE_LIMIT_PAGES: z.coerce.number().int().min(1).max(1000000).default(300),
  /** Form posts (submissions and language switches) allowed per address per window. */
  RATE_LIMIT_SUBMITS: z.coerce.number().int().min(1).max(1000000).default(30),
  /** Page loads and posts allowed per kiosk (address and kiosk location) per window. */
  RATE_LIMIT_KIOSK: z.coerce.number().int().min(1).max(1000000).default(1000),
  RATE_LIMIT_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Keys the form timestamps and the hashed addresses of the rate limits; without it, derived from the session secret. */
  FORM_SECRET: z.string().min(32).optional(),
  /** A form sent sooner than this after it was shown is kept apart as likely spam; 0 turns the check off. */
  MIN_FILL_SECONDS: z.coerce.number().int().min(0).max(600).default(3),
  /** Rendered empty forms kept in memory (one per survey version, language, channel, location and link tag; a few tens of KB each); 0 turns the cache off. */
  FORM_CACHE_SIZE: z.coerce.number().int().min(0).max(10000).default(200),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(12),
  /** Follow-up contacts older than this many days (by their stored day) are deleted, daily. */
  CONTACT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** The analytical copy's file (DuckDB); by default DATA_DIR/analytics-<PORT>.duckdb, one per instance. */
  ANALYTICS_FILE: z.string().optional(),
  /** DuckDB's memory limit for the analytical copy (it spills to disk beyond it). */
  ANALYTICS_MEMORY_MB: z.coerce.number().int().min(64).max(65536).default(256),
  ANALYTICS_THREADS: z.coerce.number().int().min(1).max(64).default(2),
  /** How often the change log of the other instances is read (an answer shows everywhere within about this). */
  ANALYTICS_POLL_MS: z.coerce.number().int().min(100).max(60000).default(1000),
  /** How often the copy's counts are compared with MongoDB (on FerretDB that reads every response). */
  ANALYTICS_CHECK_MINUTES: z.coerce.number().min(0.05).max(24 * 60).default(30),
  /** How long change log entries are kept for instances that fall behind. */
  ANALYTICS_LOG_MINUTES: z.coerce.number().min(0.5).max(24 * 60).default(5),
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
