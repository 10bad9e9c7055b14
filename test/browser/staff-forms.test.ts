import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_SLUG, seedDemoPartners, seedDemoSurvey } from '../../surveys/demo.service.js';
import { PartnerModel } from '../../surveys/partner.model.js';
import { findSurvey } from '../../surveys/survey.service.js';
import { buildTestApp } from '../helpers/app.js';
import { concretePath, listRoutes } from '../helpers/routes.js';
import { DESKTOP, newPage, screenshot, seriousViolations, signIn, useBrowserApp } from './browser.js';

/** The look every text-like control shares with a text input (app.css), read from the browser. */
interface ControlStyle {
  where: string;
  border: string;
  radius: string;
  height: number;
  font: string;
}

/** Every visible input (not buttons, boxes or hidden), select and textarea on the page, with its computed look. */
async function controlStyles(page: Page): Promise<ControlStyle[]> {
  return page.evaluate(() => {
    const skip = new Set(['hidden', 'checkbox', 'radio', 'submit', 'button', 'reset', 'image', 'range', 'color']);
    const out: { where: string; border: string; radius: string; height: number; font: string }[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('input, select, textarea'))) {
      if (el instanceof HTMLInputElement && skip.has(el.type)) continue;
      const box = el.getBoundingClientRect();
      if (!box.width || !box.height || el.closest('[hidden]')) continue;
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden') continue;
      const invalid = el.getAttribute('aria-invalid') === 'true';
      const type = el instanceof HTMLInputElement ? el.type : el.tagName.toLowerCase();
      out.push({
        where: `${type}#${el.id || el.getAttribute('name')}`,
        // An invalid control's border is red on purpose; a file input's may be dashed (a drop area).
        border: `${s.borderTopWidth} ${type === 'file' ? 'solid' : s.borderTopStyle} ${invalid ? '(error)' : s.borderTopColor}`,
        radius: s.borderTopLeftRadius,
        height: Math.round(box.height),
        font: `${s.fontFamily} ${s.fontSize}`,
      });
    }
    return out;
  });
}

/** Pages that answer a file (CSV, PDF, images, JSON) rather than HTML. */
const NOT_HTML = /(export|\.json|\.pdf|\.png|\.svg|\.csv|\/poster)$/;

describe('browser: every staff page styles its form controls alike, and axe finds nothing serious', function () {
  const ctx = useBrowserApp(async () => {
    await seedDemoSurvey({ count: 150, seed: 5, days: 30, end: new Date() });
    await seedDemoPartners(new Date());
  });

  it('/setup (the first page an administrator sees): the name, email and both password fields look the same, at least 44 px tall', async () => {
    const { context, page } = await newPage(ctx.browser, DESKTOP);
    await page.goto(`${ctx.app.base}/setup`);
    await screenshot(page, 'setup-desktop');
    const styles = await controlStyles(page);
    expect(styles.map((s) => s.where)).to.deep.equal(['text#name', 'email#email', 'password#password', 'password#confirm']);
    for (const s of styles) {
      expect({ ...s, where: '' }, s.where).to.deep.equal({ ...styles[0]!, where: '' });
      expect(s.height, s.where).to.be.at.least(44);
    }
    expect(await seriousViolations(page)).to.deep.equal([]);
    await context.close();
  });

  it('every staff page (listed from the routes, at desktop width) gives each visible input, select and textarea the border, corners, font and height of a text input', async function () {
    this.timeout(600000);
    const { app } = await buildTestApp();
    const survey = (await findSurvey(DEMO_SLUG))!;
    const partner = (await PartnerModel.find({}).lean()).find((p) => p.programs.length > 0)!;
    const params = { slug: DEMO_SLUG, lang: 'es', qid: survey.definition.questions[0]!.id, id: String(partner._id), programId: String(partner.programs[0]!._id), batch: 'x', importId: 'x' };
    const paths = [...new Set(listRoutes(app).filter((r) => r.method === 'GET' && /^\/(staff|reports)\//.test(r.path) && !NOT_HTML.test(r.path)).map((r) => concretePath(r.path, params)))];
    expect(paths.length).to.be.greaterThan(20);
    const { context, page } = await newPage(ctx.browser, DESKTOP);
    await signIn(page, ctx.app.base, 'admin', 'admin-forms@library.test');
    await page.goto(`${ctx.app.base}/staff/account`);
    const reference = (await controlStyles(page)).find((s) => s.where.startsWith('password'))!;
    const problems: string[] = [];
    const axe: string[] = [];
    let checked = 0;
    for (const path of paths) {
      const res = await page.goto(`${ctx.app.base}${path}`);
      if (!res || res.status() !== 200 || !(res.headers()['content-type'] ?? '').includes('text/html')) continue;
      for (const s of await controlStyles(page)) {
        checked++;
        if (s.border !== reference.border || s.radius !== reference.radius || s.font !== reference.font) problems.push(`${path} ${s.where}: border ${s.border}, radius ${s.radius}, font ${s.font}`);
        if (s.height < 44) problems.push(`${path} ${s.where}: ${s.height} px tall`);
      }
      const violations = await seriousViolations(page);
      if (violations.length) axe.push(`${path}\n  ${violations.join('\n  ')}`);
    }
    await context.close();
    expect(checked).to.be.greaterThan(50);
    expect(problems, `reference: ${JSON.stringify(reference)}\n${problems.join('\n')}`).to.deep.equal([]);
    expect(axe, axe.join('\n')).to.deep.equal([]);
  });
});
