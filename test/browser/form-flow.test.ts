import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ResponseModel } from '../../surveys/response.model.js';
import { SpamResponseModel } from '../../surveys/spam.model.js';
import { seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { clearDatabase } from '../helpers/db.js';
import { launchBrowser, newPage, PHONE, screenshot, seriousViolations, startApp, TABLET, type RunningApp } from './browser.js';
import { buildSurvey, pagedDefinition } from '../fixtures/builders.js';
import { answerPage, backPage, choose, CHOICES_BY_PAGE, currentPage, nextPage, rankBySelects, rankByTap, rankValues, RANKED, submit, thanksTitle, typeInto, type Pace } from './survey-steps.js';

// A person on a phone going through the four pages of the built-in template at a human pace,
// with the production minimum fill time (3 s): none of these people may be held as spam.
const HUMAN: Pace = { tap: true, pause: 180 };
const PROGRESS: Record<string, (n: number) => string> = {
  en: (n) => `Page ${n} of 4`,
  es: (n) => `Página ${n} de 4`,
  ar: (n) => `الصفحة ${n} من 4`,
};
const NEXT_LANG: Record<string, string> = { en: 'es', es: 'ar', ar: 'en' };
const DRAFT_KEY = 'cn-draft:community-needs';

describe('browser: the form in pages on a 390x844 phone (JavaScript on and off, three languages)', function () {
  let browser: Browser;
  let app: RunningApp;
  // A JavaScript page for axe on pages a JavaScript-less browser shows (axe itself needs scripts).
  let axeContext: BrowserContext;
  before(async function () {
    browser = await launchBrowser(this);
    app = await startApp({ MIN_FILL_SECONDS: '3' });
    axeContext = await browser.newContext({ ...PHONE, bypassCSP: true });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    await clearDatabase();
    await seedBuiltInSurveys();
  });

  /** No serious or critical axe violation on the page as shown (a JavaScript-less page is checked as its HTML, scripts blocked). */
  async function expectAxeClean(page: Page, js: boolean, what: string): Promise<void> {
    let target = page;
    if (!js) {
      target = await axeContext.newPage();
      const html = await page.content();
      await target.route(`${app.base}/__as-shown`, (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
      await target.route('**/*.js', (route) => route.abort());
      await target.goto(`${app.base}/__as-shown`);
    }
    const violations = await seriousViolations(target);
    if (!js) await target.close();
    expect(violations, `${what}\n  ${violations.join('\n  ')}`).to.deep.equal([]);
  }

  async function progressText(page: Page): Promise<string> {
    return ((await page.textContent('[data-progress-text]')) ?? '').trim();
  }

  async function switchLanguage(page: Page, lang: string): Promise<void> {
    await Promise.all([page.waitForURL(() => true, { waitUntil: 'load' }), page.locator(`.language-picker button[value="${lang}"]`).tap()]);
    await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
  }

  for (const lang of ['en', 'es', 'ar']) {
    for (const js of [true, false]) {
      it(`${lang}, JavaScript ${js ? 'on' : 'off'}: every page at a human pace with progress, Back, a language switch on page 3 keeping every answer, axe clean on each page; one response stored, Back from thanks shows no resubmission prompt`, async () => {
        const { context, page } = await newPage(browser, { ...PHONE, javaScriptEnabled: js });
        const rank = js ? rankByTap : (p: Page) => rankBySelects(p, RANKED);
        const ideas = { en: 'A chess club', es: 'Un club de ajedrez', ar: 'نادي شطرنج' }[lang]!;
        await page.goto(`${app.base}/s/community-needs?lang=${lang}`);
        expect(await progressText(page)).to.equal(PROGRESS[lang]!(1));
        expect(await page.locator('[data-back]').isVisible()).to.equal(false);
        await expectAxeClean(page, js, `${lang} page 1`);
        await answerPage(page, 0, ideas, HUMAN);
        await screenshot(page, `phone-pages-${lang}-${js ? 'js' : 'nojs'}-1`);

        await nextPage(page, 1, HUMAN);
        expect(await progressText(page)).to.equal(PROGRESS[lang]!(2));
        if (js) expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-progress-text'))).to.equal(true);
        await answerPage(page, 1, ideas, { ...HUMAN, rank });
        await expectAxeClean(page, js, `${lang} page 2`);
        // Back to page 1 and forward again: nothing lost either way.
        await backPage(page, 0, HUMAN);
        expect(await page.isChecked('#q-interests-coding-tech')).to.equal(true);
        await nextPage(page, 1, HUMAN);
        expect(await page.isChecked('#q-times-weekend')).to.equal(true);
        expect(await rankValues(page)).to.deep.equal(js ? [RANKED[1], RANKED[0], RANKED[2]] : RANKED);
        await screenshot(page, `phone-pages-${lang}-${js ? 'js' : 'nojs'}-2`);

        await nextPage(page, 2, HUMAN);
        await answerPage(page, 2, ideas, HUMAN);
        await expectAxeClean(page, js, `${lang} page 3`);
        // Switching language mid-way: the same page, in the other language, with every answer.
        const other = NEXT_LANG[lang]!;
        await switchLanguage(page, other);
        expect(await currentPage(page)).to.equal(2);
        expect(await progressText(page)).to.equal(PROGRESS[other]!(3));
        expect(await page.inputValue('#q-ideas-input')).to.equal(ideas);
        expect(await page.isChecked('#q-satisfaction-4')).to.equal(true);
        expect(await page.isChecked('#q-interests-health-wellness')).to.equal(true);
        await switchLanguage(page, lang);
        expect(await currentPage(page)).to.equal(2);
        await screenshot(page, `phone-pages-${lang}-${js ? 'js' : 'nojs'}-3`);

        await nextPage(page, 3, HUMAN);
        expect(await progressText(page)).to.equal(PROGRESS[lang]!(4));
        expect(await page.locator('[data-send]').isVisible()).to.equal(true);
        expect(await page.locator('[data-next]').isVisible()).to.equal(false);
        await answerPage(page, 3, ideas, HUMAN);
        await expectAxeClean(page, js, `${lang} page 4`);
        await screenshot(page, `phone-pages-${lang}-${js ? 'js' : 'nojs'}-4`);
        await submit(page, '/thanks', HUMAN);
        expect((await page.textContent('h1'))?.trim()).to.equal(thanksTitle(lang));

        const stored = await ResponseModel.find({ surveySlug: 'community-needs' }).lean();
        expect(stored).to.have.length(1);
        expect(stored[0]!.lang).to.equal(lang);
        const answers = stored[0]!.answers as Record<string, unknown>;
        expect(answers.ideas).to.equal(ideas);
        expect(answers.childGrades).to.deep.equal(['elementary']);
        expect(answers.household).to.equal(4);

        // Back from the thank-you page: a page, never "Confirm form resubmission" (ERR_CACHE_MISS).
        const back = await page.goBack({ waitUntil: 'load' });
        expect(back?.status() ?? 200).to.be.below(400);
        expect(await page.locator('h1').count()).to.equal(1);
        expect(await ResponseModel.countDocuments()).to.equal(1);
        if (js) expect(await page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY)).to.equal(null);
        await context.close();
      });
    }
  }

  it('JavaScript on: a page whose only question waits on "children: yes" is skipped and the count adjusts ("Page 2 of 2" / "Page 2 of 3"), Back skips it too', async () => {
    await buildSurvey(pagedDefinition());
    const { context, page } = await newPage(browser, PHONE);
    await page.goto(`${app.base}/s/test-survey`);
    expect(await progressText(page)).to.equal('Page 1 of 2');
    await choose(page, ['interests-job-skills', 'children-no'], HUMAN);
    await nextPage(page, 2, HUMAN);
    expect(await progressText(page)).to.equal('Page 2 of 2');
    expect(await page.locator('[data-send]').isVisible()).to.equal(true);
    await backPage(page, 0, HUMAN);
    await choose(page, ['children-yes'], HUMAN);
    expect(await progressText(page)).to.equal('Page 1 of 3');
    await nextPage(page, 1, HUMAN);
    expect(await progressText(page)).to.equal('Page 2 of 3');
    // Leaving the children page without its required answer: the error, as the server shows it.
    await page.locator('[data-next]').tap();
    await page.locator('#q-grades .question__error').waitFor();
    expect(await page.locator('#error-summary a').getAttribute('href')).to.equal('#q-grades');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('q-grades-elementary');
    await expectAxeClean(page, true, 'page with an error');
    await choose(page, ['grades-high'], HUMAN);
    await nextPage(page, 2, HUMAN);
    expect(await page.locator('#error-summary').count()).to.equal(0);
    expect(await progressText(page)).to.equal('Page 3 of 3');
    await typeInto(page, '#q-household-input', '3', HUMAN);
    await submit(page, '/thanks', HUMAN);
    const stored = await ResponseModel.find({ surveySlug: 'test-survey' }).lean();
    expect(stored.map((r) => r.answers)).to.deep.equal([{ interests: ['job-skills'], children: 'yes', grades: ['high'], household: 3 }]);
    await context.close();
  });

  it('JavaScript off: Enter in a one-line answer goes to the next page (never to another language), and on the last page sends', async () => {
    await buildSurvey(pagedDefinition());
    const { context, page } = await newPage(browser, { ...PHONE, javaScriptEnabled: false });
    await page.goto(`${app.base}/s/test-survey?lang=es`);
    await choose(page, ['interests-job-skills', 'children-no'], HUMAN);
    await typeInto(page, '#q-interests-other-text', '', HUMAN);
    await Promise.all([page.waitForLoadState('load'), page.locator('#q-interests-other-text').press('Enter')]);
    await page.locator('section.form-page[data-page="2"]:not([hidden])').waitFor();
    expect(await page.getAttribute('html', 'lang')).to.equal('es');
    await typeInto(page, '#q-household-input', '2', HUMAN);
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/thanks')), page.locator('#q-household-input').press('Enter')]);
    expect((await ResponseModel.find({ surveySlug: 'test-survey' }).lean()).map((r) => [r.lang, r.answers])).to.deep.equal([['es', { interests: ['job-skills'], children: 'no', household: 2 }]]);
    await context.close();
  });

  it('reloading mid-way on a phone (JavaScript on) offers to continue: the answers and the page come back; sending clears the draft', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await page.goto(`${app.base}/s/community-needs?lang=es`);
    await answerPage(page, 0, '', HUMAN);
    await nextPage(page, 1, HUMAN);
    await answerPage(page, 1, '', { ...HUMAN, rank: rankByTap });
    await nextPage(page, 2, HUMAN);
    await page.fill('#q-ideas-input', 'Clases de cocina');
    await page.reload({ waitUntil: 'load' });
    const offer = page.locator('#draft-offer');
    await offer.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('draft-offer');
    await screenshot(page, 'phone-pages-es-draft-offer');
    await expectAxeClean(page, true, 'draft offer');
    await page.locator('[data-draft-continue]').tap();
    expect(await offer.isHidden()).to.equal(true);
    expect(await currentPage(page)).to.equal(2);
    expect(await page.inputValue('#q-ideas-input')).to.equal('Clases de cocina');
    expect(await page.isChecked('#q-interests-job-skills')).to.equal(true);
    expect(await rankValues(page)).to.deep.equal([RANKED[1], RANKED[0], RANKED[2]]);
    expect(await page.locator('.rank-ui__chosen .rank-ui__number').count()).to.equal(3);
    expect(await progressText(page)).to.equal('Página 3 de 4');
    await answerPage(page, 2, '', HUMAN);
    await nextPage(page, 3, HUMAN);
    await answerPage(page, 3, '', HUMAN);
    await submit(page, '/thanks', HUMAN);
    expect(await page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY)).to.equal(null);
    const stored = await ResponseModel.find().lean();
    expect(stored).to.have.length(1);
    expect((stored[0]!.answers as Record<string, unknown>).ideas).to.equal('Clases de cocina');
    await context.close();
  });

  it('"Start again" clears the draft at once; a draft older than a day is not offered and is removed; the thank-you page removes one', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await page.goto(`${app.base}/s/community-needs?lang=en`);
    await answerPage(page, 0, '', HUMAN);
    await page.reload({ waitUntil: 'load' });
    await page.locator('#draft-offer').waitFor();
    await page.locator('[data-draft-discard]').tap();
    expect(await page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY)).to.equal(null);
    expect(await page.locator('#survey-form input:checked').count()).to.equal(0);
    await page.reload({ waitUntil: 'load' });
    await page.locator('#survey-form').waitFor();
    expect(await page.locator('#draft-offer').isHidden()).to.equal(true);

    await page.evaluate((key) => localStorage.setItem(key, JSON.stringify({ savedAt: Date.now() - 25 * 3600 * 1000, page: 1, fields: [['q:interests', 'job-skills']] })), DRAFT_KEY);
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction((key) => localStorage.getItem(key) === null, DRAFT_KEY);
    expect(await page.locator('#draft-offer').isHidden()).to.equal(true);
    expect(await page.isChecked('#q-interests-job-skills')).to.equal(false);

    // A form sent as a plain post (no offline queue in this browser): the thank-you page removes the draft.
    await page.evaluate((key) => localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), page: 0, fields: [['q:interests', 'job-skills']] })), DRAFT_KEY);
    await page.goto(`${app.base}/s/community-needs/thanks?lang=en`);
    await page.waitForFunction((key) => localStorage.getItem(key) === null, DRAFT_KEY);
    await context.close();
  });

  it('a kiosk and a link marked for shared computers keep nothing: a reload mid-way shows an empty first page, nothing in storage', async () => {
    for (const [url, options] of [[`/kiosk/community-needs/answer?lang=en&location=Main%20Branch`, TABLET], ['/s/community-needs?lang=en&shared=1', PHONE]] as const) {
      const { context, page } = await newPage(browser, options);
      await page.goto(`${app.base}${url}`);
      expect(await page.locator('#draft-offer').count()).to.equal(0);
      await answerPage(page, 0, '', HUMAN);
      await nextPage(page, 1, HUMAN);
      await answerPage(page, 1, '', { ...HUMAN, rank: rankByTap });
      await page.waitForTimeout(400);
      expect(await page.evaluate(() => localStorage.length), url).to.equal(0);
      await page.reload({ waitUntil: 'load' });
      await page.locator('#survey-form').waitFor();
      expect(await currentPage(page)).to.equal(0);
      expect(await page.locator('#survey-form input:checked').count(), url).to.equal(0);
      expect(await page.locator('#draft-offer').count()).to.equal(0);
      if (url.includes('shared')) expect(await page.getAttribute('#contact-email', 'autocomplete')).to.equal('off');
      await context.close();
    }
  });

  it('kiosk and shared-computer link (JavaScript on): every page, a language switch mid-way, send; Back from thanks shows no resubmission prompt and nothing of the person', async () => {
    for (const [url, options, thanksPath] of [['/kiosk/community-needs/answer?lang=es&location=Main%20Branch', TABLET, '/kiosk/community-needs/thanks'], ['/s/community-needs?lang=es&shared=1', PHONE, '/s/community-needs/thanks']] as const) {
      const { context, page } = await newPage(browser, options);
      await page.goto(`${app.base}${url}`);
      await answerPage(page, 0, 'Talleres de costura', HUMAN);
      await nextPage(page, 1, HUMAN);
      await answerPage(page, 1, 'Talleres de costura', { ...HUMAN, rank: rankByTap });
      await nextPage(page, 2, HUMAN);
      await answerPage(page, 2, 'Talleres de costura', HUMAN);
      await switchLanguage(page, 'ar');
      expect(await currentPage(page)).to.equal(2);
      expect(await page.inputValue('#q-ideas-input')).to.equal('Talleres de costura');
      // After the post the address still says "shared computer", so a reload keeps the mark.
      if (url.includes('shared')) expect(new URL(page.url()).searchParams.get('shared')).to.equal('1');
      await nextPage(page, 3, HUMAN);
      await answerPage(page, 3, 'Talleres de costura', HUMAN);
      await submit(page, thanksPath, HUMAN);
      const back = await page.goBack({ waitUntil: 'load' });
      expect(back?.status() ?? 200, url).to.be.below(400);
      expect(await page.content(), url).not.to.contain('Talleres de costura');
      expect(await page.locator('#survey-form input:checked').count(), url).to.equal(0);
      expect(await page.evaluate(() => localStorage.length), url).to.equal(0);
      await context.close();
    }
    expect((await ResponseModel.find().lean()).map((r) => [r.channel, r.lang])).to.have.deep.members([['kiosk', 'ar'], ['web', 'ar']]);
  });

  it('a quick person answering only the two required questions at a brisk pace is stored, never held as spam', async () => {
    const { context, page } = await newPage(browser, PHONE);
    // A brisk person: a tap every third of a second or so (the old fixed 3 s minimum held them).
    const brisk: Pace = { tap: true, pause: 350 };
    await page.goto(`${app.base}/s/community-needs?lang=en`);
    // Two topics, so the ranking of the chosen topics (rankFrom) is asked; one of them ranked.
    await page.locator(`label[for="q-${CHOICES_BY_PAGE[0]![0]}"]`).tap();
    await page.locator(`label[for="q-${CHOICES_BY_PAGE[0]![1]}"]`).tap();
    await nextPage(page, 1, brisk);
    await page.locator('.rank-ui__pool button').first().tap();
    await nextPage(page, 2, brisk);
    await nextPage(page, 3, brisk);
    await submit(page, '/thanks', brisk);
    await context.close();
    expect(await ResponseModel.countDocuments()).to.equal(1);
  });

  afterEach(async () => {
    // Every flow here is a person at a human pace: none of them may have been kept apart as likely spam.
    const held = await SpamResponseModel.find().lean();
    expect(held.map((h) => h.spam?.reasons), 'held as likely spam').to.deep.equal([]);
  });
});
