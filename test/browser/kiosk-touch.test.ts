import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { formValuesFrom, saveLogo, saveSettings } from '../../surveys/settings.service.js';
import { seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { PLAIN_SVG } from '../fixtures/images.js';
import { newPage, screenshot, TABLET, useBrowserApp } from './browser.js';
import { answerPage, CHOICES_BY_PAGE, choose, nextPage, rankByTap } from './survey-steps.js';

const TAP = 44;
const START = '/kiosk/community-needs?location=Main%20Branch';

/**
 * Every control a person can reach on the page (links, buttons, form fields, anything focusable)
 * that is shown, with its size. The honeypot is left out: it is hidden from people and from the
 * tab order (aria-hidden, tabindex -1) and is only there for bots.
 */
async function smallControls(page: Page): Promise<string[]> {
  return page.evaluate((tap) => {
    const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"]), [role="button"]';
    return Array.from(document.querySelectorAll<HTMLElement>(selector))
      .filter((el) => !(el.closest('[aria-hidden="true"]') && el.tabIndex < 0))
      .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width < tap || box.height < tap)
      .map(({ el, box }) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40)}": ${box.width.toFixed(0)} × ${box.height.toFixed(0)}`);
  }, TAP);
}

describe('browser: the kiosk is made for touch (every control at least 44 × 44 px on a tablet)', function () {
  const ctx = useBrowserApp(async () => {
    await seedBuiltInSurveys();
    await saveSettings(formValuesFrom({ libraryName: 'Riverside Public Library', thankYouUrl: '', kioskIdleSeconds: '90', kioskLocations: 'Main Branch', defaultLanguages: ['en', 'es', 'zh-Hans', 'vi', 'ht', 'ar'] }));
    await saveLogo({ buffer: Buffer.from(PLAIN_SVG), kind: 'svg' });
  });

  it('start screen: the library name and logo from Settings, and no control under 44 × 44', async () => {
    const { context, page } = await newPage(ctx.browser, TABLET);
    await page.goto(`${ctx.app.base}${START}`);
    const logo = page.locator('img.kiosk-start__logo');
    expect(await logo.getAttribute('src')).to.match(/^\/branding\/logo\?v=/);
    expect(await logo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).to.be.greaterThan(0);
    expect((await page.textContent('.kiosk-start__library'))?.trim()).to.equal('Riverside Public Library');
    expect(await smallControls(page)).to.deep.equal([]);
    await screenshot(page, 'tablet-kiosk-start-logo');
    await context.close();
  });

  for (const lang of ['en', 'ar']) {
    it(`form in ${lang} with JavaScript, page by page: checkboxes, radios, ranking buttons, fields, Back and Next, language, Listen and countdown buttons all at least 44 × 44`, async () => {
      const { context, page } = await newPage(ctx.browser, TABLET);
      // A voice for every language, so the Listen buttons are there to be measured as well.
      await context.addInitScript({ content: `window.speechStubOptions = ${JSON.stringify({ voices: [{ name: 'Test', lang }] })};` });
      await context.addInitScript({ path: new URL('./speech-stub.js', import.meta.url).pathname });
      await page.goto(`${ctx.app.base}/kiosk/community-needs/answer?lang=${lang}&location=Main%20Branch`);
      // The ranking is enhanced at once but shown only once two topics are chosen (rankFrom).
      await page.locator('.rank-ui').waitFor({ state: 'attached' });
      await page.locator('.listen-button').first().waitFor();
      expect(await smallControls(page)).to.deep.equal([]);
      // Every page answered in turn: Next and Back, the ranking's move and remove buttons, the revealed follow-up question.
      for (let i = 0; i < CHOICES_BY_PAGE.length; i++) {
        if (i > 0) await nextPage(page, i, { tap: true });
        await answerPage(page, i, 'More evening classes', { tap: true, rank: rankByTap });
        if (i === 1) expect(await page.locator('.rank-ui__chosen .icon-button').count()).to.be.greaterThan(0);
        expect(await smallControls(page), `page ${i + 1}`).to.deep.equal([]);
      }
      await screenshot(page, `tablet-kiosk-form-touch-${lang}`);
      // The "Are you still there?" countdown's two buttons, shown as after a long pause.
      await page.evaluate(() => document.querySelector('[data-idle-dialog]')?.removeAttribute('hidden'));
      expect(await page.locator('[data-idle-stay]').isVisible()).to.equal(true);
      expect(await smallControls(page)).to.deep.equal([]);
      await context.close();
    });
  }

  it('form without JavaScript (pages by posts, one select per ranking place): no control under 44 × 44 on page 1 or on the ranking page', async () => {
    const { context, page } = await newPage(ctx.browser, { ...TABLET, javaScriptEnabled: false });
    await page.goto(`${ctx.app.base}/kiosk/community-needs/answer?lang=es&location=Main%20Branch`);
    expect(await smallControls(page)).to.deep.equal([]);
    // Page 2 (a post): the ranking's selects list the topics chosen on page 1.
    await choose(page, CHOICES_BY_PAGE[0]!);
    await nextPage(page, 1);
    expect(await page.locator('#q-priorities .ranking__places select').count()).to.equal(3);
    expect(await smallControls(page)).to.deep.equal([]);
    await context.close();
  });

  it('thank-you page: the countdown back to the start is still there, and no control under 44 × 44', async () => {
    const { context, page } = await newPage(ctx.browser, TABLET);
    await page.goto(`${ctx.app.base}/kiosk/community-needs/thanks?lang=vi&location=Main%20Branch`);
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-return-message]')?.textContent ?? ''));
    expect(await page.getAttribute('[data-kiosk-thanks]', 'data-seconds')).to.equal('15');
    expect(await smallControls(page)).to.deep.equal([]);
    await context.close();
  });
});
