import { expect } from 'chai';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { fromRoot } from '../../server/paths.js';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
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
const SMALL_PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

describe('browser: README screenshots', function () {
  const ctx = useBrowserApp(async () => {
    await seedBuiltInSurveys();
    await seedDemoSurvey({ count: 400, seed: 7, days: 60, end: new Date() });
    await fs.mkdir(OUT, { recursive: true });
  }, { LIBRARY_NAME: 'Riverside Public Library' });

  const shots: { file: string; options: BrowserContextOptions; url: string; staff?: boolean; ready?: string; steps?: (page: Page) => Promise<void> }[] = [
    { file: 'phone-form-es.png', options: SMALL_PHONE, url: '/s/community-needs?lang=es', ready: '#survey-form' },
    { file: 'phone-form-ar.png', options: SMALL_PHONE, url: '/s/community-needs?lang=ar', ready: '#survey-form' },
    { file: 'phone-page-2-es.png', options: SMALL_PHONE, url: '/s/community-needs?lang=es', steps: upToPage(1) },
    { file: 'phone-page-3-es.png', options: SMALL_PHONE, url: '/s/community-needs?lang=es', steps: upToPage(2) },
    { file: 'phone-page-4-es.png', options: SMALL_PHONE, url: '/s/community-needs?lang=es', steps: upToPage(3) },
    { file: 'kiosk-start.png', options: { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 }, url: '/kiosk/community-needs?location=Main%20Branch' },
    { file: 'dashboard.png', options: { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 }, url: '/staff/surveys/community-needs-demo#topics', staff: true, ready: 'figure.chart canvas' },
  ];
  for (const shot of shots) {
    it(`saves ${shot.file} under ${path.relative(fromRoot(), OUT)}, smaller than 150 KB`, async () => {
      const context = await ctx.browser.newContext(shot.options);
      const page = await context.newPage();
      if (shot.staff) await signIn(page, ctx.app.base, 'staff', `docs-${shot.file}@library.test`);
      await page.goto(`${ctx.app.base}${shot.url}`);
      if (shot.ready) await page.locator(shot.ready).first().waitFor();
      if (shot.steps) await shot.steps(page);
      await page.evaluate(() => document.fonts.ready);
      const file = path.join(OUT, shot.file);
      await page.screenshot({ path: file });
      expect((await fs.stat(file)).size).to.be.below(MAX_BYTES);
      await context.close();
    });
  }
});
