import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { getCatalog } from '../../surveys/catalog.service.js';
import { DEMO_SLUG, seedDemoPartners, seedDemoSurvey } from '../../surveys/demo.service.js';
import { TEST_PASSWORD } from '../helpers/auth.js';
import { DESKTOP, newPage, PHONE, screenshot, SCREENSHOTS, seriousViolations, signIn, useBrowserApp } from './browser.js';

const TRANSLATE = `/staff/surveys/${DEMO_SLUG}/translations`;
const DASHBOARD = `/staff/surveys/${DEMO_SLUG}`;

/** Empties three translations through the page itself (no JavaScript needed to save) and returns their keys. */
async function emptyThree(page: Page, base: string, lang: string): Promise<string[]> {
  await page.goto(`${base}${TRANSLATE}/${lang}`);
  const keys: string[] = [];
  for (const key of ['intro', 'questions.interests.options.job-skills.label', 'questions.age.label']) {
    const box = page.locator(`.translate-row[data-key="${key}"] textarea`);
    if (!(await box.count())) continue;
    await box.fill('');
    keys.push(key);
  }
  await Promise.all([page.waitForURL(/notice=translationsSaved/), page.locator('form[data-translate-sections] button[type=submit]').click()]);
  return keys;
}

/** Signs in through /login as someone created earlier in this file. */
async function signInAgain(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('#email', email);
  await page.fill('#password', TEST_PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('main button[type=submit]')]);
}

const visibleKeys = (page: Page): Promise<string[]> => page.locator('.translate-row:visible').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')!));

