import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { ResponseModel } from '../../surveys/response.model.js';
import { seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { clearDatabase } from '../helpers/db.js';
import { launchBrowser, newPage, PHONE, screenshot, startApp, type RunningApp } from './browser.js';
import { answerAll, backPage, nextPage, rankBySelects, rankByTap, rankValues, RANKED, submit, thanksTitle } from './survey-steps.js';

describe('browser: a respondent on a phone', function () {
  let browser: Browser;
  let app: RunningApp;
  before(async function () {
    browser = await launchBrowser(this);
    app = await startApp();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    await clearDatabase();
    await seedBuiltInSurveys();
  });

  async function expectStored(ideas: string, lang: string, priorities: string[]): Promise<void> {
    const stored = await ResponseModel.find({ surveySlug: 'community-needs' }).lean();
    expect(stored).to.have.length(1);
    const [r] = stored;
    expect(r!.lang).to.equal(lang);
    expect(r!.channel).to.equal('web');
    const answers = r!.answers as Record<string, unknown>;
    expect(answers.ideas).to.equal(ideas);
    expect(answers.interests).to.have.members(['job-skills', 'coding-tech', 'health-wellness']);
    expect(answers.priorities).to.deep.equal(priorities);
  }

  it('answers the whole survey in Spanish on a 390x844 touch screen and lands on the Spanish thank-you page; stored with lang es, channel web', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await page.goto(`${app.base}/s/community-needs?lang=es`);
    expect(await page.getAttribute('html', 'lang')).to.equal('es');
    await screenshot(page, 'phone-form-es');
    await answerAll(page, 'Más clases de guitarra', { tap: true, rank: rankByTap });
    await submit(page, '/thanks');
    expect(await page.getAttribute('html', 'lang')).to.equal('es');
    expect((await page.textContent('h1'))?.trim()).to.equal(thanksTitle('es'));
    await screenshot(page, 'phone-thanks-es');
    await expectStored('Más clases de guitarra', 'es', [RANKED[1]!, RANKED[0]!, RANKED[2]!]);
    await context.close();
  });

  it('answers in Arabic right to left, ranking by tapping three "+" buttons and moving one up; stored with lang ar', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await page.goto(`${app.base}/s/community-needs?lang=ar`);
    expect(await page.getAttribute('html', 'dir')).to.equal('rtl');
    expect(await page.getAttribute('html', 'lang')).to.equal('ar');
    await answerAll(page, 'دروس في الخط العربي', { tap: true, rank: rankByTap });
    await backPage(page, 2, { tap: true });
    await backPage(page, 1, { tap: true });
    // The tapped order was job-skills, health-wellness, coding-tech; the second moved up.
    expect(await rankValues(page)).to.deep.equal([RANKED[1], RANKED[0], RANKED[2]]);
    expect(await page.locator('.rank-ui__chosen .rank-ui__label').allTextContents()).to.have.length(3);
    await screenshot(page, 'phone-form-ar');
    await nextPage(page, 2, { tap: true });
    await nextPage(page, 3, { tap: true });
    await submit(page, '/thanks');
    expect(await page.getAttribute('html', 'dir')).to.equal('rtl');
    expect((await page.textContent('h1'))?.trim()).to.equal(thanksTitle('ar'));
    await screenshot(page, 'phone-thanks-ar');
    await expectStored('دروس في الخط العربي', 'ar', [RANKED[1]!, RANKED[0]!, RANKED[2]!]);
    await context.close();
  });

  it('answers in Vietnamese with JavaScript disabled, ranking with the three selects; stored with lang vi', async () => {
    const { context, page } = await newPage(browser, { ...PHONE, javaScriptEnabled: false });
    await page.goto(`${app.base}/s/community-needs?lang=vi`);
    expect(await page.locator('.rank-ui').count()).to.equal(0);
    await answerAll(page, 'Lớp học nấu ăn', { rank: (p) => rankBySelects(p, RANKED) });
    await screenshot(page, 'phone-form-vi-nojs');
    await submit(page, '/thanks');
    expect(await page.getAttribute('html', 'lang')).to.equal('vi');
    expect((await page.textContent('h1'))?.trim()).to.equal(thanksTitle('vi'));
    await expectStored('Lớp học nấu ăn', 'vi', RANKED);
    await context.close();
  });

  for (const js of [true, false]) {
    it(`leaves the first page without the required "interests" answer (JavaScript ${js ? 'on' : 'off'}) and sees the error next to it, focus in #q-interests, answers on later pages kept`, async () => {
      const { context, page } = await newPage(browser, { ...PHONE, javaScriptEnabled: js });
      await page.goto(`${app.base}/s/community-needs?lang=es`);
      // Answers on later pages first (reached by Next and Back with "interests" answered, then unticked).
      for (const id of RANKED) await page.locator(`#q-interests-${id}`).check();
      await nextPage(page, 1);
      if (js) await rankByTap(page);
      else await rankBySelects(page, RANKED);
      await nextPage(page, 2);
      await page.fill('#q-ideas-input', 'Un club de lectura');
      await nextPage(page, 3);
      await page.locator('#q-visits-weekly').check();
      await backPage(page, 2);
      await backPage(page, 1);
      await backPage(page, 0);
      // With no topic chosen, the ranking (which ranks the chosen topics: rankFrom) is not asked.
      for (const id of RANKED) await page.locator(`#q-interests-${id}`).uncheck();
      await Promise.all([page.waitForLoadState('load'), page.locator('[data-next]').click()]);
      await page.locator('#q-interests .question__error').waitFor().catch(async (e) => { console.log(page.url(), await page.locator('.error-summary, .question__error, h1').allTextContents()); throw e; });
      expect(await page.locator('.question__error').count()).to.be.greaterThan(0);
      expect(await page.locator('#q-priorities .question__error').count()).to.equal(0);
      await page.waitForFunction(() => document.activeElement?.closest('#q-interests') !== null);
      expect(await page.locator('#page-programs').isVisible()).to.equal(true);
      expect(await page.inputValue('#q-ideas-input')).to.equal('Un club de lectura');
      expect(await page.isChecked('#q-visits-weekly')).to.equal(true);
      expect(await page.locator('#q-priorities').isHidden()).to.equal(true);
      expect(await rankValues(page)).to.deep.equal(['', '', '']);
      await screenshot(page, `phone-error-es-${js ? 'js' : 'nojs'}`);
      expect(await ResponseModel.countDocuments()).to.equal(0);
      await context.close();
    });
  }
});
