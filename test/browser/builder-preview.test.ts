import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { SurveyModel } from '../../surveys/survey.model.js';
import { buildSurvey, pagedDefinition } from '../fixtures/builders.js';
import { DESKTOP, newPage, PHONE, screenshot, seriousViolations, signIn, useBrowserApp } from './browser.js';

const EDIT = '/staff/surveys/test-survey/edit';
const QUESTION = `${EDIT}/questions/interests`;

async function expectAxeClean(page: Page, what: string): Promise<void> {
  const violations = await seriousViolations(page);
  expect(violations, `${what}\n  ${violations.join('\n  ')}`).to.deep.equal([]);
}

describe('browser: the builder’s preview and editing in place', function () {
  const ctx = useBrowserApp(() => buildSurvey(pagedDefinition()));

  for (const hl of ['en', 'ar'] as const) {
    it(`(${hl}) typing in the question editor updates the phone-width preview, Spanish shows the Spanish page, a problem is listed beside it, and axe finds nothing serious`, async () => {
      const { context, page } = await newPage(ctx.browser, DESKTOP);
      await signIn(page, ctx.app.base, 'staff', `preview-${hl}@library.test`);
      await page.goto(`${ctx.app.base}${QUESTION}?hl=${hl}`);
      const frame = page.frameLocator('.preview-panel iframe');
      await expect(await frame.locator('#q-interests legend').textContent()).to.contain('Interests?');
      expect(await page.locator('[data-preview-button]').isHidden(), 'the no-JS button gives way to the live preview').to.equal(true);
      const box = await page.locator('.preview-panel iframe').boundingBox();
      expect(box!.width).to.be.within(380, 392);

      await page.fill('#label', 'What would you like to learn at the library?');
      await page.fill('#o2_label', 'Nothing right now');
      await frame.locator('#q-interests legend', { hasText: 'What would you like to learn at the library?' }).waitFor();
      await frame.locator('label[for="q-interests-none"]', { hasText: 'Nothing right now' }).waitFor();

      await page.selectOption('#previewLang', 'es');
      await frame.locator('html[lang="es"]').waitFor({ state: 'attached' });
      expect(await frame.locator('#q-interests legend').textContent()).to.contain('¿Intereses?');
      expect(await frame.locator('label[for="q-interests-none"]').textContent()).to.equal('Nothing right now'); // untranslated: the source text
      expect(await page.locator('[data-preview-note]').isVisible()).to.equal(true);
      await screenshot(page, `builder-question-preview-${hl}-desktop`);

      await page.fill('#label', '');
      await page.locator('[data-preview-problems]:not([hidden]) li').first().waitFor();
      expect(await page.locator('.preview-panel--stale').count()).to.equal(1);
      await expectAxeClean(page, `question editor (${hl})`);
      // Nothing was saved by previewing.
      expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft).to.equal(undefined);
      await context.close();
    });
  }

  it('(ar, phone) the question editor with its preview at phone width, and the Arabic respondent page in the frame', async () => {
    const { context, page } = await newPage(ctx.browser, PHONE);
    await signIn(page, ctx.app.base, 'staff', 'preview-phone@library.test');
    await page.goto(`${ctx.app.base}${EDIT}/questions/children?hl=ar`);
    const frame = page.frameLocator('.preview-panel iframe');
    await frame.locator('#q-children').waitFor();
    // The frame shows the question (the third on its page) without scrolling the staff page to it.
    await page.waitForFunction(() => (document.querySelector<HTMLIFrameElement>('.preview-panel iframe')!.contentDocument!.scrollingElement!.scrollTop > 0));
    expect(await page.evaluate(() => window.scrollY)).to.equal(0);
    await page.selectOption('#previewLang', 'ar');
    await frame.locator('html[dir="rtl"]').waitFor({ state: 'attached' });
    expect(await frame.locator('#q-children legend').textContent()).to.contain('Children?'); // not translated: the source text
    expect(await frame.locator('label[for="q-children-yes"]').textContent()).to.equal('Yes');
    await screenshot(page, 'builder-question-preview-ar-phone');
    await page.locator('.preview-panel').screenshot({ path: 'test-results/screenshots/builder-question-preview-ar-phone-panel.png' });
    await expectAxeClean(page, 'question editor, phone (ar)');
    await context.close();
  });

  it('without JavaScript, "Preview my changes" opens the typed question in a new tab, in the chosen language', async () => {
    const { context, page } = await newPage(ctx.browser, { ...DESKTOP, javaScriptEnabled: false });
    await signIn(page, ctx.app.base, 'staff', 'preview-nojs@library.test');
    await page.goto(`${ctx.app.base}${QUESTION}`);
    await page.fill('#label', 'Typed without JavaScript');
    await page.selectOption('#previewLang', 'en');
    const [tab] = await Promise.all([context.waitForEvent('page'), page.click('[data-preview-button]')]);
    await tab!.waitForLoadState('load');
    expect(await tab!.frameLocator('iframe.preview-frame').locator('#q-interests legend').textContent()).to.contain('Typed without JavaScript');
    await screenshot(tab!, 'builder-question-preview-nojs');
    expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft).to.equal(undefined);
    await context.close();
  });

  for (const hl of ['en', 'ar'] as const) {
    it(`(${hl}) editing a question in place saves without leaving the survey page, shows a problem beside its field, and axe finds nothing serious`, async () => {
      const { context, page } = await newPage(ctx.browser, DESKTOP);
      await signIn(page, ctx.app.base, 'staff', `inline-${hl}@library.test`);
      await page.goto(`${ctx.app.base}${EDIT}?hl=${hl}`);
      const item = page.locator('#q-children');
      await item.locator('details[data-inline-edit] > summary').click();
      await screenshot(page, `builder-survey-page-${hl}`);
      await item.locator('#qi-children-label').fill('Do you have children at home?');
      await item.locator('#qi-children-o0_label').fill('Yes, at home');
      const url = page.url();
      expect(await page.locator('[data-draft-actions]').isHidden(), 'no draft yet: nothing to publish').to.equal(true);
      await item.locator('form[data-inline-form] button[type=submit]').click();
      await item.locator('.question-item__text > a', { hasText: 'Do you have children at home?' }).waitFor();
      expect(page.url()).to.equal(url);
      expect(await page.locator('[data-draft-actions] button[type=submit]').first().isVisible(), 'the publish button appears for the new draft').to.equal(true);
      expect(await item.locator('[data-inline-status]').textContent()).to.not.equal('');
      const q = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft.questions.find((x: { id: string }) => x.id === 'children');
      expect(q.label.en).to.equal('Do you have children at home?');
      expect(q.options[0].label).to.deep.equal({ en: 'Yes, at home', es: 'Sí' });

      await item.locator('#qi-children-o1_label').fill('');
      await item.locator('form[data-inline-form] button[type=submit]').click();
      await item.locator('#qi-children-o1_label-error').waitFor();
      expect(await item.locator('#qi-children-o1_label').getAttribute('aria-invalid')).to.equal('true');
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('qi-children-o1_label');
      await item.screenshot({ path: `test-results/screenshots/builder-inline-${hl}.png` });
      await expectAxeClean(page, `survey page with a question open (${hl})`);
      await SurveyModel.updateOne({ slug: 'test-survey' }, { $unset: { draft: 1 } });
      await context.close();
    });
  }

  for (const [hl, options, size] of [['en', DESKTOP, 'desktop'], ['ar', PHONE, 'phone'], ['en', PHONE, 'phone']] as const) {
    it(`(${hl}, ${size}) the whole-survey preview shows every page in Spanish, sized to its content, and axe finds nothing serious`, async () => {
      const { context, page } = await newPage(ctx.browser, options);
      await signIn(page, ctx.app.base, 'staff', `whole-${hl}-${size}@library.test`);
      await page.goto(`${ctx.app.base}${EDIT}?hl=${hl}`);
      await page.click('#questions a[href$="/preview"]');
      await page.selectOption('#language', 'es');
      await Promise.all([page.waitForURL(/language=es/), page.click('.preview-controls button[type=submit]')]);
      expect(await page.locator('iframe.preview-frame').count()).to.equal(3);
      const titles = await Promise.all([0, 1, 2].map((i) => page.frameLocator('iframe.preview-frame').nth(i).locator('.form-page:not([hidden]) .form-page__title').count()));
      expect(titles).to.deep.equal([1, 1, 0]);
      expect(await page.frameLocator('iframe.preview-frame').first().locator('html').getAttribute('lang')).to.equal('es');
      // Each frame is as tall as its page (the script sizes it), so nothing is cut off.
      const heights = await page.$$eval('iframe.preview-frame', (frames) => (frames as HTMLIFrameElement[]).map((f) => [f.clientHeight, f.contentDocument!.documentElement.scrollHeight]));
      for (const [shown, content] of heights) expect(shown).to.be.at.least(content! - 2);
      await screenshot(page, `builder-survey-preview-${hl}-${size}`);
      await expectAxeClean(page, `whole-survey preview (${hl}, ${size})`);
      await context.close();
    });
  }
});
