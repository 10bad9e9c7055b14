import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import type request from 'supertest';
import { DEMO_SLUG, seedDemoSurvey } from '../../surveys/demo.service.js';
import { buildTestApp } from '../helpers/app.js';
import { signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { readPdf } from '../helpers/pdf.js';

type Agent = ReturnType<typeof request.agent>;

const DASHBOARD = `/staff/surveys/${DEMO_SLUG}`;
const SUMMARY = `/reports/${DEMO_SLUG}/summary`;

const langCookie = (res: request.Response): string | undefined =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('lang='));

async function pdfOf(agent: Agent, url: string): Promise<{ res: request.Response; text: string }> {
  const res = await agent.get(url).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  }).expect(200);
  return { res, text: (await readPdf(res.body as Buffer)).text };
}

const pageLang = async (agent: Agent, url: string): Promise<string | undefined> => cheerio.load((await agent.get(url).expect(200)).text)('html').attr('lang');

describe('language is the staff member\'s choice: summaries and PDFs in another language are previews', function () {
  this.timeout(120000);
  let app: Express;

  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    await clearDatabase();
    await seedDemoSurvey({ count: 120, seed: 3, days: 20, end: new Date('2026-11-01T00:00:00Z') });
  });

  it('GET the summary with ?hl=es answers in Spanish without a lang cookie; then the dashboard and the plain PDF are still in English', async () => {
    const { agent } = await signedInAgent(app, 'board', 'preview-es@library.test');
    const summary = await agent.get(`${SUMMARY}?hl=es`).expect(200);
    expect(cheerio.load(summary.text)('html').attr('lang')).to.equal('es');
    expect(cheerio.load(summary.text)('.language-picker a[aria-current="true"]').attr('hreflang'), 'the switcher marks the interface language, not the preview').to.equal('en');
    expect(langCookie(summary), 'no language cookie from ?hl= on the summary').to.equal(undefined);
    expect(await pageLang(agent, DASHBOARD)).to.equal('en');
    const { res, text } = await pdfOf(agent, `${SUMMARY}.pdf`);
    expect(res.headers['content-disposition']).to.contain(`${DEMO_SLUG}-summary-en.pdf`);
    expect(text).to.contain('Suggested partners');
    expect(text).not.to.contain('Aliados sugeridos');
  });

  it('GET the summary PDF with ?hl=ar gives an Arabic PDF without a lang cookie; the next plain summary page is in English', async () => {
    const { agent } = await signedInAgent(app, 'board', 'preview-ar@library.test');
    const { res, text } = await pdfOf(agent, `${SUMMARY}.pdf?hl=ar&size=a4`);
    expect(res.headers['content-disposition']).to.contain(`${DEMO_SLUG}-summary-ar.pdf`);
    expect(langCookie(res)).to.equal(undefined);
    // Arabic glyphs come out of the PDF shaped (not as the letters typed): check it is not English.
    expect(text).not.to.contain('Suggested partners');
    expect(await pageLang(agent, SUMMARY)).to.equal('en');
  });

  it('picking Español in the switcher (GET /language/es?next=…) answers 303 back to the page without hl, remembers it, and a Vietnamese preview does not undo it', async () => {
    const { agent } = await signedInAgent(app, 'staff', 'picks-es@library.test');
    const $ = cheerio.load((await agent.get(`${DASHBOARD}?hl=en`).expect(200)).text);
    const pick = $('.staff-header .language-picker a[hreflang="es"]').attr('href')!;
    expect(pick).to.equal(`/language/es?next=${encodeURIComponent(DASHBOARD)}`);
    const res = await agent.get(pick).expect(303);
    expect(res.headers.location).to.equal(DASHBOARD);
    expect(langCookie(res)).to.match(/^lang=es;/);
    expect(await pageLang(agent, DASHBOARD)).to.equal('es');
    expect(await pageLang(agent, `${SUMMARY}?hl=vi`)).to.equal('vi');
    expect(await pageLang(agent, DASHBOARD)).to.equal('es');
    expect((await pdfOf(agent, `${SUMMARY}.pdf`)).res.headers['content-disposition']).to.contain('-summary-es.pdf');
  });

  it('GET /language/xx answers a 404; a next= that leaves the site (https://…, //host, /\\host) returns to /staff instead', async () => {
    const { agent } = await signedInAgent(app, 'staff', 'bad-pick@library.test');
    await agent.get('/language/xx?next=/staff').expect(404);
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      expect((await agent.get(`/language/es?next=${encodeURIComponent(next)}`).expect(303)).headers.location, next).to.equal('/staff');
    }
  });

  it('every summary and PDF link names its language: the dashboard, the survey list and the summary page (with the survey\'s other languages)', async () => {
    const { agent } = await signedInAgent(app, 'staff', 'links@library.test');
    const dash = cheerio.load((await agent.get(DASHBOARD).expect(200)).text);
    const summaryLink = dash(`.toolbar a[href^="${SUMMARY}?"]`);
    expect(summaryLink.text()).to.equal('Board summary (English)');
    expect(summaryLink.attr('href')).to.contain('hl=en');
    expect(dash(`.toolbar a[href^="${SUMMARY}.pdf"]`).text()).to.equal('Board summary (English, PDF, US Letter)');
    const list = cheerio.load((await agent.get('/staff/surveys?hl=es').expect(200)).text);
    expect(list(`a[href^="${SUMMARY}"]`).first().text()).to.equal('Resumen para la junta (Español)');
    const $ = cheerio.load((await agent.get(`${SUMMARY}?hl=es`).expect(200)).text);
    const pdfs = $('a[href*="summary.pdf"]').map((_, a) => $(a).text()).get();
    expect(pdfs).to.include.members(['Resumen para la junta (Español, PDF, Carta (EE. UU.))', 'Resumen para la junta (Español, PDF, A4)', 'Resumen para la junta (English, PDF, Carta (EE. UU.))']);
    for (const text of $('a[href*="/summary"]').map((_, a) => $(a).text()).get()) expect(text, 'names a language').to.match(/\((English|Español|简体中文|Tiếng Việt|Kreyòl ayisyen|العربية)[,)]/u);
    expect($(`.summary-languages a[hreflang="en"][href^="${SUMMARY}?"]`).attr('href')).to.contain('hl=en');
  });

  it('a respondent page with ?lang=es still remembers the respondent\'s pick (lang cookie set)', async () => {
    const { agent } = await signedInAgent(app, 'staff', 'respondent-pick@library.test');
    const res = await agent.get('/?lang=es').expect(200);
    expect(langCookie(res)).to.match(/^lang=es;/);
  });
});
