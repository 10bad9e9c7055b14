import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { fromRoot } from '../../server/paths.js';
import { createUser } from '../../surveys/user.service.js';
import type { Role } from '../../surveys/user.model.js';
import { buildTestApp } from '../helpers/app.js';
import { TEST_PASSWORD } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';

// Debian's Chromium, never a downloaded one; CHROMIUM_PATH points elsewhere if needed.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = fromRoot('test-results', 'screenshots');

export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const TABLET: BrowserContextOptions = { viewport: { width: 1024, height: 768 }, hasTouch: true };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };

/** Launches headless Chromium; without it the suite fails on CI and is skipped elsewhere. */
export async function launchBrowser(ctx: Mocha.Context): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`Chromium is missing at ${CHROMIUM}; .ci/run installs it`);
    ctx.skip();
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface RunningApp {
  base: string;
  close: () => Promise<void>;
}

/** The real app on a free port of 127.0.0.1, in this process (the test database is already connected). */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const { app } = await buildTestApp(env);
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface BrowserApp {
  browser: Browser;
  app: RunningApp;
}

/**
 * Chromium and the app for a file: before its tests an empty database, then `prepare` (e.g. seed
 * surveys), then the app with these settings over the test defaults; both closed after. The
 * hooks fill the returned object in, so read its fields inside tests.
 */
export function useBrowserApp(prepare: () => Promise<unknown> | void = () => undefined, env: Record<string, string> = {}): BrowserApp {
  const ctx = {} as BrowserApp;
  before(async function () {
    this.timeout(300000);
    ctx.browser = await launchBrowser(this);
    await clearDatabase();
    await prepare();
    ctx.app = await startApp(env);
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.app?.close();
  });
  return ctx;
}

/** A new context whose pages may run injected scripts (axe) despite the app's strict CSP. */
export async function newPage(browser: Browser, options: BrowserContextOptions = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ bypassCSP: true, ...options });
  context.setDefaultTimeout(15000);
  return { context, page: await context.newPage() };
}

/** Saves a full-page PNG under test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, scale: 'css' });
}

/** Creates a user with `role` and signs in through the real /login form. */
export async function signIn(page: Page, base: string, role: Role, email = `${role}@library.test`): Promise<void> {
  await createUser({ email, name: `Test ${role}`, role, password: TEST_PASSWORD });
  await page.goto(`${base}/login`);
  await page.fill('#email', email);
  await page.fill('#password', TEST_PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('main button[type=submit]')]);
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; helpUrl: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe-core on the page and returns its serious and critical violations, readably (minus the `allowed` rule ids). */
export async function seriousViolations(page: Page, allowed: string[] = []): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  // Only violations are collected: much faster on long pages than the default (passes too).
  const result = await page.evaluate(() => (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResult> } }).axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => (v.impact === 'serious' || v.impact === 'critical') && !allowed.includes(v.id))
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`).join('\n')}`);
}
