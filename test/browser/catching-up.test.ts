import { expect } from 'chai';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContextOptions } from 'playwright-core';
import { fromRoot } from '../../server/paths.js';
import { DEMO_SLUG, seedDemoSurvey } from '../../surveys/demo.service.js';
import { rebuildCopy, rebuildHooks, setManaged } from '../../surveys/insights/analytics-copy.js';
import { newPage, SCREENSHOTS, seriousViolations, signIn, useBrowserApp } from './browser.js';

// The "catching up" notice as staff see it while the analytical copy is filled again, on a phone
// and a desktop, in English and Arabic: readable, announced, no serious accessibility problem.
const OUT = process.env.UPDATE_DOCS_SCREENSHOTS ? fromRoot('docs', 'screenshots') : path.join(SCREENSHOTS, 'docs');
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };
const COUNT = 6000;

describe('browser: the dashboard while the analytical copy catches up', function () {
  this.timeout(180000);
  const ctx = useBrowserApp(async () => {
    await seedDemoSurvey({ count: COUNT, seed: 3, days: 60, end: new Date() });
    await fs.mkdir(OUT, { recursive: true });
  });
  before(() => setManaged(true));
  after(() => setManaged(false));

  for (const [lang, options, size] of [
    ['en', PHONE, 'phone'],
    ['ar', DESKTOP, 'desktop'],
  ] as const) {
    it(`${lang} on a ${size}: the notice with the share counted so far is at the top, in the page's language, and passes axe`, async () => {
      const { context, page } = await newPage(ctx.browser, options);
      try {
        await signIn(page, ctx.app.base, 'board', `catching-up-${lang}@library.test`);
        // Signing in lands on the survey list, whose counts may have started a fill of their own: let it end.
        await rebuildCopy([DEMO_SLUG]);
        // The fill waits after its first batch until the page was looked at.
        let release: () => void = () => undefined;
        const held = new Promise<void>((resolve) => (release = resolve));
        rebuildHooks.afterBatch = () => held;
        const filling = rebuildCopy([DEMO_SLUG], new Map([[DEMO_SLUG, COUNT]]));
        await page.goto(`${ctx.app.base}/staff/surveys/${DEMO_SLUG}?hl=${lang}`);
        const notice = page.locator('#catching-up');
        await notice.waitFor();
        expect(await page.getAttribute('html', 'lang')).to.equal(lang);
        expect(await notice.textContent()).to.match(lang === 'en' ? /Catching up: \d+ %/ : /جارٍ التحديث/);
        const box = (await notice.boundingBox())!;
        expect(box.y, 'near the top of the page').to.be.below(options.viewport!.height);
        expect(box.x + box.width, 'inside the screen').to.be.at.most(options.viewport!.width + 1);
        await notice.scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(OUT, `dashboard-catching-up-${lang}-${size}.png`) });
        expect(await seriousViolations(page)).to.deep.equal([]);
        rebuildHooks.afterBatch = undefined;
        release();
        await filling;
        await page.reload();
        expect(await page.locator('#catching-up').count(), 'gone once filled').to.equal(0);
      } finally {
        await context.close();
      }
    });
  }
});
