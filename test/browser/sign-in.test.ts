import { expect } from 'chai';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { createUser } from '../../surveys/user.service.js';
import { TEST_PASSWORD } from '../helpers/auth.js';
import { DESKTOP, newPage, PHONE, screenshot, seriousViolations, signIn, startApp, useBrowserApp } from './browser.js';

const SIZES: [string, BrowserContextOptions][] = [['phone', PHONE], ['desktop', DESKTOP]];

/** No serious or critical axe violations, and nothing wider than the window (no sideways scrolling). */
async function expectUsable(page: Page, what: string): Promise<void> {
  const violations = await seriousViolations(page);
  expect(violations, `${what}\n  ${violations.join('\n  ')}`).to.deep.equal([]);
  const [scroll, client] = await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]') as [number, number];
  expect(scroll, `${what}: page ${scroll}px wide in a ${client}px window`).to.be.at.most(client);
}

async function submit(page: Page): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.click('main form button[type=submit]')]);
}

describe('browser: first-run setup, sign-in and account locks, in English and Arabic, on a phone and a desktop', function () {
  const ctx = useBrowserApp(() => undefined, { LOGIN_RATE_LIMIT: '1000' });

  it('/setup?lang=ar and /setup in English, with a problem shown, are usable (axe, no sideways scrolling), and the password fields are as wide as the others', async () => {
    for (const [size, options] of SIZES) {
      for (const lang of ['en', 'ar']) {
        const { context, page } = await newPage(ctx.browser, options);
        await page.goto(`${ctx.app.base}/setup?lang=${lang}`);
        expect(await page.getAttribute('html', 'dir')).to.equal(lang === 'ar' ? 'rtl' : 'ltr');
        const widths = await page.evaluate('["name", "email", "password", "confirm"].map((id) => document.getElementById(id).getBoundingClientRect().width)') as number[];
        expect(new Set(widths).size, `field widths ${widths.join(', ')}`).to.equal(1);
        await expectUsable(page, `setup ${size} ${lang}`);
        await page.fill('#name', 'Ana');
        await page.fill('#email', 'ana@library.test');
        await page.fill('#password', 'short');
        await page.fill('#confirm', 'short');
        await submit(page);
        await page.locator('.error-summary').waitFor();
        await screenshot(page, `${size}-setup-error-${lang}`);
        await expectUsable(page, `setup with an error ${size} ${lang}`);
        await context.close();
      }
    }
  });

  it('without JavaScript, the setup form creates the administrator and signs them in', async () => {
    const { context, page } = await newPage(ctx.browser, { ...PHONE, javaScriptEnabled: false });
    await page.goto(`${ctx.app.base}/setup?lang=ar`);
    await page.fill('#name', 'Ana');
    await page.fill('#email', 'ana@library.test');
    await page.fill('#password', TEST_PASSWORD);
    await page.fill('#confirm', TEST_PASSWORD);
    await submit(page);
    expect(new URL(page.url()).pathname).to.match(/^\/staff/);
    expect(await page.getAttribute('html', 'lang')).to.equal('ar');
    await context.close();
  });

  it('a failed sign-in, then the account locked by a stranger: usable pages; the administrator sees the lock on the accounts page and lifts it without JavaScript', async () => {
    await createUser({ email: 'sam@library.test', name: 'Sam Rivera', role: 'staff', password: TEST_PASSWORD });
    const stranger = await newPage(ctx.browser, DESKTOP);
    for (let i = 0; i < 5; i++) {
      await stranger.page.goto(`${ctx.app.base}/login`);
      await stranger.page.fill('#email', 'sam@library.test');
      await stranger.page.fill('#password', `guess ${i}`);
      await submit(stranger.page);
    }
    await stranger.context.close();
    for (const [size, options] of SIZES) {
      for (const lang of ['en', 'ar']) {
        const { context, page } = await newPage(ctx.browser, options);
        await page.goto(`${ctx.app.base}/login?lang=${lang}`);
        await page.fill('#email', 'sam@library.test');
        await page.fill('#password', TEST_PASSWORD);
        await submit(page);
        await page.locator('#login-error').waitFor();
        await screenshot(page, `${size}-login-locked-${lang}`);
        await expectUsable(page, `sign-in refused ${size} ${lang}`);
        await context.close();
      }
    }

    const admin = await newPage(ctx.browser, DESKTOP);
    await signIn(admin.page, ctx.app.base, 'admin', 'admin-locks@library.test');
    const storageState = await admin.context.storageState();
    await admin.context.close();
    for (const [size, options] of SIZES) {
      for (const lang of ['en', 'ar']) {
        const context = await ctx.browser.newContext({ ...options, bypassCSP: true, storageState });
        const page = await context.newPage();
        await page.goto(`${ctx.app.base}/staff/users?hl=${lang}`);
        await page.locator('[data-locked]').waitFor();
        await screenshot(page, `${size}-users-locked-${lang}`);
        await expectUsable(page, `accounts page with a lock ${size} ${lang}`);
        await context.close();
      }
    }
    const context = await ctx.browser.newContext({ ...PHONE, storageState, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${ctx.app.base}/staff/users`);
    await Promise.all([page.waitForURL((url) => url.searchParams.get('done') === 'unlocked'), page.click('form[action$="/unlock"] button')]);
    expect(await page.locator('[data-locked]').count()).to.equal(0);
    expect(await page.locator('[role="status"]').textContent()).to.contain('unlocked');
    await context.close();
  });

  it('behind a proxy that sends no X-Forwarded-Proto, the sign-in page explains itself and is usable, in English and Arabic', async () => {
    const proxied = await startApp({ TRUST_PROXY: '1' });
    try {
      for (const [size, options] of SIZES) {
        for (const lang of ['en', 'ar']) {
          const { context, page } = await newPage(ctx.browser, options);
          const res = await page.goto(`${proxied.base}/login?lang=${lang}`);
          expect(res?.status()).to.equal(400);
          expect(await page.locator('#login-error code').allTextContents()).to.have.members(['X-Forwarded-Proto: https', 'TRUST_PROXY=1']);
          await screenshot(page, `${size}-proxy-notice-${lang}`);
          await expectUsable(page, `proxy notice ${size} ${lang}`);
          await context.close();
        }
      }
    } finally {
      await proxied.close();
    }
  });
});
