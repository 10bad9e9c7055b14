import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ResponseModel } from '../../surveys/response.model.js';
import { SpamResponseModel } from '../../surveys/spam.model.js';
import { seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { clearDatabase } from '../helpers/db.js';
import { launchBrowser, newPage, PHONE, screenshot, seriousViolations, startApp, TABLET, type RunningApp } from './browser.js';
import { answerPage, backPage, currentPage, nextPage, rankBySelects, RANKED, submit, thanksTitle, type Pace } from './survey-steps.js';

// A person at a human pace (the production minimum fill time is on: none may be held as spam).
const HUMAN: Pace = { tap: true, pause: 150 };
const OTHER: Record<string, string> = { en: 'ar', ar: 'en' };
const IDEAS: Record<string, string> = { en: 'A sewing circle on Thursdays', ar: 'حلقة خياطة يوم الخميس' };

/** Kiosk on a tablet and a link for shared computers on a phone, each entered without JavaScript. */
const PLACES = [
  { what: 'kiosk (tablet)', url: (lang: string) => `/kiosk/community-needs/answer?lang=${lang}&location=Main%20Branch`, options: TABLET, thanks: '/kiosk/community-needs/thanks', shot: 'tablet-kiosk-nojs' },
  { what: 'shared computer (390x844)', url: (lang: string) => `/s/community-needs?lang=${lang}&shared=1`, options: PHONE, thanks: '/s/community-needs/thanks', shot: 'phone-shared-nojs' },
] as const;

describe('browser: kiosk and shared-computer forms without JavaScript: Back from the thank-you page never offers to resend and shows nothing of the person', function () {
  let browser: Browser;
  let app: RunningApp;
  let axeContext: BrowserContext;
  before(async function () {
    browser = await launchBrowser(this);
    app = await startApp({ MIN_FILL_SECONDS: '3' });
    axeContext = await browser.newContext({ bypassCSP: true });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    await clearDatabase();
    await seedBuiltInSurveys();
  });
  afterEach(async () => {
    const held = await SpamResponseModel.find().lean();
    expect(held.map((h) => h.spam?.reasons), 'held as likely spam').to.deep.equal([]);
  });

  /** axe on the page as shown: its HTML in a page that may run axe (scripts of the app blocked). */
  async function expectAxeClean(page: Page, what: string): Promise<void> {
    const target = await axeContext.newPage();
    const html = await page.content();
    await target.route(`${app.base}/__as-shown`, (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
    await target.route('**/*.js', (route) => route.abort());
    await target.goto(`${app.base}/__as-shown`);
    const violations = await seriousViolations(target);
    await target.close();
    expect(violations, `${what}\n  ${violations.join('\n  ')}`).to.deep.equal([]);
  }

  async function switchLanguage(page: Page, lang: string): Promise<void> {
    await Promise.all([page.waitForURL((url) => url.searchParams.get('lang') === lang, { waitUntil: 'load' }), page.locator(`.language-picker button[value="${lang}"]`).tap()]);
    await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
  }

  for (const place of PLACES) {
    for (const lang of ['en', 'ar']) {
      it(`${place.what}, ${lang}: every page, Back and Next, a language switch on page 3, send; Back from thanks again and again: no resubmission, no answer of the person, stored once, axe clean`, async () => {
        const { context, page } = await newPage(browser, { ...place.options, javaScriptEnabled: false });
        const ideas = IDEAS[lang]!;
        const pageUrls: string[] = [];
        // Every page of the form is a GET: a post is answered 303 (never ERR_CACHE_MISS on the way back).
        const posts: number[] = [];
        page.on('response', (res) => {
          if (res.request().method() === 'POST') posts.push(res.status());
        });
        await page.goto(`${app.base}${place.url(lang)}`);
        await answerPage(page, 0, ideas, HUMAN);
        await nextPage(page, 1, HUMAN);
        pageUrls.push(page.url());
        expect(new URL(page.url()).searchParams.get('p')).to.equal('2');
        await answerPage(page, 1, ideas, { ...HUMAN, rank: (p) => rankBySelects(p, RANKED) });
        await backPage(page, 0, HUMAN);
        expect(await page.isChecked('#q-interests-coding-tech')).to.equal(true);
        await nextPage(page, 1, HUMAN);
        expect(await page.isChecked('#q-times-weekend')).to.equal(true);
        await nextPage(page, 2, HUMAN);
        await answerPage(page, 2, ideas, HUMAN);
        await switchLanguage(page, OTHER[lang]!);
        expect(await currentPage(page)).to.equal(2);
        expect(await page.inputValue('#q-ideas-input')).to.equal(ideas);
        expect(await page.isChecked('#q-satisfaction-4')).to.equal(true);
        await screenshot(page, `${place.shot}-${OTHER[lang]}-3`);
        await switchLanguage(page, lang);
        if (place.what.startsWith('shared')) expect(new URL(page.url()).searchParams.get('shared')).to.equal('1');
        await expectAxeClean(page, `${place.what} ${lang} page 3 after a language switch`);
        await screenshot(page, `${place.shot}-${lang}-3`);
        await nextPage(page, 3, HUMAN);
        await answerPage(page, 3, ideas, HUMAN);
        await expectAxeClean(page, `${place.what} ${lang} page 4`);
        await submit(page, place.thanks, HUMAN);
        expect((await page.textContent('h1'))?.trim()).to.equal(thanksTitle(lang));
        expect(await ResponseModel.countDocuments()).to.equal(1);
        // Back, Next (4), two language switches and the send: each a post answered 303.
        expect(posts).to.deep.equal(Array(8).fill(303));

        // Back through every page of the history: each loads (a GET), an empty first page, nothing of the person.
        for (let step = 1; ; step++) {
          const res = await page.goBack({ waitUntil: 'load' });
          if (!res && !page.url().startsWith(app.base)) break;
          const where = `${place.what} ${lang}, Back ${step}: ${page.url()}`;
          expect(page.url(), where).to.not.match(/^chrome-error:/);
          expect(res?.status() ?? 200, where).to.be.below(400);
          const html = await page.content();
          for (const text of [ideas, 'Riverside']) expect(html, where).to.not.contain(text);
          expect(await page.locator('#survey-form input:checked').count(), where).to.equal(0);
          expect(await currentPage(page), where).to.equal(0);
          if (step === 1) await screenshot(page, `${place.shot}-${lang}-back-from-thanks`);
          // The first page of the walk, after the 8 pages the posts led to (p=2, 1, 2, 3, 3 in the other language, 3, 4 and thanks).
          if (page.url() === `${app.base}${place.url(lang)}`) {
            expect(step, where).to.equal(8);
            break;
          }
          expect(step, 'history longer than the walk').to.be.below(12);
        }
        const stored = await ResponseModel.find().lean();
        expect(stored.map((r) => [r.channel, r.lang, (r.answers as Record<string, unknown>).ideas])).to.deep.equal([[place.what.startsWith('kiosk') ? 'kiosk' : 'web', lang, ideas]]);
        await context.close();
      });
    }
  }
});
