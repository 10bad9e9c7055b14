import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { fromRoot } from '../../server/paths.js';

/** The thank-you heading of a language, straight from its locale file. */
export function thanksTitle(lang: string): string {
  const common = JSON.parse(readFileSync(fromRoot('server', 'locales', lang, 'common.json'), 'utf8')) as { thanks: { title: string } };
  return common.thanks.title;
}

export const RANKED = ['job-skills', 'health-wellness', 'coding-tech'];

/** The choices a person makes on each page of the built-in template (pages 1 to 4). */
export const CHOICES_BY_PAGE = [
  ['interests-job-skills', 'interests-coding-tech', 'interests-health-wellness'],
  ['times-weekend', 'formats-in-person'],
  ['barriers-time', 'satisfaction-4'],
  ['age-35-44', 'homeLanguage-es', 'visits-monthly', 'children-yes', 'childGrades-elementary'],
];

export interface Pace {
  /** Touch (tap on the label) rather than mouse. */
  tap?: boolean;
  /** Milliseconds a person takes between two actions (0: as fast as the browser goes). */
  pause?: number;
}

async function rest(page: Page, pace: Pace): Promise<void> {
  if (pace.pause) await page.waitForTimeout(pace.pause);
}

/** Ticks choices as a person would (with `tap` on a touch screen, on the label). */
export async function choose(page: Page, ids: string[], pace: Pace = {}): Promise<void> {
  for (const id of ids) {
    const input = page.locator(`#q-${id}`);
    if (pace.tap) await page.locator(`label[for="q-${id}"]`).tap();
    else await input.check();
    if (!(await input.isChecked())) throw new Error(`#q-${id} is not checked`);
    await rest(page, pace);
  }
}

/** Types into a field key by key at the pace's speed (filled at once without a pause). */
export async function typeInto(page: Page, selector: string, text: string, pace: Pace = {}): Promise<void> {
  if (!pace.pause) return page.fill(selector, text);
  await page.locator(selector).click();
  await page.locator(selector).pressSequentially(text, { delay: Math.min(pace.pause, 90) });
  await rest(page, pace);
}

/** The page (0-based) shown now. */
export async function currentPage(page: Page): Promise<number> {
  return Number(await page.locator('section.form-page:not([hidden])').getAttribute('data-page'));
}

/** Next (JavaScript on: in place; off: a post) and waits until page `index` shows. */
export async function nextPage(page: Page, index: number, pace: Pace = {}): Promise<void> {
  const button = page.locator('[data-next]');
  if (pace.tap) await button.tap();
  else await button.click();
  await page.locator(`section.form-page[data-page="${index}"]:not([hidden])`).waitFor();
  await rest(page, pace);
}

/** Back, and waits until page `index` shows. */
export async function backPage(page: Page, index: number, pace: Pace = {}): Promise<void> {
  const button = page.locator('[data-back]');
  if (pace.tap) await button.tap();
  else await button.click();
  await page.locator(`section.form-page[data-page="${index}"]:not([hidden])`).waitFor();
  await rest(page, pace);
}

/** Answers one page of the template (`rank` ranks the priorities on page 2), without moving on. */
export async function answerPage(page: Page, index: number, ideas: string, pace: Pace & { rank?: (page: Page) => Promise<void> } = {}): Promise<void> {
  if (index === 1 && pace.rank) await pace.rank(page);
  await choose(page, CHOICES_BY_PAGE[index]!, pace);
  if (index === 2) await typeInto(page, '#q-ideas-input', ideas, pace);
  if (index === 3) {
    await typeInto(page, '#q-neighborhood-input', 'Riverside', pace);
    await typeInto(page, '#q-household-input', '4', pace);
  }
}

/** Every page of the template answered in turn, ending on the last page (not yet sent). */
export async function answerAll(page: Page, ideas: string, pace: Pace & { rank: (page: Page) => Promise<void> }): Promise<void> {
  for (let i = 0; i < CHOICES_BY_PAGE.length; i++) {
    if (i > 0) await nextPage(page, i, pace);
    await answerPage(page, i, ideas, pace);
  }
}

/**
 * Ranking with JavaScript: taps three "+" buttons of the pool, then moves the second one up. The
 * ranking ranks the topics chosen on page 1 (rankFrom) and shows only once two are ticked.
 */
export async function rankByTap(page: Page): Promise<void> {
  await page.locator('#q-priorities .rank-ui').waitFor();
  for (let i = 0; i < 3; i++) {
    await page.locator('.rank-ui__pool button:not([aria-disabled])').first().tap();
    await page.locator('.rank-ui__chosen .rank-ui__number').nth(i).waitFor();
  }
  await page.locator('.rank-ui__chosen li').nth(1).locator('button[data-key$=":up"]').tap();
}

/** Ranking without JavaScript: one select per place, listing only the topics chosen on page 1 (rankFrom). */
export async function rankBySelects(page: Page, order: string[]): Promise<void> {
  await page.locator('#q-priorities-rank-1').waitFor();
  for (const [i, id] of order.entries()) await page.selectOption(`#q-priorities-rank-${i + 1}`, id);
}

export async function rankValues(page: Page): Promise<string[]> {
  return Promise.all([1, 2, 3].map((n) => page.inputValue(`#q-priorities-rank-${n}`)));
}

/** Sends the form from its last page and waits for the next page to load. */
export async function submit(page: Page, pathPart: string, pace: Pace = {}): Promise<void> {
  const send = page.locator('[data-send]');
  await Promise.all([page.waitForURL((url) => url.pathname.includes(pathPart)), pace.tap ? send.tap() : send.click()]);
}
