import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
import { readPdf } from '../helpers/pdf.js';
import { DESKTOP, newPage, screenshot, signIn, useBrowserApp } from './browser.js';

const DASHBOARD = '/staff/surveys/community-needs-demo';
const SUMMARY = '/reports/community-needs-demo/summary';

/** How many pixels of each chart canvas are neither transparent nor white, once Chart.js has drawn. */
async function paintedPixels(page: Page): Promise<number[]> {
  return page.$$eval('figure.chart canvas', (canvases) =>
    (canvases as HTMLCanvasElement[]).map((canvas) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && !(data[i]! > 250 && data[i + 1]! > 250 && data[i + 2]! > 250)) painted++;
      return painted;
    }),
  );
}

describe('browser: staff dashboard and board summary', function () {
  const ctx = useBrowserApp(() => seedDemoSurvey({ count: 400, seed: 7, days: 60, end: new Date() }));

  it('staff signs in at /login, the dashboard draws every chart and loads the open answers, its topic table matches the topics API, a language filter changes the count, then signs out', async () => {
    const { context, page } = await newPage(ctx.browser, DESKTOP);
    await page.goto(`${ctx.app.base}/login`);
    await screenshot(page, 'desktop-login');
    await signIn(page, ctx.app.base, 'staff', 'staff-dashboard@library.test');
    await page.goto(`${ctx.app.base}${DASHBOARD}`);
    const charts = await page.locator('figure.chart').count();
    expect(charts).to.be.greaterThan(2);
    await page.waitForFunction((n) => document.querySelectorAll('figure.chart canvas').length === n, charts);
    // Charts are drawn after the bundle loads (no animation); wait until every canvas has something on it.
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLCanvasElement>('figure.chart canvas')).every((c) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) return true;
      return false;
    }));
    const painted = await paintedPixels(page);
    expect(painted.every((n) => n > 0), `painted pixels per chart: ${painted.join(', ')}`).to.equal(true);
    await screenshot(page, 'desktop-dashboard');
    // The open answers are loaded from their own page into the dashboard: the newest 50, with a pager.
    await page.locator('#open-text .open-text-body #answers').waitFor();
    expect(await page.locator('#open-text #answers + table tbody tr').count()).to.equal(50);
    expect(await page.locator('#open-text .pager a').getAttribute('href')).to.equal('/staff/surveys/community-needs-demo/open-text?page=2#answers');
    await screenshot(page, 'desktop-dashboard-open-text');

    const api = (await (await page.request.get(`${ctx.app.base}/api/surveys/community-needs-demo/topics`)).json()) as { n: number; topics: { name: string }[] };
    expect(api.n).to.equal(400);
    const tableNames = (await page.locator('#topic-table tbody th[scope=row]').allTextContents()).map((s) => s.replace(/≈.*$/su, '').trim());
    expect(tableNames).to.deep.equal(api.topics.map((x) => x.name));

    const before = (await page.textContent('.status'))!;
    expect(before).to.contain('400');
    await page.selectOption('#f-lang', 'es');
    await Promise.all([page.waitForURL((url) => url.searchParams.get('lang') === 'es'), page.locator('form.filters button[type=submit]').click()]);
    const after = (await page.textContent('.status'))!;
    expect(after).not.to.equal(before);
    expect(after).not.to.contain('400');

    await Promise.all([page.waitForURL((url) => url.pathname === '/login'), page.locator('.staff-header__user button[type=submit]').click()]);
    await page.goto(`${ctx.app.base}${DASHBOARD}`);
    expect(new URL(page.url()).pathname).to.equal('/login');
    await context.close();
  });

  it('a board member prints the summary with Chromium on Letter and A4 in English, Spanish, Vietnamese and Arabic (≤ 2 pages each, top topics, page 2\'s groups and partners, names not cramped beside the bars), and the server PDF opens', async () => {
    const { context, page } = await newPage(ctx.browser, DESKTOP);
    await signIn(page, ctx.app.base, 'board', 'board-summary@library.test');
    await page.goto(`${ctx.app.base}${SUMMARY}`);
    await screenshot(page, 'desktop-board-summary');
    const api = (await (await page.request.get(`${ctx.app.base}/api/surveys/community-needs-demo/topics`)).json()) as { topics: { name: string }[] };
    const top = api.topics.slice(0, 3).map((x) => x.name);
    for (const format of ['Letter', 'A4'] as const) {
      const pdf = await readPdf(await page.pdf({ format, printBackground: true }));
      expect(pdf.pages, `${format} pages`).to.be.within(1, 2);
      for (const name of top) expect(pdf.text, `${format} has ${name}`).to.contain(name);
      for (const heading of ['Suggested partners', 'What the board can act on', 'Top topics in each group', 'How old are you?']) expect(pdf.text, `${format}: ${heading}`).to.contain(heading);
      expect(pdf.text.toLowerCase(), 'no "none on file" per partner type').not.to.contain('none on file');
    }
    for (const lang of ['es', 'vi', 'ar']) {
      await page.goto(`${ctx.app.base}${SUMMARY}?hl=${lang}`);
      await page.emulateMedia({ media: 'print' });
      // Each topic's name stays in its own column: it neither overflows nor runs under the bar.
      const cramped = await page.$$eval('.summary-topics__row', (rows) =>
        rows.flatMap((row) => {
          const name = row.querySelector<HTMLElement>('.summary-topics__name')!;
          const bar = row.querySelector('.bar')!.getBoundingClientRect();
          const box = name.getBoundingClientRect();
          const rtl = getComputedStyle(row).direction === 'rtl';
          const apart = rtl ? box.left >= bar.right - 1 : box.right <= bar.left + 1;
          return apart && name.scrollWidth <= name.clientWidth + 1 ? [] : [name.textContent];
        }),
      );
      expect(cramped, `${lang}: names cramped beside the bars`).to.deep.equal([]);
      await page.emulateMedia({ media: null });
      for (const format of ['Letter', 'A4'] as const) {
        const pdf = await readPdf(await page.pdf({ format, printBackground: true }));
        expect(pdf.pages, `${lang} ${format} pages`).to.be.within(1, 2);
      }
    }
    await page.goto(`${ctx.app.base}${SUMMARY}`);
    const href = await page.locator('a[href*="summary.pdf"]').first().getAttribute('href');
    // pdfkit lays out the summary on the server: allow it more than the default 15 s on a busy machine.
    const res = await page.request.get(new URL(href!, ctx.app.base).href, { timeout: 90000 });
    expect(res.status()).to.equal(200);
    expect(res.headers()['content-type']).to.contain('application/pdf');
    const server = await readPdf(await res.body());
    expect(server.pages).to.be.within(1, 2);
    expect(server.text).to.contain(top[0]!);
    await context.close();
  });
});
