import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Express } from 'express';
import request from 'supertest';
import { addProgram } from '../../surveys/partner.service.js';
import { submitResponse } from '../../surveys/response.service.js';
import { SurveyModel } from '../../surveys/survey.model.js';
import { findSurvey } from '../../surveys/survey.service.js';
import { buildTestApp } from '../helpers/app.js';
import { csrfFrom, signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { readPdf } from '../helpers/pdf.js';
import { buildDefinition, buildSurvey } from '../fixtures/builders.js';
import { buildPartner } from '../fixtures/partners.js';

type Agent = ReturnType<typeof request.agent>;

/** What people typed, each a different trick, so a test can tell which one came through. */
const TEXT = {
  title: 'Needs <script>alert("title")</script> & "more"',
  titleEs: 'Encuesta <script>alert("es")</script>',
  question: 'Interests? <svg onload=alert("question")>',
  option: 'Coding <img src=x onerror=alert("option")>',
  demographic: 'Yes </script><script>alert("demo")</script>',
  open: '<b>bold</b> <script>alert("open")</script>',
  other: '"><iframe src=javascript:alert("other")>',
  location: 'Main <i onmouseover=alert(1)>',
  partner: 'Bakery <img src=x onerror=alert("partner")>',
  notes: 'Notes </textarea><script>alert("notes")</script>',
  program: 'Story time <a href="javascript:alert(1)">x</a>',
};
const FORMULAS = ['=HYPERLINK("http://evil.test","x")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)', '\t=1+1'];
const ALL = Object.values(TEXT);

/**
 * A page where user text is inert: no script holds an injected alert, no element carries an
 * injected event handler or javascript: link, no injected element exists, and no payload appears
 * raw in the HTML.
 */
function expectInert(html: string, where: string): cheerio.CheerioAPI {
  const $ = cheerio.load(html);
  for (const s of ALL) if (/[<>]/.test(s)) expect(html, `${where}: ${s} raw in the HTML`).to.not.contain(s);
  $('script').each((_, el) => void expect($(el).text(), `${where}: script`).to.not.contain('alert('));
  $('*').each((_, el) => {
    for (const [name, value] of Object.entries((el as unknown as { attribs: Record<string, string> }).attribs ?? {})) {
      expect(name, `${where}: injected handler on <${(el as unknown as { name: string }).name}>`).to.not.match(/^on/i);
      if (/^(href|src|action|formaction|xlink:href)$/i.test(name)) expect(value, `${where}: ${name}`).to.not.match(/^\s*javascript:/i);
    }
  });
  // The builder's preview frame is the app's own (sandboxed, no script); the page inside it must be inert too.
  const previews = $('iframe.preview-frame[sandbox="allow-same-origin"][srcdoc]');
  previews.each((_, el) => void expectInert($(el).attr('srcdoc') ?? '', `${where} (preview frame)`));
  expect($('iframe, svg[onload], img[src="x"], i[onmouseover]').length - previews.length, `${where}: injected element`).to.equal(0);
  return $;
}

/** Reads a download as raw bytes. */
async function download(agent: Agent, url: string): Promise<Buffer> {
  const res = await agent
    .get(url)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
  return res.body as Buffer;
}

const csvCells = (body: Buffer): string[] => (parse(body.toString('utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][]).flat();

/** Every text cell of every sheet, and whether any cell is a formula. */
async function xlsxCells(body: Buffer): Promise<{ texts: string[]; formulas: number }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const texts: string[] = [];
  let formulas = 0;
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) formulas++;
        if (typeof cell.value === 'string') texts.push(cell.value);
      }),
    ),
  );
  return { texts, formulas };
}

/** A formula-looking text is only ever exported with a leading apostrophe. */
function expectNeutralised(cells: string[], where: string): void {
  for (const f of FORMULAS) {
    expect(cells, `${where}: ${JSON.stringify(f)} exported as a formula`).to.not.include(f);
    expect(cells.some((c) => c === `'${f}` || c === `'${f.trim()}`), `${where}: ${JSON.stringify(f)} missing`).to.equal(true);
  }
}

