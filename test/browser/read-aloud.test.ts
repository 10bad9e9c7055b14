import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { fromRoot } from '../../server/paths.js';
import { seedBuiltInSurveys } from '../../surveys/survey.service.js';
import { newPage, PHONE, screenshot, SCREENSHOTS, seriousViolations, TABLET, useBrowserApp } from './browser.js';
import { nextPage } from './survey-steps.js';

interface StubVoice {
  name: string;
  lang: string;
  default?: boolean;
}
interface Spoken {
  text: string;
  lang: string;
  voice: string | null;
}
interface StubOptions {
  voices: StubVoice[];
  /** Voices listed only after "voiceschanged", as Chrome does on a first visit. */
  late?: boolean;
  /** No speech synthesis at all (an old or locked-down browser). */
  absent?: boolean;
}

/** Replaces the page's speech synthesis with one that records what it was asked to say (speech-stub.js). */
const STUB = fromRoot('test', 'browser', 'speech-stub.js');

const VOICES: StubVoice[] = [
  { name: 'Test English', lang: 'en-US', default: true },
  { name: 'Test Spanish', lang: 'es_ES' },
  { name: 'Test Arabic', lang: 'ar-SA' },
  { name: 'Test Cantonese', lang: 'zh-HK' },
  { name: 'Test Mandarin', lang: 'zh-CN' },
  { name: 'Test Vietnamese', lang: 'vi-VN' },
];

const listenLabel = (lang: string): string => (JSON.parse(readFileSync(fromRoot('server', 'locales', lang, 'common.json'), 'utf8')) as { form: { listen: string } }).form.listen;
const spoken = (page: Page): Promise<Spoken[]> => page.evaluate(() => (window as unknown as { spoken: Spoken[] }).spoken);
const pressed = (page: Page, questionId: string): Promise<string | null> => page.getAttribute(`#q-${questionId} .listen-button`, 'aria-pressed');

/**
 * Page `index` (0-based) of the template's four, reached as a person would: one topic chosen on
 * page 1 (with one, the ranking on page 2 is not asked), then Next.
 */
async function toPage(page: Page, index: number): Promise<void> {
  await page.locator('#q-interests-job-skills').check();
  for (let i = 1; i <= index; i++) await nextPage(page, i);
}

