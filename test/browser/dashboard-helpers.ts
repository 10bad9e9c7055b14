import type { Page } from 'playwright-core';

export interface TopicsApi {
  n: number;
  topics: { topic: string; name: string; rank: number; reach: number; reachLow: number; reachHigh: number; priority: number; score: number }[];
}

export interface SegmentApi {
  rows: { topic: string; name: string; segmentReach: number; restReach: number; difference: number; p: number; pAdjusted: number; significant: boolean; direction: 'higher' | 'lower' }[];
}

/** What a Chart.js chart on the dashboard draws: labels and each dataset's values (dashboard.js keeps the chart on its canvas). */
export interface DrawnChart {
  labels: string[];
  datasets: number[][];
}

/** Waits until every dashboard figure has its Chart.js chart. */
export async function chartsDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const figures = Array.from(document.querySelectorAll('figure.chart[data-chart]')).filter((f) => JSON.parse((f as HTMLElement).dataset.chart!)?.labels?.length);
    return figures.every((f) => (f.querySelector('canvas') as (HTMLCanvasElement & { chart?: unknown }) | null)?.chart);
  });
}

/** The chart in `selector` (a figure), as drawn. */
export async function drawnChart(page: Page, selector: string): Promise<DrawnChart> {
  return page.$eval(`${selector} canvas`, (c) => {
    const chart = (c as HTMLCanvasElement & { chart: { data: { labels: string[]; datasets: { data: number[] }[] } } }).chart;
    return { labels: [...chart.data.labels], datasets: chart.data.datasets.map((d) => [...d.data]) };
  });
}

/** A table's body rows: the row header and each cell's text. */
export async function tableRows(page: Page, selector: string): Promise<{ head: string; cells: string[] }[]> {
  return page.$$eval(`${selector} tbody tr`, (rows) => rows.map((r) => ({ head: r.querySelector('th')?.textContent?.trim() ?? '', cells: Array.from(r.querySelectorAll('td')).map((td) => td.textContent!.trim()) })));
}

/** The dashboard's one-decimal percent ("45.3%", server/dashboard-view.ts pct). */
export const pct1 = (x: number): string => `${Math.round(x * 1000) / 10}%`;
