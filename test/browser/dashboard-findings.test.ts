import { expect } from 'chai';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { fromRoot } from '../../server/paths.js';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
import { DESKTOP, newPage, PHONE, screenshot, SCREENSHOTS, seriousViolations, signIn, useBrowserApp } from './browser.js';
import { chartsDrawn, type SegmentApi, type TopicsApi } from './dashboard-helpers.js';

const SLUG = 'community-needs-demo';
const DASHBOARD = `/staff/surveys/${SLUG}`;
const API = `/api/surveys/${SLUG}`;
// The README's pictures (viewport only); `UPDATE_DOCS_SCREENSHOTS=1` writes the committed copies.
const DOCS = process.env.UPDATE_DOCS_SCREENSHOTS ? fromRoot('docs', 'screenshots') : path.join(SCREENSHOTS, 'docs');
const DOCS_DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };

const whole = (lang: string) => (x: number): string => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(x);

interface Finding {
  kind: string;
  text: string;
  data: Record<string, string>;
}

async function findings(page: Page): Promise<Finding[]> {
  return page.$$eval('#findings li[data-finding]', (items) => items.map((li) => ({ kind: (li as HTMLElement).dataset.finding!, text: li.textContent!.trim(), data: { ...(li as HTMLElement).dataset } as Record<string, string> })));
}

async function apiJson<T>(page: Page, url: string): Promise<T> {
  return (await (await page.request.get(url)).json()) as T;
}

