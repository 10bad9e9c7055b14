import { expect } from 'chai';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fromRoot } from '../../server/paths.js';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
import { pdfPagesToPng } from '../helpers/pdf-png.js';
import { readPdf } from '../helpers/pdf.js';
import { DESKTOP, newPage, SCREENSHOTS, signIn, useBrowserApp } from './browser.js';

// The README's pictures of the board summary as a board member prints it: each page of
// Chromium's Letter print, drawn to JPEG. `UPDATE_DOCS_SCREENSHOTS=1` rewrites the committed
// copies in docs/screenshots/ (as test/browser/docs-screenshots.test.ts does).
const OUT = process.env.UPDATE_DOCS_SCREENSHOTS ? fromRoot('docs', 'screenshots') : path.join(SCREENSHOTS, 'docs');
const MAX_BYTES = 150 * 1024;

describe('browser: README screenshots of the board summary', function () {
  const ctx = useBrowserApp(async () => {
    await seedDemoSurvey({ count: 400, seed: 7, days: 60, end: new Date() });
    await fs.mkdir(OUT, { recursive: true });
  }, { LIBRARY_NAME: 'Riverside Public Library' });

  for (const lang of ['en', 'es', 'ar']) {
    it(`saves summary-page-1-${lang}.jpg and summary-page-2-${lang}.jpg (the two printed Letter pages, as JPEG: text as PNG passes 150 KB), each smaller than 150 KB`, async () => {
      const { context, page } = await newPage(ctx.browser, DESKTOP);
      await signIn(page, ctx.app.base, 'board', `docs-summary-${lang}@library.test`);
      await page.goto(`${ctx.app.base}/reports/community-needs-demo/summary?hl=${lang}`);
      await page.evaluate(() => document.fonts.ready);
      const pdf = await page.pdf({ format: 'Letter', printBackground: true });
      expect((await readPdf(pdf)).pages).to.equal(2);
      const pngs = await pdfPagesToPng(pdf, 1.25, 72);
      for (const [i, png] of pngs.entries()) {
        const file = path.join(OUT, `summary-page-${i + 1}-${lang}.jpg`);
        await fs.writeFile(file, png);
        expect((await fs.stat(file)).size, file).to.be.below(MAX_BYTES);
      }
      await context.close();
    });
  }
});
