import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { FaultHarness, sleep } from './harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('kiosk offline queue in a real browser', function () {
  this.timeout(600000);
  const h = new FaultHarness();
  let browser: Browser | undefined;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI) throw new Error(`Chromium is missing at ${CHROMIUM}; .ci/run installs it`);
      this.skip();
    }
    await h.setUp();
    await h.startApp();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => {
    await browser?.close();
    await h.tearDown();
  });

  it('takes the server away while a kiosk submits three responses, brings it back, and all three arrive exactly once', async () => {
    const context = await browser!.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${h.base}/kiosk/community-needs/answer?lang=es&location=Main%20Branch`);
    // The form's script has taken over: its pages turn on the tablet.
    await page.waitForSelector('section.form-page[data-page="0"]');
    await page.waitForSelector('[data-next]');

    await h.killApp('SIGKILL'); // the server goes away; the page stays on the tablet

    const sids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const sid = await page.inputValue('input[name=sid]');
      sids.push(sid);
      // Two topics, so the ranking (of the topics chosen) is asked.
      await page.check('#q-interests-job-skills');
      await page.check('#q-interests-coding-tech');
      // The pages turn on the tablet itself: no server needed until the last one is sent.
      await page.click('[data-next]');
      await page.locator('.rank-ui__pool button').nth(i % 2).tap();
      await page.click('[data-next]');
      await page.click('[data-next]');
      await page.click('[data-send]');
      await page.waitForSelector('#saved-on-device:not([hidden])');
      // The next person starts from nothing, with a new submission id.
      await page.waitForFunction((old) => (document.querySelector('input[name=sid]') as HTMLInputElement).value !== old, sid);
      expect(await page.locator('#survey-form input:checked').count()).to.equal(0);
      expect(await page.locator('.rank-ui__chosen .rank-ui__number').count()).to.equal(0);
      expect(await page.locator('section.form-page[data-page="0"]').isVisible()).to.equal(true);
    }
    expect(new Set(sids).size).to.equal(3);
    await page.waitForSelector('[data-queue-count]:not([hidden])');
    expect(await page.textContent('[data-queue-count]')).to.contain('3');

    await sleep(1000);
    await h.startApp(); // the server comes back: the queue sends itself (backoff), one at a time

    await page.waitForSelector('[data-queue-count][hidden]', { state: 'attached', timeout: 180000 });
    await h.client!.connect();
    const stored = await h.client!.db().collection('responses').find({ submissionId: { $in: sids } }).toArray();
    expect(stored.map((d) => d.submissionId).sort()).to.deep.equal([...sids].sort());
    expect(stored.every((d) => d.channel === 'kiosk' && d.lang === 'es' && d.location === 'Main Branch')).to.equal(true);
    await context.close();
  });
});
