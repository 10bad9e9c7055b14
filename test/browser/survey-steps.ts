import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { fromRoot } from '../../server/paths.js';

/** The thank-you heading of a language, straight from its locale file. */
export function thanksTitle(lang: string): string {
  const common = JSON.parse(readFileSync(fromRoot('server', 'locales', lang, 'common.json'), 'utf8')) as { thanks: { title: string } };
  return common.thanks.title;
}

export const RANKED = ['job-skills', 'health-wellness', 'coding-tech'];

/** Every answer but the ranking, typed in as a person would (with `tap` on a touch screen). */
export async function answerAllButRanking(page: Page, ideas: string, options: { tap?: boolean } = {}): Promise<void> {
  const choices = ['interests-job-skills', 'interests-coding-tech', 'interests-health-wellness', 'times-weekend', 'formats-in-person', 'barriers-time', 'satisfaction-4', 'age-35-44', 'homeLanguage-es', 'visits-monthly', 'children-yes', 'childGrades-elementary'];
  for (const id of choices) {
    const input = page.locator(`#q-${id}`);
    if (options.tap) await page.locator(`label[for="q-${id}"]`).tap();
    else await input.check();
    if (!(await input.isChecked())) throw new Error(`#q-${id} is not checked`);
  }
  await page.fill('#q-ideas-input', ideas);
  await page.fill('#q-neighborhood-input', 'Riverside');
  await page.fill('#q-household-input', '4');
}

/** Ranking with JavaScript: taps three "+" buttons of the pool, then moves the second one up. */
export async function rankByTap(page: Page): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await page.locator('.rank-ui__pool button:not([aria-disabled])').first().tap();
    await page.locator('.rank-ui__chosen .rank-ui__number').nth(i).waitFor();
  }
  await page.locator('.rank-ui__chosen li').nth(1).locator('button[data-key$=":up"]').tap();
}

/** Ranking without JavaScript: one select per place. */
export async function rankBySelects(page: Page, order: string[]): Promise<void> {
  for (const [i, id] of order.entries()) await page.selectOption(`#q-priorities-rank-${i + 1}`, id);
}

export async function rankValues(page: Page): Promise<string[]> {
  return Promise.all([1, 2, 3].map((n) => page.inputValue(`#q-priorities-rank-${n}`)));
}

/** Submits the form and waits for the next page to load. */
export async function submit(page: Page, pathPart: string): Promise<void> {
  await Promise.all([page.waitForURL((url) => url.pathname.includes(pathPart)), page.locator('.form-actions button').click()]);
}
