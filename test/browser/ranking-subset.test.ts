import { expect } from 'chai';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { fromRoot } from '../../server/paths.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { DESKTOP, newPage, PHONE, SCREENSHOTS, seriousViolations, signIn, useBrowserApp } from './browser.js';
import { backPage, nextPage, submit } from './survey-steps.js';

// Pictures for the README: `UPDATE_DOCS_SCREENSHOTS=1` writes them to docs/screenshots/.
const OUT = process.env.UPDATE_DOCS_SCREENSHOTS ? fromRoot('docs', 'screenshots') : path.join(SCREENSHOTS, 'docs');
/** The three longest English topic labels, ranked in this order. */
const LONG = ['reading-culture', 'esl-citizenship', 'public-safety'];

async function shoot(target: Page | Locator, file: string): Promise<void> {
  await fs.mkdir(OUT, { recursive: true });
  await target.screenshot({ path: path.join(OUT, file), scale: 'css' });
}

const box = async (l: Locator): Promise<{ x: number; y: number; width: number; height: number }> => (await l.boundingBox())!;
const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Each chosen label is readable: at least 250 px wide on a 390 px phone, and no move button covers it. */
async function expectReadableLabels(page: Page): Promise<void> {
  const rows = page.locator('.rank-ui__chosen li');
  for (let i = 0; i < (await rows.count()); i++) {
    const label = await box(rows.nth(i).locator('.rank-ui__label'));
    expect(label.width, `label ${i + 1} width`).to.be.above(250);
    for (const b of await rows.nth(i).locator('button').all()) expect(overlaps(label, await box(b)), `label ${i + 1} and a button`).to.equal(false);
    const button = await box(rows.nth(i).locator('button').first());
    expect(button.width).to.be.at.least(44);
    expect(button.height).to.be.at.least(44);
  }
}