describe('browser: the translation screen and the partner invitations (English and Arabic, axe)', function () {
  const ctx = useBrowserApp(async () => {
    await seedDemoSurvey({ count: 150, seed: 9, days: 30, end: new Date() });
    await seedDemoPartners(new Date());
  });

  for (const ui of ['en', 'ar'] as const) {
    it(`translation screen, interface in ${ui}: after emptying three texts the progress says so, "missing only" shows just those three (with JavaScript, in place), and axe finds nothing serious`, async () => {
      const { context, page } = await newPage(ctx.browser, DESKTOP);
      await signIn(page, ctx.app.base, 'staff', `staff-translate-${ui}@library.test`);
      // The interface language is picked in the switcher (a ?hl= preview would last one page).
      await page.goto(`${ctx.app.base}/language/${ui}?next=/staff/surveys`);
      const target = ui === 'en' ? 'es' : 'ar';
      const emptied = await emptyThree(page, ctx.app.base, target);
      expect(emptied).to.have.length(3);
      const total = await page.locator('.translate-row').count();
      expect(total).to.be.greaterThan(100);
      // The language name is isolated (U+2068 … U+2069) so an Arabic name does not reorder an English sentence.
      const progress = (await page.locator('#translate-progress').textContent())!.replace(/[\u2068\u2069]/g, '');
      expect(progress).to.equal(ui === 'en' ? `Español: ${total - 3} of ${total} texts translated` : `العربية: تُرجم ${total - 3} من أصل ${total} نصًّا`);
      expect(await page.locator('progress.translate-meter').getAttribute('value')).to.equal(String(total - 3));
      // The filter works in place with JavaScript: the Apply button is gone, the address follows.
      expect(await page.locator('[data-filter-apply]').isVisible()).to.equal(false);
      await page.locator('#only-missing').check();
      await page.waitForURL(/missing=1/);
      expect(await visibleKeys(page)).to.deep.equal(emptied);
      expect(await page.locator('.translate-section:visible').count()).to.be.at.most(3);
      expect(await page.locator('[data-filter-status]').textContent()).to.match(ui === 'en' ? /Showing the 3 texts still missing/ : /الـ3/);
      await screenshot(page, `translate-missing-${ui}-desktop`);
      expect(await seriousViolations(page)).to.deep.equal([]);
      // Typing into a hidden-filtered page and saving keeps the filter.
      await page.locator(`.translate-row[data-key="${emptied[0]}"] textarea`).fill(ui === 'en' ? 'Introducción nueva' : 'مقدّمة جديدة');
      await Promise.all([page.waitForURL(/notice=translationsSaved&missing=1/), page.locator('form[data-translate-sections] button[type=submit]').click()]);
      expect(await visibleKeys(page)).to.deep.equal(emptied.slice(1));
      await page.locator('#only-missing').uncheck();
      expect((await visibleKeys(page)).length).to.equal(total);
      await page.goto(`${ctx.app.base}${TRANSLATE}/${target}`);
      await screenshot(page, `translate-all-${ui}-desktop`);
      expect(await seriousViolations(page)).to.deep.equal([]);
      await page.goto(`${ctx.app.base}${TRANSLATE}`);
      await screenshot(page, `translations-overview-${ui}-desktop`);
      expect(await seriousViolations(page)).to.deep.equal([]);
      await context.close();
      // On a phone, without JavaScript: the GET form filters.
      const phone = await newPage(ctx.browser, { ...PHONE, javaScriptEnabled: false });
      await signInAgain(phone.page, ctx.app.base, `staff-translate-${ui}@library.test`);
      await phone.page.goto(`${ctx.app.base}${TRANSLATE}/${target}?hl=${ui}`);
      await phone.page.locator('#only-missing').check();
      await Promise.all([phone.page.waitForURL(/missing=1/), phone.page.locator('[data-filter-apply]').click()]);
      expect(await visibleKeys(phone.page)).to.deep.equal(emptied.slice(1));
      await screenshot(phone.page, `translate-missing-${ui}-phone-nojs`);
      await phone.context.close();
    });
  }

  for (const ui of ['en', 'ar'] as const) {
    it(`dashboard partner cards, interface in ${ui}: one invitation per topic that still misses a kind of partner; following it opens the form with type and topic chosen; axe finds nothing serious`, async () => {
      for (const size of [DESKTOP, PHONE]) {
        const { context, page } = await newPage(ctx.browser, size);
        if (size === DESKTOP) await signIn(page, ctx.app.base, 'staff', `staff-partners-${ui}@library.test`);
        else await signInAgain(page, ctx.app.base, `staff-partners-${ui}@library.test`);
        await page.goto(`${ctx.app.base}${DASHBOARD}?hl=${ui}`);
        const grid = page.locator('.partner-grid');
        await grid.scrollIntoViewIfNeeded();
        const cards = await page.locator('.partner-card').count();
        expect(cards).to.equal(5);
        const invites = page.locator('.partner-invite');
        expect(await invites.count()).to.be.within(1, cards);
        for (let i = 0; i < cards; i++) expect(await page.locator('.partner-card').nth(i).locator('.partner-invite').count()).to.be.at.most(1);
        if (size === PHONE) await page.locator('.partner-card:has(.partner-invite)').last().screenshot({ path: `${SCREENSHOTS}/partner-card-${ui}-phone.png` });
        else await grid.screenshot({ path: `${SCREENSHOTS}/partner-cards-${ui}-desktop.png` });
        if (size === DESKTOP) {
          expect(await seriousViolations(page)).to.deep.equal([]);
          const link = invites.first().locator('a');
          const href = (await link.getAttribute('href'))!;
          const type = new URL(href, ctx.app.base).searchParams.get('type')!;
          const topic = new URL(href, ctx.app.base).searchParams.get('topic')!;
          expect((await link.textContent())!.trim()).to.equal(getCatalog().texts[ui].invites[type]);
          await Promise.all([page.waitForURL(/\/staff\/partners\/new/), link.click()]);
          expect(await page.locator('#p-type').inputValue()).to.equal(type);
          expect(await page.locator(`#p-topic-${topic}`).isChecked()).to.equal(true);
          await page.locator('#p-name').fill(ui === 'en' ? 'Adams Street Senior Center' : 'مركز كبار السن في الحي');
          await Promise.all([page.waitForURL(/saved=1/), page.locator('form.partner-form button[type=submit]').click()]);
          await screenshot(page, `partner-added-${ui}-desktop`);
        }
        await context.close();
      }
    });
  }
});
