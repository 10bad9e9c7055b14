import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
import { DESKTOP, newPage, signIn, useBrowserApp } from './browser.js';
import { chartsDrawn, drawnChart, pct1, tableRows, type SegmentApi, type TopicsApi } from './dashboard-helpers.js';

const SLUG = 'community-needs-demo';
const DASHBOARD = `/staff/surveys/${SLUG}`;
const API = `/api/surveys/${SLUG}`;

interface CountRow {
  id: string;
  label: string;
  n: number;
  share: number;
}
interface SummaryApi {
  byDay: { day: string; n: number }[];
  byChannel: CountRow[];
  byLanguage: CountRow[];
  demographics: { id: string; label: string; rows: CountRow[] }[];
  representativeness: { question: string; rows: { option: string; label: string; responseShare: number; populationShare: number; underHeard: boolean }[] }[];
}

async function json<T>(page: Page, url: string): Promise<T> {
  return (await (await page.request.get(url)).json()) as T;
}

/** A count table (answer, count, share) and its chart against the API's rows. */
async function expectCounts(page: Page, figure: string, rows: CountRow[]): Promise<void> {
  const table = await tableRows(page, `${figure} table`);
  if (!rows.length) return; // an empty question shows "No responses yet." and no chart
  expect(table, figure).to.deep.equal(rows.map((r) => ({ head: r.label, cells: [String(r.n), pct1(r.share)] })));
  const chart = await drawnChart(page, figure);
  expect(chart, figure).to.deep.equal({ labels: rows.map((r) => r.label), datasets: [rows.map((r) => r.n)] });
}

describe('browser: every dashboard table equals the JSON API, and every chart draws its table', function () {
  const ctx = useBrowserApp(() => seedDemoSurvey({ count: 400, seed: 7, days: 60, end: new Date() }));

  for (const query of ['', 'channel=web', 'q.age=65-plus']) {
    it(`${query || 'no filter'}: ranking, who answered and the community comparison equal /topics and /summary with the same filters; their charts draw the same values`, async () => {
      const { context, page } = await newPage(ctx.browser, DESKTOP);
      await signIn(page, ctx.app.base, 'board', `tables-${query || 'all'}@library.test`);
      await page.goto(`${ctx.app.base}${DASHBOARD}?${query}`);
      await chartsDrawn(page);
      const topics = await json<TopicsApi>(page, `${ctx.app.base}${API}/topics?${query}`);

      // Ranking: rank, name, reach, interval, tier, priority, score (no ratings in the demo).
      const ranking = await tableRows(page, '#topic-table');
      expect(ranking.map((r) => r.head)).to.deep.equal(topics.topics.map((x) => x.name));
      ranking.forEach((r, i) => {
        const x = topics.topics[i]!;
        expect([r.cells[0], r.cells[1], r.cells[2], r.cells[4], r.cells[5]], x.name).to.deep.equal([String(x.rank), pct1(x.reach), `${pct1(x.reachLow)} – ${pct1(x.reachHigh)}`, pct1(x.priority), (x.score * 100).toFixed(1)]);
      });
      // The chart draws each topic's reach, most first, with the same interval.
      const chart = await page.$eval('#topics-chart canvas', (c) => {
        const chart = (c as HTMLCanvasElement & { chart: { data: { labels: string[]; datasets: { data: number[] }[] }; options: { plugins: { whiskers: { low: number[]; high: number[] } } } } }).chart;
        return { labels: chart.data.labels, reach: chart.data.datasets[0]!.data, low: chart.options.plugins.whiskers.low, high: chart.options.plugins.whiskers.high };
      });
      const byName = new Map(topics.topics.map((x) => [x.name, x]));
      expect([...chart.labels].sort()).to.deep.equal([...byName.keys()].sort());
      chart.labels.forEach((name, i) => {
        const x = byName.get(name)!;
        expect([chart.reach[i], chart.low[i], chart.high[i]], name).to.deep.equal([x.reach, x.reachLow, x.reachHigh]);
      });
      expect([...chart.reach]).to.deep.equal([...chart.reach].sort((a, b) => b - a));

      const summary = await json<SummaryApi>(page, `${ctx.app.base}${API}/summary?${query}`);
      await expectCounts(page, 'figure[data-summary="byLanguage"]', summary.byLanguage);
      await expectCounts(page, 'figure[data-summary="byChannel"]', summary.byChannel);
      for (const d of summary.demographics) await expectCounts(page, `figure[data-question="${d.id}"]`, d.rows);
      const days = await tableRows(page, 'figure[data-summary="byDay"]');
      expect(days).to.deep.equal(summary.byDay.map((d) => ({ head: d.day, cells: [String(d.n)] })));
      expect(await drawnChart(page, 'figure[data-summary="byDay"]')).to.deep.equal({ labels: summary.byDay.map((d) => d.day), datasets: [summary.byDay.map((d) => d.n)] });

      expect(summary.representativeness.length).to.be.above(0);
      for (const r of summary.representativeness) {
        const table = await tableRows(page, `#repr-table-${r.question}`);
        expect(table.map((x) => [x.head, x.cells[0], x.cells[1]])).to.deep.equal(r.rows.map((x) => [x.label, pct1(x.responseShare), pct1(x.populationShare)]));
        expect(await drawnChart(page, `#repr-chart-${r.question}`)).to.deep.equal({ labels: r.rows.map((x) => x.label), datasets: [r.rows.map((x) => x.responseShare), r.rows.map((x) => x.populationShare)] });
      }

      if (query.startsWith('q.')) {
        const compared = await json<SegmentApi>(page, `${ctx.app.base}${API}/segments/compare?${query}`);
        const table = await tableRows(page, '#segment-table');
        expect(table.map((x) => [x.head, ...x.cells.slice(0, 3)])).to.deep.equal(compared.rows.map((r) => [r.name, pct1(r.segmentReach), pct1(r.restReach), `${r.difference > 0 ? '+' : ''}${pct1(r.difference)}`]));
        const drawn = await drawnChart(page, '#segment-chart');
        expect(drawn.datasets).to.deep.equal([compared.rows.map((r) => r.segmentReach), compared.rows.map((r) => r.restReach)]);
        expect(drawn.labels.map((l) => l.replace(/^★\s*/u, ''))).to.deep.equal(compared.rows.map((r) => r.name));
      }
      await context.close();
    });
  }

  it('each question lists its own answers in order, then "Other" (capitalised), then "I prefer not to say"', async () => {
    const { context, page } = await newPage(ctx.browser, DESKTOP);
    await signIn(page, ctx.app.base, 'board', 'tables-order@library.test');
    await page.goto(`${ctx.app.base}${DASHBOARD}`);
    const language = (await tableRows(page, 'figure[data-question="homeLanguage"] table')).map((r) => r.head);
    expect(language[0]).to.equal('English');
    expect(language[language.length - 1]).to.equal('Other');
    const age = (await tableRows(page, 'figure[data-question="age"] table')).map((r) => r.head);
    expect(age[age.length - 1]).to.equal('I prefer not to say');
    await context.close();
  });
});
