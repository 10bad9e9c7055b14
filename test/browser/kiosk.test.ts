import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { ResponseModel } from '../../surveys/response.model.js';
import { seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { clearDatabase } from '../helpers/db.js';
import { launchBrowser, newPage, screenshot, startApp, TABLET, type RunningApp } from './browser.js';
import { answerAll, rankByTap, submit, thanksTitle } from './survey-steps.js';

const START = '/kiosk/community-needs?location=Main%20Branch';

describe('browser: the kiosk on a tablet', function () {
  let browser: Browser;
  let app: RunningApp;
  before(async function () {
    browser = await launchBrowser(this);
    // The shortest idle time the configuration accepts, so the countdown test takes seconds.
    app = await startApp({ KIOSK_IDLE_SECONDS: '10', KIOSK_COUNTDOWN_SECONDS: '3' });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    await clearDatabase(); // no saved settings: the configuration's idle time applies
    await seedBuiltInSurveys();
  });

  const onStart = async (page: Page): Promise<void> => {
    await page.waitForURL((url) => url.pathname === '/kiosk/community-needs');
    await page.locator('.kiosk-start__button').first().waitFor();
  };

  const startIn = async (page: Page, lang: string): Promise<void> => {
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/answer')), page.locator(`.kiosk-start__button[hreflang="${lang}"]`).tap()]);
    await page.locator('#survey-form').waitFor();
    // Enhanced at once, shown when two topics are chosen (rankFrom).
    await page.locator('.rank-ui').waitFor({ state: 'attached' });
  };

  it('start screen → tap Español → answer → thank-you → "Finish" back to the start; the next person sees nothing of the first, even with Back', async () => {
    const { context, page } = await newPage(browser, TABLET);
    await page.goto(`${app.base}${START}`);
    expect(await page.locator('.kiosk-start__button').count()).to.equal(6);
    expect(await page.textContent('.kiosk-start__location')).to.contain('Main Branch');
    await screenshot(page, 'tablet-kiosk-start');

    await startIn(page, 'es');
    expect(await page.getAttribute('html', 'lang')).to.equal('es');
    await answerAll(page, 'Talleres de costura', { tap: true, rank: rankByTap });
    await screenshot(page, 'tablet-kiosk-form-es');
    await submit(page, '/thanks', { tap: true });
    expect((await page.textContent('h1'))?.trim()).to.equal(thanksTitle('es'));
    await screenshot(page, 'tablet-kiosk-thanks-es');
    const stored = await ResponseModel.find().lean();
    expect(stored.map((r) => [r.lang, r.channel, r.location])).to.deep.equal([['es', 'kiosk', 'Main Branch']]);

    await page.locator('[data-kiosk-thanks] a[data-kiosk-start]').tap();
    await onStart(page);

    // The second person.
    await startIn(page, 'en');
    const empty = async (): Promise<void> => {
      expect(await page.locator('#survey-form input:checked').count()).to.equal(0);
      for (const sel of ['#q-ideas-input', '#q-neighborhood-input', '#q-household-input']) expect(await page.inputValue(sel)).to.equal('');
      expect(await page.locator('.rank-ui__chosen .rank-ui__number').count()).to.equal(0);
      expect(await page.content()).not.to.contain('Talleres de costura');
    };
    await empty();
    await page.goBack();
    await page.waitForLoadState('load');
    // Back lands on the start screen (history was replaced), never on the first person's answers.
    expect(await page.content()).not.to.contain('Talleres de costura');
    if (await page.locator('#survey-form').count()) await empty();
    else expect(await page.locator('.kiosk-start__button').count()).to.equal(6);
    await context.close();
  });

  it('the thank-you page returns to the start screen by itself', async function () {
    this.timeout(60000);
    const { context, page } = await newPage(browser, TABLET);
    await page.goto(`${app.base}/kiosk/community-needs/thanks?lang=vi&location=Main%20Branch`);
    expect((await page.textContent('h1'))?.trim()).to.equal(thanksTitle('vi'));
    await page.waitForURL((url) => url.pathname === '/kiosk/community-needs', { timeout: 30000 });
    expect(new URL(page.url()).searchParams.get('location')).to.equal('Main Branch');
    await context.close();
  });

  it('after 10 s idle the countdown appears, and at zero the kiosk goes back to the start with the answers gone', async function () {
    this.timeout(60000);
    const { context, page } = await newPage(browser, TABLET);
    await page.goto(`${app.base}${START}`);
    await startIn(page, 'ar');
    // One topic: the ranking of chosen topics (rankFrom) is not asked on page 2.
    await page.locator('#q-interests-job-skills').check();
    await page.locator('[data-next]').tap();
    await page.locator('#q-times').waitFor();
    await page.locator('[data-next]').tap();
    await page.fill('#q-ideas-input', 'مساعدة في الضرائب');
    const dialog = page.locator('[data-idle-dialog]');
    expect(await dialog.isHidden()).to.equal(true);
    await dialog.waitFor({ state: 'visible', timeout: 20000 });
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-idle-stay'))).to.equal(true);
    await screenshot(page, 'tablet-kiosk-idle-ar');
    await onStart(page);
    expect(await page.content()).not.to.contain('مساعدة في الضرائب');
    expect(await ResponseModel.countDocuments()).to.equal(0);
    await context.close();
  });

  it('"I\'m still here" closes the countdown and keeps the answers', async function () {
    this.timeout(60000);
    const { context, page } = await newPage(browser, TABLET);
    await page.goto(`${app.base}${START}`);
    await startIn(page, 'en');
    // One topic: the ranking of chosen topics (rankFrom) is not asked on page 2.
    await page.locator('#q-interests-job-skills').check();
    await page.locator('[data-next]').tap();
    await page.locator('#q-times').waitFor();
    await page.locator('[data-next]').tap();
    await page.fill('#q-ideas-input', 'Chess club');
    const dialog = page.locator('[data-idle-dialog]');
    await dialog.waitFor({ state: 'visible', timeout: 20000 });
    await page.locator('[data-idle-stay]').tap();
    expect(await dialog.isHidden()).to.equal(true);
    expect(await page.inputValue('#q-ideas-input')).to.equal('Chess club');
    expect(new URL(page.url()).pathname).to.equal('/kiosk/community-needs/answer');
    await context.close();
  });
});