describe('escaping: user text is shown as text everywhere (pages, page data, exports, the board summary and its PDF, the poster)', function () {
  this.timeout(60000);
  let app: Express;
  let admin: Agent;
  let partnerId: string;

  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    await clearDatabase();
    const base = buildDefinition();
    const questions = base.questions.map((q) => {
      if (q.id === 'interests' && q.type === 'multi') return { ...q, label: { en: TEXT.question }, options: q.options.map((o) => (o.id === 'coding-tech' ? { ...o, label: { en: TEXT.option } } : o)) };
      if (q.id === 'children' && q.type === 'single') return { ...q, options: q.options.map((o) => (o.id === 'yes' ? { ...o, label: { en: TEXT.demographic } } : o)) };
      if (q.id === 'ideas' && q.type === 'longText') return { ...q, maxLength: 500 };
      if (q.id === 'name' && q.type === 'shortText') return { ...q, maxLength: 200, label: { en: FORMULAS[0]! } };
      return q;
    });
    await buildSurvey({ title: { en: TEXT.title, es: TEXT.titleEs }, questions });
    await SurveyModel.updateOne({ slug: 'test-survey' }, { $set: { 'analysis.population': [{ question: 'children', shares: { yes: 0.4, no: 0.6 } }] } });
    const survey = (await findSurvey('test-survey'))!;
    const texts = [TEXT.open, ...FORMULAS];
    for (let i = 0; i < 36; i++) {
      const kiosk = i % 6 === 0;
      await submitResponse({
        survey,
        body: { 'q:interests': i % 4 === 0 ? ['job-skills', 'coding-tech', 'other'] : ['job-skills', 'coding-tech'], 'other:interests': i % 8 === 0 ? TEXT.other : FORMULAS[i % FORMULAS.length], 'q:ideas': texts[i % texts.length], 'q:name': FORMULAS[(i + 1) % FORMULAS.length], 'q:children': i % 3 ? 'no' : 'yes', ...(i % 3 ? {} : { 'q:grades': 'high' }) },
        submissionId: `escape-test-${String(i).padStart(8, '0')}`,
        contactKey: 'test-contact-key',
        lang: 'en',
        channel: kiosk ? 'kiosk' : 'web',
        ...(kiosk ? { location: TEXT.location } : {}),
      });
    }
    const partner = await buildPartner({ name: TEXT.partner, notes: TEXT.notes, type: 'local-businesses', topics: ['job-skills', 'coding-tech'], status: 'active' });
    partnerId = partner.id;
    await addProgram(partnerId, { date: '2026-05-01', title: TEXT.program, notes: FORMULAS[0] });
    ({ agent: admin } = await signedInAgent(app, 'admin'));
  });

  it('the dashboard (and filtered) and the open answers: every payload inert; title, answer labels, open text, location and partner name shown as typed; chart data (JSON in attributes) keeps them as plain strings', async () => {
    const $ = expectInert((await admin.get('/staff/surveys/test-survey').expect(200)).text, 'dashboard');
    const text = $('main').text();
    for (const s of [TEXT.title, TEXT.demographic, TEXT.partner, TEXT.location]) expect(text, s).to.contain(s);
    const open = expectInert((await admin.get('/staff/surveys/test-survey/open-text').expect(200)).text, 'open answers');
    expect(open('main').text()).to.contain(TEXT.open);
    const filtered = expectInert((await admin.get('/staff/surveys/test-survey?q.children=yes').expect(200)).text, 'filtered dashboard');
    expect(filtered('main').text()).to.contain(TEXT.demographic);
    const charts = $('[data-chart]').map((_, el) => JSON.parse($(el).attr('data-chart')!) as unknown).get();
    expect(charts.length).to.be.greaterThan(3);
    const data = JSON.stringify(charts);
    for (const s of [TEXT.demographic]) expect(data, `chart data: ${s}`).to.contain(JSON.stringify(s).slice(1, -1));
  });

  it('the JSON API returns the texts as JSON data, with nosniff, never as HTML', async () => {
    for (const what of ['open-text', 'summary', 'topics']) {
      const res = await admin.get(`/api/surveys/test-survey/${what}`).expect(200);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
    }
    expect(JSON.stringify((await admin.get('/api/surveys/test-survey/open-text').expect(200)).body)).to.contain(JSON.stringify(TEXT.open).slice(1, -1));
  });

  it('the board summary page: inert, with the title, the filter (an option label), representativeness and the organization shown as typed', async () => {
    const $ = expectInert((await admin.get('/reports/test-survey/summary').expect(200)).text, 'summary');
    for (const s of [TEXT.title, TEXT.demographic, TEXT.partner]) expect($('main').text(), s).to.contain(s);
    const filtered = expectInert((await admin.get('/reports/test-survey/summary?q.children=yes').expect(200)).text, 'filtered summary');
    expect(filtered('main').text()).to.contain(TEXT.demographic);
  });

  it('the board summary PDF: the same texts present literally (a PDF interprets no markup)', async () => {
    const pdf = await readPdf(await download(admin, '/reports/test-survey/summary.pdf?size=a4'));
    for (const s of [TEXT.title, TEXT.demographic, TEXT.partner]) expect(pdf.text, s).to.contain(s);
    expect((await readPdf(await download(admin, '/reports/test-survey/summary.pdf?q.children=yes'))).text).to.contain(TEXT.demographic);
    expect(pdf.info.Title).to.contain(TEXT.title);
  });

  it('the poster (English and Spanish): inert, titles shown as typed', async () => {
    const $ = expectInert((await admin.get('/staff/surveys/test-survey/poster?size=letter&langs=en&langs=es').expect(200)).text, 'poster');
    expect($('.poster__title').map((_, el) => $(el).text()).get()).to.deep.equal([TEXT.title, TEXT.titleEs]);
    expect($('title').text()).to.contain(TEXT.title);
  });

  it('the responses export: CSV and XLSX keep every text as typed and put an apostrophe before every formula (headers too); JSON carries the texts as data', async () => {
    const csv = csvCells(await download(admin, '/staff/surveys/test-survey/export?format=csv'));
    for (const s of [TEXT.open, TEXT.other, TEXT.location, TEXT.question, TEXT.option]) expect(csv.some((c) => c.includes(s)), `CSV: ${s}`).to.equal(true);
    expectNeutralised(csv, 'responses CSV');
    const xlsx = await xlsxCells(await download(admin, '/staff/surveys/test-survey/export?format=xlsx'));
    expect(xlsx.formulas, 'formula cells in the XLSX').to.equal(0);
    for (const s of [TEXT.open, TEXT.other, TEXT.location]) expect(xlsx.texts, `XLSX: ${s}`).to.include(s);
    expectNeutralised(xlsx.texts, 'responses XLSX');
    const json = (await download(admin, '/staff/surveys/test-survey/export?format=json')).toString('utf8');
    expect(JSON.parse(json)).to.be.an('object');
    expect(json).to.contain(JSON.stringify(TEXT.open).slice(1, -1));
  });

  it('the CSV downloads of the dashboard (open text, summary) and of partners neutralise formulas and keep texts', async () => {
    const openText = csvCells(await download(admin, '/api/surveys/test-survey/open-text?format=csv'));
    expectNeutralised(openText, 'open-text CSV');
    expect(openText).to.include(TEXT.open);
    expect(csvCells(await download(admin, '/api/surveys/test-survey/summary?format=csv'))).to.include(TEXT.location);
    const partners = csvCells(await download(admin, '/staff/partners/export'));
    expect(partners).to.include(TEXT.partner);
    expect(partners).to.include(TEXT.notes);
  });

  it('partner pages (list, detail with notes and program history, edit form): inert, texts shown as typed', async () => {
    for (const url of ['/staff/partners', `/staff/partners/${partnerId}`, `/staff/partners/${partnerId}/edit`, `/staff/partners/${partnerId}/delete`]) {
      const $ = expectInert((await admin.get(url).expect(200)).text, url);
      expect($('main').text() + $('textarea').text(), url).to.contain(TEXT.partner);
    }
    const $ = cheerio.load((await admin.get(`/staff/partners/${partnerId}`).expect(200)).text);
    expect($('main').text()).to.contain(TEXT.notes);
    expect($('main').text()).to.contain(TEXT.program);
    expect(cheerio.load((await admin.get(`/staff/partners/${partnerId}/edit`).expect(200)).text)('textarea[name=notes]').text()).to.equal(TEXT.notes);
  });

  it('survey pages (the list, the editor, a question, translations, the respondent form and kiosk in Spanish, the home page): inert, texts as typed', async () => {
    const pages = ['/staff/surveys', '/staff/surveys/test-survey/edit', '/staff/surveys/test-survey/edit/questions/interests', '/staff/surveys/test-survey/translations', '/staff/surveys/test-survey/translations/es', '/staff/surveys/test-survey/share', '/staff/surveys/test-survey/data', '/staff/surveys/test-survey/paper', '/staff/surveys/test-survey/paper/print', '/staff/surveys/test-survey/spam', '/staff/surveys/test-survey/delete', '/staff/surveys/test-survey/duplicate'];
    for (const url of pages) expectInert((await admin.get(url).expect(200)).text, url);
    expect(cheerio.load((await admin.get('/staff/surveys/test-survey/translations/es').expect(200)).text)('textarea').map((_, el) => cheerio.load(el).text()).get()).to.include(TEXT.titleEs);
    for (const url of ['/', '/s/test-survey?lang=es', '/s/test-survey?lang=en', '/kiosk/test-survey', '/kiosk/test-survey/answer?lang=es']) {
      const $ = expectInert((await request(app).get(url).expect(200)).text, url);
      expect($('body').text(), url).to.match(/Needs <script>alert\("title"\)<\/script>|Encuesta <script>alert\("es"\)<\/script>/);
    }
    expectInert((await request(app).get('/s/test-survey/thanks?lang=es').expect(200)).text, 'thanks');
    const form = cheerio.load((await request(app).get('/s/test-survey?lang=en').expect(200)).text);
    expect(form('main').text()).to.contain(TEXT.question);
    expect(form('main').text()).to.contain(TEXT.option);
  });

  it('file names: an uploaded file called «x&amp;y <b>"q"<b>.csv» is shown cleaned and escaped on the import preview and the partners import', async () => {
    const name = 'x&amp;y <b>"q"<b>.csv';
    const csrf = csrfFrom((await admin.get('/staff/surveys/test-survey/import').expect(200)).text);
    const up = await admin.post('/staff/surveys/test-survey/import').field('_csrf', csrf).field('lang', 'en').attach('file', Buffer.from('interests\njob-skills\n'), name).expect(303);
    const $ = expectInert((await admin.get(up.headers.location!).expect(200)).text, 'import preview');
    expect($('h1').text()).to.contain('x&amp;y bqb.csv');
    expect($('h1 b').length).to.equal(0);
    const partners = await admin.post('/staff/partners/import').field('_csrf', csrf).attach('file', Buffer.from('name,type\nHill,local-businesses\n'), name).expect(200);
    const p = expectInert(partners.text, 'partners import');
    expect(p('#preview-title').text()).to.contain('x&amp;y bqb.csv');
  });
});
