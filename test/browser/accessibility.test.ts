import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { LANGUAGE_CODES } from '../../surveys/languages.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
import { seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { DESKTOP, newPage, PHONE, screenshot, seriousViolations, signIn, TABLET, useBrowserApp } from './browser.js';
import { thanksTitle } from './survey-steps.js';

describe('browser: accessibility (axe-core, serious and critical) and keyboard-only use', function () {
  const ctx = useBrowserApp(async () => {
    await seedBuiltInSurveys();
    await seedDemoSurvey({ count: 400, seed: 11, days: 60, end: new Date() });
  });
  // Closed with the browser.
  let staff: { context: BrowserContext; page: Page };
  before(async () => {
    staff = await newPage(ctx.browser, DESKTOP);
    await signIn(staff.page, ctx.app.base, 'staff', 'staff-a11y@library.test');
  });

  async function expectNoSeriousViolations(page: Page, url: string, shot?: string, allowed: string[] = []): Promise<void> {
    await page.goto(`${ctx.app.base}${url}`);
    await page.waitForLoadState('load');
    if (shot) await screenshot(page, shot);
    const violations = await seriousViolations(page, allowed);
    expect(violations, `${url}\n  ${violations.join('\n  ')}`).to.deep.equal([]);
  }

  it('has a CJK font, so Chinese renders as text rather than boxes (Debian: fonts-noto-cjk)', function () {
    let families = '';
    try {
      families = execFileSync('fc-list', [':lang=zh-cn', 'family'], { encoding: 'utf8' }).trim();
    } catch {
      // no fontconfig at all: same answer as no font
    }
    if (!families) {
      if (process.env.CI) throw new Error('no CJK font: install fonts-noto-cjk (Chinese pages would show boxes)');
      this.skip();
    }
  });

  for (const lang of LANGUAGE_CODES) {
    it(`the respondent form in ${lang} (phone) has no serious or critical violations`, async () => {
      const { context, page } = await newPage(ctx.browser, PHONE);
      await expectNoSeriousViolations(page, `/s/community-needs?lang=${lang}`, `phone-form-${lang}`);
      await context.close();
    });
  }

  it('the respondent form on a desktop, with an error shown, has no serious or critical violations', async () => {
    const { context, page } = await newPage(ctx.browser, DESKTOP);
    await page.goto(`${ctx.app.base}/s/community-needs?lang=en`);
    await screenshot(page, 'desktop-form-en');
    await page.locator('[data-next]').click();
    await page.locator('.error-summary').waitFor();
    const violations = await seriousViolations(page);
    expect(violations, violations.join('\n')).to.deep.equal([]);
    await context.close();
  });

  it('the kiosk start screen, form and thank-you page (tablet) have no serious or critical violations', async () => {
    const { context, page } = await newPage(ctx.browser, TABLET);
    await expectNoSeriousViolations(page, '/kiosk/community-needs?location=Main%20Branch');
    await expectNoSeriousViolations(page, '/kiosk/community-needs/answer?lang=en&location=Main%20Branch');
    await expectNoSeriousViolations(page, '/kiosk/community-needs/thanks?lang=es&location=Main%20Branch', 'tablet-kiosk-thanks-direct-es');
    await context.close();
  });

  it('the thank-you page (phone) has no serious or critical violations', async () => {
    const { context, page } = await newPage(ctx.browser, PHONE);
    await expectNoSeriousViolations(page, '/s/community-needs/thanks?lang=en', 'phone-thanks-en');
    await context.close();
  });

  it('the sign-in page has no serious or critical violations', async () => {
    const { context, page } = await newPage(ctx.browser, DESKTOP);
    await expectNoSeriousViolations(page, '/login');
    await context.close();
  });

  it('the dashboard (also with its open answers loaded), the open answers page, the board summary and the poster have no serious or critical violations', async () => {
    const { page } = staff;
    await expectNoSeriousViolations(page, '/staff/surveys/community-needs-demo');
    // Again once the open answers have been loaded into it.
    await page.locator('#open-text .open-text-body table').first().waitFor();
    expect(await seriousViolations(page, [])).to.deep.equal([]);
    await expectNoSeriousViolations(page, '/staff/surveys/community-needs-demo/open-text?lang=es', 'desktop-open-text');
    await expectNoSeriousViolations(page, '/reports/community-needs-demo/summary');
    await expectNoSeriousViolations(page, '/staff/surveys/community-needs-demo/poster', 'desktop-poster');
  });

  it('the dashboard on a phone is readable (screenshot) and has no serious or critical violations', async () => {
    const context = await ctx.browser.newContext({ ...PHONE, bypassCSP: true, storageState: await staff.context.storageState() });
    const page = await context.newPage();
    await expectNoSeriousViolations(page, '/staff/surveys/community-needs-demo', 'phone-dashboard');
    await context.close();
  });

  it('completes the survey with the keyboard only (Tab, Space, arrows, Enter) and reaches the thank-you page', async () => {
    const { context, page } = await newPage(ctx.browser, DESKTOP);
    await page.goto(`${ctx.app.base}/s/community-needs?lang=en`);
    // The ranking is enhanced at once but shown only when two topics are chosen (rankFrom).
    await page.locator('.rank-ui').waitFor({ state: 'attached' });
    const focused = (): Promise<string> => page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? `${el.tagName.toLowerCase()}#${el.id}.${el.className}[${el.getAttribute('data-key') ?? ''}]` : '';
    });
    /** Presses Tab until the focused element matches, failing after `max` presses. */
    const tabTo = async (matches: (f: string) => boolean, max = 120): Promise<void> => {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        if (matches(await focused())) return;
      }
      throw new Error(`Tab never reached the element (last: ${await focused()})`);
    };
    await tabTo((f) => f.startsWith('input#q-interests-job-skills'));
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    // A third topic, so there are three to rank (the ranking offers only the chosen ones).
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.locator('#q-interests input:checked').count()).to.equal(3);
    // Next with the keyboard: focus lands on "Page 2 of 4".
    const next = async (index: number): Promise<void> => {
      await tabTo((f) => f.startsWith('button#.button button--primary'));
      await page.keyboard.press('Enter');
      await page.locator(`section.form-page[data-page="${index}"]:not([hidden])`).waitFor();
      expect(await focused()).to.contain('form-progress__text');
    };
    await next(1);
    for (let i = 0; i < 3; i++) {
      if (i === 0) await tabTo((f) => f.includes(':add]'));
      expect(await focused()).to.contain(':add]');
      await page.keyboard.press('Enter');
    }
    expect(await page.locator('.rank-ui__chosen .rank-ui__number').count()).to.equal(3);
    await next(2);
    // A radio group: Tab into it, arrow to the next point.
    await tabTo((f) => f.startsWith('input#q-satisfaction-'));
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#q-satisfaction input:checked').count()).to.equal(1);
    await next(3);
    await tabTo((f) => f.startsWith('button#.button button--primary'));
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/thanks')), page.keyboard.press('Enter')]);
    expect((await page.textContent('h1'))?.trim()).to.equal(thanksTitle('en'));
    const stored = await ResponseModel.find({ surveySlug: 'community-needs' }).lean();
    expect(stored).to.have.length(1);
    expect((stored[0]!.answers as { priorities: string[] }).priorities).to.have.length(3);
    await context.close();
  });
});