describe('browser: ranking only the topics chosen (rankFrom) on a 390x844 phone, in the form of four pages', function () {
  const ctx = useBrowserApp(seedBuiltInSurveys);
  /** Web forms opened by this file, pages 2 to 4 first reached in each, and answers sent: for the funnel at the end. */
  let opened = 0;
  let sent = 0;
  const reached = [0, 0, 0, 0, 0];
  /** The furthest page (0-based) each form has reached: Back and Next again is no new arrival. */
  const furthest = new WeakMap<Page, number>();

  const open = async (page: Page, lang: string): Promise<void> => {
    await page.goto(`${ctx.app.base}/s/community-needs?lang=${lang}`);
    opened++;
  };
  /** Next to page `index` (0-based): page index + 1 reached, counted the first time this form gets there. */
  const next = async (page: Page, index: number, tap = false): Promise<void> => {
    await nextPage(page, index, { tap });
    if (index > (furthest.get(page) ?? 0)) {
      reached[index + 1]!++;
      furthest.set(page, index);
    }
  };
  /** From the ranking's page to the last one, then Send. */
  const sendFromPage2 = async (page: Page): Promise<void> => {
    await next(page, 2);
    await next(page, 3);
    await submit(page, '/thanks');
    sent++;
  };
  /** Whether the ranking question itself is hidden (it also is while its page is not shown). */
  const rankingHidden = (page: Page): Promise<boolean> => page.locator('#q-priorities').evaluate((el) => (el as HTMLElement).hidden);

  it('with JavaScript: on page 2 the ranking offers only the topics chosen on page 1, follows changes made there, is not asked below two or with "None of these"; long labels stay readable; axe clean; stored in order', async () => {
    const { context, page } = await newPage(ctx.browser, PHONE);
    await open(page, 'en');
    await page.locator('.rank-ui').waitFor({ state: 'attached' });
    const pool = page.locator('.rank-ui__pool button');
    expect(await rankingHidden(page)).to.equal(true);
    expect(await page.locator('.ranking__from').isHidden()).to.equal(true);

    await page.locator('label[for="q-interests-reading-culture"]').tap();
    expect(await rankingHidden(page), 'one topic: nothing to rank').to.equal(true);
    await page.locator('label[for="q-interests-esl-citizenship"]').tap();
    expect(await rankingHidden(page)).to.equal(false);
    await next(page, 1, true);
    expect(await page.locator('#q-priorities').isVisible()).to.equal(true);
    // The pool follows the ranking's own order of options.
    expect(await pool.allTextContents()).to.deep.equal(['+ Book clubs, author visits and book fairs', '+ English classes and help for newcomers']);
    expect(await page.textContent('#q-priorities .ranking__instructions')).to.equal('Put the topics you chose in order, the most important first.');
    await backPage(page, 0, { tap: true });
    await page.locator('label[for="q-interests-public-safety"]').tap();
    await next(page, 1, true);
    expect(await pool.count()).to.equal(3);

    // Ranked, then un-chosen on page 1: it leaves the ranking too.
    await page.locator('.rank-ui__pool button[data-key="esl-citizenship:add"]').tap();
    await page.locator('.rank-ui__pool button[data-key="reading-culture:add"]').tap();
    expect([await page.inputValue('#q-priorities-rank-1'), await page.inputValue('#q-priorities-rank-2')]).to.deep.equal(['esl-citizenship', 'reading-culture']);
    await backPage(page, 0, { tap: true });
    await page.locator('label[for="q-interests-esl-citizenship"]').tap();
    expect([await page.inputValue('#q-priorities-rank-1'), await page.inputValue('#q-priorities-rank-2')]).to.deep.equal(['reading-culture', '']);
    await next(page, 1, true);
    expect(await page.locator('.rank-ui__chosen .rank-ui__label').allTextContents()).to.deep.equal(['Book clubs, author visits and book fairs']);
    await backPage(page, 0, { tap: true });
    // Down to one topic: nothing to rank, and nothing is sent for it; page 2 still asks its other questions.
    await page.locator('label[for="q-interests-public-safety"]').tap();
    expect(await rankingHidden(page)).to.equal(true);
    expect(await page.inputValue('#q-priorities-rank-1')).to.equal('');
    await next(page, 1, true);
    expect(await page.locator('#q-priorities').isHidden()).to.equal(true);
    expect(await page.locator('#q-times').isVisible()).to.equal(true);
    await backPage(page, 0, { tap: true });

    // "None of these" clears the others, and the ranking stays hidden.
    await page.locator('label[for="q-interests-job-skills"]').tap();
    await page.locator('label[for="q-interests-none"]').tap();
    expect(await page.locator('#q-interests input:checked').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).to.deep.equal(['none']);
    expect(await rankingHidden(page)).to.equal(true);
    // Typing an "Other" answer clears "None of these" as well (it would be refused with it).
    await page.fill('#q-interests-other-text', 'Chess');
    expect(await page.isChecked('#q-interests-none')).to.equal(false);
    await page.fill('#q-interests-other-text', '');
    await page.locator('label[for="q-interests-none"]').tap();
    // A topic again clears "None of these".
    for (const id of LONG) await page.locator(`label[for="q-interests-${id}"]`).tap();
    expect(await page.isChecked('#q-interests-none')).to.equal(false);
    await next(page, 1, true);
    expect(await pool.count()).to.equal(3);

    // The pool lists the ranking's own order; tap the three longest in LONG's order.
    for (const id of LONG) await page.locator(`.rank-ui__pool button[data-key="${id}:add"]`).tap();
    expect(await page.locator('.rank-ui__chosen .rank-ui__label').allTextContents()).to.deep.equal(['Book clubs, author visits and book fairs', 'English classes and help for newcomers', 'Public safety and community relations']);
    await expectReadableLabels(page);
    expect(await seriousViolations(page)).to.deep.equal([]);
    const ranking = page.locator('#q-priorities');
    await ranking.scrollIntoViewIfNeeded();
    await shoot(ranking, 'phone-ranking-en.png');

    await sendFromPage2(page);
    const stored = await ResponseModel.find().sort({ submittedAt: -1 }).lean();
    expect(stored[0]!.answers.interests).to.have.members(LONG);
    expect(stored[0]!.answers.priorities).to.deep.equal(LONG);
    await context.close();
  });

  it('in Arabic with JavaScript: the ranking of three chosen topics reads right to left with readable labels', async () => {
    const { context, page } = await newPage(ctx.browser, PHONE);
    await open(page, 'ar');
    await page.locator('.rank-ui').waitFor({ state: 'attached' });
    for (const id of ['esl-citizenship', 'homework-tutoring', 'reading-culture']) await page.locator(`label[for="q-interests-${id}"]`).tap();
    await next(page, 1, true);
    for (const id of ['homework-tutoring', 'esl-citizenship', 'reading-culture']) await page.locator(`.rank-ui__pool button[data-key="${id}:add"]`).tap();
    await expectReadableLabels(page);
    const row = page.locator('.rank-ui__chosen li').first();
    // Right to left: the place number is at the right of the label.
    expect((await box(row.locator('.rank-ui__number'))).x).to.be.above((await box(row.locator('.rank-ui__label'))).x);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.locator('#q-priorities').scrollIntoViewIfNeeded();
    await shoot(page.locator('#q-priorities'), 'phone-ranking-ar.png');
    await sendFromPage2(page);
    const stored = await ResponseModel.find().sort({ submittedAt: -1 }).lean();
    expect(stored[0]!.answers.priorities).to.deep.equal(['homework-tutoring', 'esl-citizenship', 'reading-culture']);
    await context.close();
  });

  it('without JavaScript in Spanish: page 2 (an ordinary post) lists only the two topics chosen on page 1, one select each; Back, a third topic, Next: three; stored in the order picked', async () => {
    const { context, page } = await newPage(ctx.browser, { ...PHONE, javaScriptEnabled: false });
    await open(page, 'es');
    // The empty form cannot know the choices: the ranking (on the hidden page 2) says what may be ranked.
    expect(await page.textContent('#q-priorities .ranking__from')).to.contain('Clasifique solo los temas que marcó en');
    await page.check('#q-interests-job-skills');
    await page.check('#q-interests-health-wellness');
    await next(page, 1);
    expect(await page.locator('#q-priorities .ranking__from').count()).to.equal(0);
    expect(await page.textContent('#q-priorities .ranking__instructions')).to.equal('Ponga en orden los temas que eligió, empezando por el más importante.');
    expect(await page.locator('#q-priorities-rank-1 option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean))).to.deep.equal(['job-skills', 'health-wellness']);
    expect(await page.locator('#q-priorities select').count()).to.equal(2);
    await shoot(page.locator('#q-priorities'), 'phone-ranking-nojs-es.png');
    await backPage(page, 0);
    expect(await page.isChecked('#q-interests-health-wellness')).to.equal(true);
    await page.check('#q-interests-coding-tech');
    await next(page, 1);
    expect(await page.locator('#q-priorities select').count()).to.equal(3);
    await page.selectOption('#q-priorities-rank-1', 'health-wellness');
    await page.selectOption('#q-priorities-rank-2', 'coding-tech');
    await page.selectOption('#q-priorities-rank-3', 'job-skills');
    await sendFromPage2(page);
    const stored = await ResponseModel.find().sort({ submittedAt: -1 }).lean();
    expect(stored[0]!.answers.priorities).to.deep.equal(['health-wellness', 'coding-tech', 'job-skills']);
    await context.close();

    // axe needs scripts: the same page 2 with the app's own scripts blocked instead.
    const blocked = await newPage(ctx.browser, PHONE);
    await blocked.context.route('**/public/js/**', (route) => route.abort());
    await open(blocked.page, 'es');
    await blocked.page.check('#q-interests-job-skills');
    await blocked.page.check('#q-interests-health-wellness');
    await next(blocked.page, 1);
    expect(await blocked.page.locator('#q-priorities select').count()).to.equal(2);
    expect(await seriousViolations(blocked.page)).to.deep.equal([]);
    await blocked.context.close();
  });

  it('without JavaScript: "None of these" with a topic is refused in words on page 1; alone, page 2 does not ask the ranking and the answers are sent with none', async () => {
    const { context, page } = await newPage(ctx.browser, { ...PHONE, javaScriptEnabled: false });
    await open(page, 'en');
    await page.check('#q-interests-none');
    await page.check('#q-interests-teen-programs');
    await Promise.all([page.waitForLoadState('load'), page.locator('[data-next]').click()]);
    expect(await page.textContent('#q-interests-error')).to.contain('"None of these" cannot be combined with other answers.');
    await page.uncheck('#q-interests-teen-programs');
    await next(page, 1);
    expect(await page.locator('#q-priorities').isHidden()).to.equal(true);
    expect(await page.locator('#q-times').isVisible()).to.equal(true);
    await sendFromPage2(page);
    const stored = await ResponseModel.find().sort({ submittedAt: -1 }).lean();
    expect(stored[0]!.answers.interests).to.deep.equal(['none']);
    expect(stored[0]!.answers).to.not.have.property('priorities');
    await context.close();
  });

  it('the dashboard shows the forms this file opened, the pages they reached and the answers sent, in words and a table, axe clean at phone and desktop width', async () => {
    // Three more people open the form and leave.
    for (let i = 0; i < 3; i++) {
      const { context, page } = await newPage(ctx.browser, PHONE);
      await open(page, 'en');
      await context.close();
    }
    // Two people start on the kiosk and walk away.
    for (let i = 0; i < 2; i++) {
      const kiosk = await newPage(ctx.browser, PHONE);
      await kiosk.page.goto(`${ctx.app.base}/kiosk/community-needs/answer?lang=en`);
      await kiosk.context.close();
    }
    const { context, page } = await newPage(ctx.browser, DESKTOP);
    await signIn(page, ctx.app.base, 'staff', 'funnel-shot@library.test');
    await page.goto(`${ctx.app.base}/staff/surveys/community-needs#funnel`);
    const percent = `${Math.round((sent / opened) * 1000) / 10}%`;
    expect(await page.textContent('#funnel li[data-channel="web"]')).to.equal(`Of ${opened} people who opened the survey on their own phone or computer, ${sent} sent their answers (${percent}).`);
    // One row per step: opened, each page first reached (with and without JavaScript), sent.
    const rows = await page.locator('#funnel-table-web tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent?.trim(), tr.querySelector('td')?.textContent?.trim()]));
    expect(rows).to.deep.equal([
      ['Opened the survey', String(opened)],
      ['Reached page 2 of 4', String(reached[2])],
      ['Reached page 3 of 4', String(reached[3])],
      ['Reached page 4 of 4', String(reached[4])],
      ['Sent their answers', String(sent)],
    ]);
    expect(await page.textContent('#funnel li[data-channel="kiosk"]')).to.equal('Of 2 people who opened the survey on a library kiosk, 0 sent their answers (0%).');
    expect(await page.textContent('#funnel li[data-channel="all"]')).to.equal(`Of ${opened + 2} people who opened the survey, ${sent} sent their answers (${Math.round((sent / (opened + 2)) * 1000) / 10}%).`);
    expect(await page.textContent('#exclusive-interests-none')).to.contain(`1 of the ${sent} people who answered chose “None of these”`);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await shoot(page.locator('#funnel'), 'dashboard-funnel.png');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousViolations(page)).to.deep.equal([]);
    await shoot(page.locator('#funnel'), 'phone-dashboard-funnel.png');
    await context.close();
  });
});