describe('browser: key findings, tiers and what stands out (en, es, ar)', function () {
  const ctx = useBrowserApp(async () => {
    await seedDemoSurvey({ count: 400, seed: 7, days: 60, end: new Date() });
    await fs.mkdir(DOCS, { recursive: true });
  });

  for (const lang of ['en', 'es', 'ar'] as const) {
    it(`${lang}: the dashboard opens with key findings whose numbers are the topics, summary and group-comparison APIs' numbers, a table of contents, tiers in the table and chart; axe finds nothing serious`, async () => {
      const { context, page } = await newPage(ctx.browser, { ...DESKTOP, locale: lang });
      await signIn(page, ctx.app.base, 'staff', `findings-${lang}@library.test`);
      await page.goto(`${ctx.app.base}${DASHBOARD}?hl=${lang}`);
      await chartsDrawn(page);
      const pct = whole(lang);

      // Findings come first, after the contents.
      const order = await page.$$eval('.dashboard-sections > section', (s) => s.map((x) => x.id));
      expect(order[0]).to.equal('findings');
      const targets = await page.$$eval('.dashboard-toc a', (links) => links.map((a) => a.getAttribute('href')!.slice(1)));
      expect(targets.length).to.be.at.least(8);
      for (const id of targets) expect(await page.locator(`[id="${id}"]`).count(), id).to.equal(1);

      const topics = await apiJson<TopicsApi>(page, `${ctx.app.base}${API}/topics?hl=${lang}`);
      const items = await findings(page);
      const responses = items.find((f) => f.kind === 'responses')!;
      expect(Number(responses.data.responses)).to.equal(topics.n);
      expect(responses.text).to.contain(new Intl.NumberFormat(lang).format(topics.n));
      const margin = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(1.959963984540054 * Math.sqrt(0.25 / topics.n) * 100);
      expect(responses.text).to.contain(margin);

      const top = items.find((f) => f.kind === 'topTopics')!;
      expect(top.data.topics!.split(' ')).to.deep.equal(topics.topics.slice(0, 3).map((x) => x.topic));
      for (const x of topics.topics.slice(0, 3)) expect(top.text).to.contain(x.name).and.to.contain(pct(x.reach));

      // Each group difference is flagged in the comparison API for that group, with the same shares.
      const differences = items.filter((f) => f.kind === 'difference');
      expect(differences.length).to.be.within(1, 3);
      for (const d of differences) {
        const [question, option] = d.data.group!.split(':');
        const compared = await apiJson<SegmentApi>(page, `${ctx.app.base}${API}/segments/compare?q.${question}=${option}&hl=${lang}`);
        const row = compared.rows.find((r) => r.topic === d.data.topic)!;
        expect(row.significant, `${d.data.group} ${d.data.topic}`).to.equal(true);
        expect(d.text).to.contain(row.name).and.to.contain(pct(row.segmentReach)).and.to.contain(pct(row.restReach));
      }
      // The demo plants "65 and over → digital skills": it is among the findings.
      expect(differences.map((d) => `${d.data.group}/${d.data.topic}`)).to.include('age:65-plus/digital-literacy');

      const summary = await apiJson<{ representativeness: { question: string; rows: { option: string; responseShare: number; populationShare: number; underHeard: boolean }[] }[] }>(page, `${ctx.app.base}${API}/summary?hl=${lang}`);
      const under = summary.representativeness.flatMap((r) => r.rows.filter((x) => x.underHeard).map((x) => ({ ...x, group: `${r.question}:${x.option}` })));
      const underItems = items.filter((f) => f.kind === 'underHeard');
      expect(underItems.length).to.equal(Math.min(3, under.length));
      for (const u of underItems) {
        const row = under.find((x) => x.group === u.data.group)!;
        expect(u.text).to.contain(pct(row.responseShare)).and.to.contain(pct(row.populationShare));
      }

      // Tiers replace the "about equal" mark: the table's tier column and the chart agree.
      expect(await page.locator('#topic-table').textContent()).not.to.contain('≈');
      const tableTiers = await page.$$eval('#topic-table tbody tr', (rows) => Object.fromEntries(rows.map((r) => [r.querySelector('th')!.textContent!.trim(), Number((r as HTMLElement).dataset.tier)])));
      const chart = await page.$eval('#topics-chart canvas', (c) => {
        const chart = (c as HTMLCanvasElement & { chart: { data: { labels: string[]; datasets: { data: number[] }[] }; options: { plugins: { tierMarks: { tiers: number[] } } } } }).chart;
        return { labels: chart.data.labels, reach: chart.data.datasets[0]!.data, tiers: chart.options.plugins.tierMarks.tiers };
      });
      expect([...chart.reach]).to.deep.equal([...chart.reach].sort((a, b) => b - a));
      chart.labels.forEach((name, i) => expect(tableTiers[name], name).to.equal(chart.tiers[i]));
      expect(chart.tiers[0]).to.equal(1);

      expect(await seriousViolations(page)).to.deep.equal([]);
      await page.evaluate(() => document.fonts.ready);
      await screenshot(page, `dashboard-findings-${lang}`);
      await page.locator('#topics-chart').screenshot({ path: path.join(SCREENSHOTS, `dashboard-ranking-${lang}.png`) });
      await context.close();

      // The README's picture of the top: key findings and the contents, one screen.
      const docs = await ctx.browser.newContext({ ...DOCS_DESKTOP, locale: lang });
      const docsPage = await docs.newPage();
      await signIn(docsPage, ctx.app.base, 'staff', `findings-docs-${lang}@library.test`);
      await docsPage.goto(`${ctx.app.base}${DASHBOARD}?hl=${lang}`);
      await docsPage.evaluate(() => document.fonts.ready);
      await docsPage.screenshot({ path: path.join(DOCS, `dashboard-top-${lang}.png`) });
      await docs.close();
    });

    it(`${lang}: filtered to people aged 65 and over, what stands out is a sentence per flagged topic, never a bare dash, "could be chance" where only the raw p is small, the chart marks the flagged topics, and the p-values sit behind "How we tested this"`, async () => {
      const { context, page } = await newPage(ctx.browser, { ...DESKTOP, locale: lang });
      await signIn(page, ctx.app.base, 'staff', `stands-out-${lang}@library.test`);
      await page.goto(`${ctx.app.base}${DASHBOARD}?q.age=65-plus&hl=${lang}`);
      await chartsDrawn(page);
      const pct = whole(lang);
      const api = await apiJson<SegmentApi>(page, `${ctx.app.base}${API}/segments/compare?q.age=65-plus&hl=${lang}`);
      const flagged = api.rows.filter((r) => r.significant);
      expect(flagged.length).to.be.above(0);

      const sentences = await page.$$eval('.stands-out-sentences li', (li) => li.map((x) => ({ topic: (x as HTMLElement).dataset.topic!, text: x.textContent!.trim() })));
      expect(sentences.map((s) => s.topic).sort()).to.deep.equal(flagged.map((r) => r.topic).sort());
      for (const s of sentences) {
        const row = flagged.find((r) => r.topic === s.topic)!;
        expect(s.text).to.contain(row.name).and.to.contain(pct(row.segmentReach)).and.to.contain(pct(row.restReach));
      }

      const rows = await page.$$eval('#segment-table tbody tr', (trs) => trs.map((tr) => ({ topic: (tr as HTMLElement).dataset.topic!, verdict: (tr as HTMLElement).dataset.verdict!, meaning: tr.lastElementChild!.textContent!.trim() })));
      expect(rows.map((r) => r.topic)).to.deep.equal(api.rows.map((r) => r.topic));
      const meanings = new Map<string, string>();
      for (const [i, r] of rows.entries()) {
        const a = api.rows[i]!;
        const expected = a.significant ? a.direction : a.p < 0.05 ? 'chance' : 'none';
        expect(r.verdict, r.topic).to.equal(expected);
        expect(r.meaning).not.to.match(/^[—–-]?$/u);
        meanings.set(r.verdict, r.meaning);
      }
      expect(new Set(meanings.values()).size).to.equal(meanings.size);

      // The p-values are one click away; the table itself does not show them.
      expect(await page.locator('#segment-table').textContent()).not.to.match(/0\.\d{3}/);
      const details = page.locator('#segment-method');
      expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).to.equal(false);
      const chevron = await details.locator('summary').evaluate((s) => getComputedStyle(s, '::before').borderInlineEndWidth);
      expect(chevron).to.equal('2px');
      await details.locator('summary').click();
      expect(await page.locator('#segment-p-table tbody tr').count()).to.equal(api.rows.length);

      const chart = await page.$eval('#segment-chart canvas', (c) => {
        const chart = (c as HTMLCanvasElement & { chart: { data: { labels: string[]; datasets: { data: number[] }[] }; options: { plugins: { flagBands: { flagged: boolean[] } } } } }).chart;
        return { labels: chart.data.labels, group: chart.data.datasets[0]!.data, rest: chart.data.datasets[1]!.data, flagged: chart.options.plugins.flagBands.flagged };
      });
      expect(chart.group).to.deep.equal(api.rows.map((r) => r.segmentReach));
      expect(chart.rest).to.deep.equal(api.rows.map((r) => r.restReach));
      expect(chart.flagged).to.deep.equal(api.rows.map((r) => r.significant));
      chart.labels.forEach((label, i) => expect(label.startsWith('★'), label).to.equal(api.rows[i]!.significant));

      expect(await seriousViolations(page)).to.deep.equal([]);
      await context.close();

      const docs = await ctx.browser.newContext({ ...DOCS_DESKTOP, locale: lang });
      const docsPage = await docs.newPage();
      await signIn(docsPage, ctx.app.base, 'staff', `stands-out-docs-${lang}@library.test`);
      await docsPage.goto(`${ctx.app.base}${DASHBOARD}?q.age=65-plus&hl=${lang}#segment`);
      await chartsDrawn(docsPage);
      await docsPage.locator('#segment-title').evaluate((h) => h.scrollIntoView());
      await docsPage.evaluate(() => document.fonts.ready);
      await docsPage.screenshot({ path: path.join(DOCS, `dashboard-stands-out-${lang}.png`) });
      await docs.close();
    });
  }

  it('on a phone (390 px, Arabic and English) the contents are an ordinary list above the findings, not sticky', async () => {
    for (const lang of ['en', 'ar']) {
      const { context, page } = await newPage(ctx.browser, { ...PHONE, locale: lang });
      await signIn(page, ctx.app.base, 'staff', `phone-${lang}@library.test`);
      await page.goto(`${ctx.app.base}${DASHBOARD}?hl=${lang}`);
      expect(await page.locator('.dashboard-toc').evaluate((n) => getComputedStyle(n).position)).to.equal('static');
      const toc = await page.locator('.dashboard-toc').boundingBox();
      const findingsBox = await page.locator('#findings').boundingBox();
      expect(toc!.y + toc!.height).to.be.at.most(findingsBox!.y);
      // Measured once the charts are drawn and the open answers are loaded in.
      await chartsDrawn(page);
      await page.locator('#open-text .open-text-body #answers').waitFor();
      const wide = await page.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((e) => !e.closest('.table-scroll') && !e.querySelector('*')).filter((e) => e.getBoundingClientRect().right > 391 || e.getBoundingClientRect().left < -1).map((e) => `${e.tagName}.${e.className}`));
      expect(await page.evaluate(() => document.documentElement.scrollWidth), wide.join(', ')).to.be.at.most(390);
      await page.screenshot({ path: path.join(SCREENSHOTS, `phone-dashboard-top-${lang}.png`) });
      await context.close();
    }
  });
});
