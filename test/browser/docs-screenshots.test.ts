import { expect } from 'chai';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { fromRoot } from '../../server/paths.js';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
import { formValuesFrom, saveLogo, saveSettings } from '../../surveys/settings.service.js';
import { seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { SCREENSHOTS, signIn, useBrowserApp } from './browser.js';
import { answerPage, nextPage, rankByTap } from './survey-steps.js';

/** The template answered up to page `index` (0-based), as a person would, with JavaScript. */
function upToPage(index: number): (page: Page) => Promise<void> {
  return async (page) => {
    for (let i = 0; i < index; i++) {
      await answerPage(page, i, 'Un club de ajedrez', { tap: true, rank: rankByTap });
      await nextPage(page, i + 1, { tap: true });
    }
    await page.evaluate(() => window.scrollTo(0, 0));
  };
}

// The README's pictures: small (one CSS pixel per pixel, the visible viewport only). Every run
// makes them under test-results/; `UPDATE_DOCS_SCREENSHOTS=1 npm run test:browser` rewrites the
// committed copies in docs/screenshots/.
const OUT = process.env.UPDATE_DOCS_SCREENSHOTS ? fromRoot('docs', 'screenshots') : path.join(SCREENSHOTS, 'docs');
const MAX_BYTES = 150 * 1024;
const KIOSK: BrowserContextOptions = { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1, hasTouch: true };
/** A library's mark as staff would upload it in Settings: an open book in a circle. */
const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" width="96" height="96"><circle cx="48" cy="48" r="46" fill="#0b5cab"/><path d="M20 30c10-4 19-3 27 3v37c-8-6-17-7-27-3z" fill="#fff"/><path d="M76 30c-10-4-19-3-27 3v37c8-6 17-7 27-3z" fill="#dbe9f7"/></svg>';
const SMALL_PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

describe('browser: README screenshots', function () {
  const ctx = useBrowserApp(async () => {
    await seedBuiltInSurveys();
    await seedDemoSurvey({ count: 400, seed: 7, days: 60, end: new Date() });
    // The kiosk shows the library's name and logo from Settings.
    await saveSettings(formValuesFrom({ libraryName: 'Riverside Public Library', thankYouUrl: '', kioskIdleSeconds: '90', kioskLocations: 'Main Branch', defaultLanguages: ['en', 'es', 'zh-Hans', 'vi', 'ht', 'ar'] }));
    await saveLogo({ buffer: Buffer.from(LOGO_SVG), kind: 'svg' });
    await fs.mkdir(OUT, { recursive: true });
  }, { LIBRARY_NAME: 'Riverside Public Library' });

  const shots: { file: string; options: BrowserContextOptions; url: string; staff?: boolean; ready?: string; steps?: (page: Page) => Promise<void> }[] = [
    { file: 'phone-form-es.png', options: SMALL_PHONE, url: '/s/community-needs?lang=es', ready: '.rank-ui' },
    { file: 'phone-form-ar.png', options: SMALL_PHONE, url: '/s/community-needs?lang=ar', ready: '.rank-ui' },
    { file: 'phone-page-2-es.png', options: SMALL_PHONE, url: '/s/community-needs?lang=es', ready: '.rank-ui', steps: upToPage(1) },
    { file: 'phone-page-3-es.png', options: SMALL_PHONE, url: '/s/community-needs?lang=es', ready: '.rank-ui', steps: upToPage(2) },
    { file: 'phone-page-4-es.png', options: SMALL_PHONE, url: '/s/community-needs?lang=es', ready: '.rank-ui', steps: upToPage(3) },
    { file: 'kiosk-start.png', options: KIOSK, url: '/kiosk/community-needs?location=Main%20Branch', ready: 'img.kiosk-start__logo' },
    { file: 'kiosk-form.png', options: KIOSK, url: '/kiosk/community-needs/answer?lang=en&location=Main%20Branch', ready: '.rank-ui' },
    { file: 'dashboard.png', options: { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 }, url: '/staff/surveys/community-needs-demo#topics', staff: true, ready: 'figure.chart canvas' },
  ];
  for (const shot of shots) {
    it(`saves ${shot.file} under ${path.relative(fromRoot(), OUT)}, smaller than 150 KB`, async () => {
      const context = await ctx.browser.newContext(shot.options);
      const page = await context.newPage();
      if (shot.staff) await signIn(page, ctx.app.base, 'staff', `docs-${shot.file}@library.test`);
      await page.goto(`${ctx.app.base}${shot.url}`);
      // The ranking is enhanced at once but shown only once two topics are chosen (rankFrom).
      if (shot.ready) await page.locator(shot.ready).first().waitFor({ state: shot.ready === '.rank-ui' ? 'attached' : 'visible' });
      if (shot.steps) await shot.steps(page);
      await page.evaluate(() => document.fonts.ready);
      const file = path.join(OUT, shot.file);
      await page.screenshot({ path: file });
      expect((await fs.stat(file)).size).to.be.below(MAX_BYTES);
      await context.close();
    });
  }
});