describe('browser: read aloud ("Listen to this question")', function () {
  const ctx = useBrowserApp(() => seedBuiltInSurveys());
  let context: BrowserContext;
  afterEach(async () => context?.close());

  async function open(path: string, stub: StubOptions, options = PHONE): Promise<Page> {
    const made = await newPage(ctx.browser, options);
    context = made.context;
    await context.addInitScript({ content: `window.speechStubOptions = ${JSON.stringify(stub)};` });
    await context.addInitScript({ path: STUB });
    await made.page.goto(`${ctx.app.base}${path}`);
    await made.page.waitForLoadState('load');
    return made.page;
  }

  it('English page with an English voice: one real button per question, labelled "Listen to this question"; it reads the question and every option in en-US', async () => {
    const page = await open('/s/community-needs?lang=en', { voices: VOICES });
    await page.locator('.listen-button').first().waitFor();
    const questions = await page.locator('#survey-form .question').count();
    expect(await page.locator('#survey-form .question .listen-button').count()).to.equal(questions);
    await toPage(page, 1);
    const button = page.locator('#q-times .listen-button');
    expect(await button.evaluate((b) => [b.tagName, (b as HTMLButtonElement).type])).to.deep.equal(['BUTTON', 'button']);
    expect((await button.textContent())?.trim()).to.equal(listenLabel('en'));
    expect(await pressed(page, 'times')).to.equal('false');

    await button.tap();
    expect(await pressed(page, 'times')).to.equal('true');
    await button.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/phone-listen-en.png` });
    const said = await spoken(page);
    const optionLabels = await page.locator('#q-times .choice > label').allTextContents();
    // The question first, then each option in order, each its own utterance.
    expect(said.slice(-optionLabels.length).map((s) => s.text)).to.deep.equal(optionLabels.map((l) => l.replace(/\s+/g, ' ').trim()));
    expect(said[0]!.text).to.contain('When could you come to a program?');
    expect(said.every((s) => s.lang === 'en-US' && s.voice === 'Test English')).to.equal(true);

    // The reading ends by itself: the button is no longer pressed.
    await page.evaluate(() => (window as unknown as { finishSpeaking: () => void }).finishSpeaking());
    expect(await pressed(page, 'times')).to.equal('false');
  });

  it('pressing the same button again stops the reading; starting another question stops the first', async () => {
    const page = await open('/s/community-needs?lang=en', { voices: VOICES });
    await toPage(page, 2);
    await page.locator('#q-satisfaction .listen-button').click();
    expect(await pressed(page, 'satisfaction')).to.equal('true');
    const scale = (await spoken(page)).map((s) => s.text);
    expect(scale).to.include('1 Not at all');

    await page.locator('#q-satisfaction .listen-button').click();
    expect(await pressed(page, 'satisfaction')).to.equal('false');
    expect(await page.evaluate(() => (window as unknown as { cancels: number }).cancels)).to.be.greaterThan(0);

    // Two questions on the same page (page 4): the second stops the first.
    await nextPage(page, 3);
    await page.locator('#q-visits .listen-button').click();
    await page.locator('#q-age .listen-button').click();
    expect(await pressed(page, 'visits')).to.equal('false');
    expect(await pressed(page, 'age')).to.equal('true');
    const last = (await spoken(page)).at(-1)!;
    expect(last.text).to.equal((await page.locator('#q-age .choice > label').last().textContent())!.trim());
  });

  it('is a keyboard control: in the tab order, Enter starts it and Space stops it', async () => {
    const page = await open('/s/community-needs?lang=en', { voices: VOICES });
    await toPage(page, 3);
    const button = page.locator('#q-age .listen-button');
    expect(await button.evaluate((b) => (b as HTMLButtonElement).tabIndex)).to.equal(0);
    await button.focus();
    await page.keyboard.press('Enter');
    expect(await pressed(page, 'age')).to.equal('true');
    await page.keyboard.press('Space');
    expect(await pressed(page, 'age')).to.equal('false');
  });

  it('Spanish page: "Escuchar esta pregunta", read with the Spanish voice in es-ES (an "es_ES" voice name is normalized)', async () => {
    const page = await open('/s/community-needs?lang=es', { voices: VOICES });
    await toPage(page, 3);
    const button = page.locator('#q-household .listen-button');
    expect((await button.textContent())?.trim()).to.equal(listenLabel('es'));
    await button.click();
    const said = await spoken(page);
    expect(said.length).to.be.greaterThan(0);
    expect(said.every((s) => s.lang === 'es-ES' && s.voice === 'Test Spanish')).to.equal(true);
    expect(said[0]!.text).to.contain('¿Cuántas personas viven en su casa');
  });

  it('Chinese page: a Mandarin voice (zh-CN) is chosen over a Cantonese one (zh-HK)', async () => {
    const page = await open('/s/community-needs?lang=zh-Hans', { voices: VOICES });
    await toPage(page, 3);
    await page.locator('#q-age .listen-button').click();
    expect((await spoken(page)).every((s) => s.lang === 'zh-CN' && s.voice === 'Test Mandarin')).to.equal(true);
  });

  it('Haitian Creole page and no Haitian Creole voice: no Listen button at all', async () => {
    const page = await open('/s/community-needs?lang=ht', { voices: VOICES });
    await page.locator('#survey-form').waitFor();
    await page.waitForFunction(() => document.readyState === 'complete');
    expect(await page.locator('.listen-button').count()).to.equal(0);
  });

  it('a browser without speech synthesis: no Listen button, and the form is otherwise unchanged', async () => {
    const page = await open('/s/community-needs?lang=en', { voices: [], absent: true });
    await page.locator('.rank-ui').waitFor({ state: 'attached' });
    expect(await page.locator('.listen-button').count()).to.equal(0);
  });

  it('voices listed late (after "voiceschanged"): the buttons appear then', async () => {
    const page = await open('/s/community-needs?lang=vi', { voices: VOICES, late: true });
    await page.locator('.rank-ui').waitFor({ state: 'attached' });
    expect(await page.locator('.listen-button').count()).to.equal(0);
    await page.evaluate(() => (window as unknown as { listVoices: () => void }).listVoices());
    expect(await page.locator('#q-age .listen-button').textContent()).to.contain(listenLabel('vi'));
  });

  it('kiosk in Arabic: the button reads in ar-SA, is at least 44 × 44 px, and axe finds nothing serious on the page', async () => {
    const page = await open('/kiosk/community-needs/answer?lang=ar', { voices: VOICES }, TABLET);
    await toPage(page, 3);
    const button = page.locator('#q-visits .listen-button');
    expect((await button.textContent())?.trim()).to.equal(listenLabel('ar'));
    const box = (await button.boundingBox())!;
    expect(box.width).to.be.at.least(44);
    expect(box.height).to.be.at.least(44);
    await button.tap();
    expect((await spoken(page)).every((s) => s.lang === 'ar-SA')).to.equal(true);
    await screenshot(page, 'tablet-kiosk-listen-ar');
    expect(await seriousViolations(page)).to.deep.equal([]);
  });
});
