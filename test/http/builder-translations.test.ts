import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { SurveyModel } from '../../surveys/survey.model.js';
import { findSurvey } from '../../surveys/survey.service.js';
import { missingStrings, sourceKeys } from '../../surveys/translation.js';
import type { SurveyDefinition } from '../../surveys/definition.schema.js';
import { useStaffSession } from '../helpers/hooks.js';
import { buildSurvey } from '../fixtures/builders.js';

const BASE = '/staff/surveys/test-survey/translations';

/** Reads a binary response body into a Buffer. */
function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

async function draftOf(): Promise<SurveyDefinition> {
  return (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft as SurveyDefinition;
}

describe('survey builder: translations', () => {
  const session = useStaffSession(buildSurvey);
  const importFile = (lang: string, body: Buffer, name: string) => session.staff.post(`${BASE}/${lang}/import`).field('_csrf', session.token).attach('file', body, name);

  it('GET the Spanish screen shows every key beside its source, with the missing ones highlighted and labelled', async () => {
    const def = (await findSurvey('test-survey'))!.definition;
    const $ = cheerio.load((await session.staff.get(`${BASE}/es`).expect(200)).text);
    expect($('.translate-row').length).to.equal(sourceKeys(def).length);
    const missing = $('.translate-row--missing').map((_, el) => $(el).attr('data-key')).get();
    expect(missing).to.deep.equal(missingStrings(def, 'es'));
    const row = $('.translate-row[data-key="questions.rating.label"]');
    expect(row.find('label').text()).to.contain('How well?');
    expect(row.find('textarea').attr('lang')).to.equal('es');
    expect(row.find('textarea').attr('aria-describedby')).to.contain(`${row.find('textarea').attr('id')}-missing`);
    expect($('.translate-row[data-key="title"] textarea').text()).to.equal('Encuesta de prueba');
    const ar = cheerio.load((await session.staff.get(`${BASE}/ar`).expect(200)).text);
    expect(ar('.translate-row[data-key="title"] textarea').attr('dir')).to.equal('rtl');
  });

  it('POST the form (multipart) saves to the draft; an emptied box removes that translation; publishing returns to the screen', async () => {
    await session.staff.post(`${BASE}/es`).field('_csrf', session.token).field('t:questions.rating.label', '¿Qué tan bien?').field('t:title', '').expect(303);
    const draft = await draftOf();
    expect(draft.questions.find((q) => q.id === 'rating')!.label).to.deep.equal({ en: 'How well?', es: '¿Qué tan bien?' });
    expect(draft.title).to.deep.equal({ en: 'Test survey', ar: 'استطلاع تجريبي' });
    const res = await session.staff.post('/staff/surveys/test-survey/publish').type('form').send({ _csrf: session.token, back: 'translations:es' }).expect(303);
    expect(res.headers.location).to.equal(`${BASE}/es?notice=published`);
    expect((await findSurvey('test-survey'))!.version).to.equal(2);
  });

  it('export JSON, fill in the missing texts, import: every text arrives and a new export matches the file', async () => {
    const exported = JSON.parse((await session.staff.get(`${BASE}/es/export?format=json`).expect(200).expect('content-disposition', /attachment; filename="?test-survey-es\.json"?/)).text) as Record<string, string>;
    expect(exported.title).to.equal('Encuesta de prueba');
    const filled = Object.fromEntries(Object.entries(exported).map(([k, v]) => [k, v || `ES ${k}`]));
    const res = await importFile('es', Buffer.from(JSON.stringify(filled)), 'es.json').expect(200);
    expect(cheerio.load(res.text)('.import-report').text()).to.contain(`${Object.keys(filled).length} texts were imported`);
    expect(missingStrings(await draftOf(), 'es')).to.deep.equal([]);
    const again = JSON.parse((await session.staff.get(`${BASE}/es/export?format=json`).expect(200)).text);
    expect(again).to.deep.equal(filled);
  });

  it('export CSV, translate in a spreadsheet, import: texts (even ones starting with "=" or "-") come back exactly', async () => {
    await session.staff.post('/staff/surveys/test-survey/edit/settings').type('form').send({ _csrf: session.token, title: 'Test survey', intro: 'Intro', languages: ['es', 'ar', 'vi'] }).expect(303);
    const csv = await session.staff.get(`${BASE}/vi/export?format=csv`).expect(200).expect('content-type', /text\/csv/);
    expect(csv.text.charCodeAt(0)).to.equal(0xfeff);
    const rows = parse(csv.text, { bom: true, columns: true }) as { key: string; source: string; translation: string }[];
    expect(rows.map((r) => r.key)).to.deep.equal(sourceKeys((await findSurvey('test-survey'))!.definition));
    rows.forEach((r, i) => (r.translation = i === 0 ? '=1+1 không phải công thức' : i === 1 ? '- gạch đầu dòng' : `VI ${r.source}`));
    // A spreadsheet program keeps the leading apostrophe of protected cells as it was exported.
    const sheet = stringify([['key', 'source', 'translation'], ...rows.map((r) => [r.key, r.source, /^[=+\-@]/.test(r.translation) ? `'${r.translation}` : r.translation])]);
    await importFile('vi', Buffer.from(sheet, 'utf8'), 'vi.csv').expect(200);
    const draft = await draftOf();
    expect(missingStrings(draft, 'vi')).to.deep.equal([]);
    expect(draft.title.vi).to.equal('=1+1 không phải công thức');
    expect(draft.intro!.vi).to.equal('- gạch đầu dòng');
  });

  it('export XLSX, fill the translation column in Excel, import: the texts arrive', async () => {
    const res = await session.staff.get(`${BASE}/ar/export?format=xlsx`).buffer(true).parse(binary).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).to.deep.equal([undefined, 'key', 'source', 'translation']);
    sheet.eachRow((row, n) => {
      if (n > 1 && !row.getCell(3).text) row.getCell(3).value = `ع ${row.getCell(2).text}`;
    });
    const file = Buffer.from(await book.xlsx.writeBuffer());
    await importFile('ar', file, 'ar.xlsx').expect(200);
    const draft = await draftOf();
    expect(missingStrings(draft, 'ar')).to.deep.equal([]);
    expect(draft.questions.find((q) => q.id === 'rating')!.label.ar).to.equal('ع How well?');
  });

  it('import with unknown keys keeps the valid ones and lists the unknown; only unknown keys answers 422; empty texts never overwrite', async () => {
    const res = await importFile('es', Buffer.from(JSON.stringify({ title: '', 'questions.rating.label': '¿Qué tal?', 'questions.nope.label': 'X', oops: 'Y' })), 'es.json').expect(200);
    const report = cheerio.load(res.text)('.import-report');
    expect(report.find('code').map((_, el) => cheerio.load(el).text()).get()).to.deep.equal(['questions.nope.label', 'oops']);
    const draft = await draftOf();
    expect(draft.title.es).to.equal('Encuesta de prueba');
    expect(draft.questions.find((q) => q.id === 'rating')!.label.es).to.equal('¿Qué tal?');
    await importFile('es', Buffer.from(JSON.stringify({ nothing: 'here' })), 'es.json').expect(422);
  });

  it('import of a Latin-1 CSV answers 415, a PNG 415, and broken JSON 422, each with the error beside the file field', async () => {
    const latin1 = Buffer.from('key,source,translation\ntitle,Test survey,Encuesta de opini\xf3n\n', 'latin1');
    const enc = cheerio.load((await importFile('es', latin1, 'es.csv').expect(415)).text);
    expect(enc('#file').attr('aria-invalid')).to.equal('true');
    expect(enc('#file-error').text()).to.contain('UTF-8');
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    await importFile('es', png, 'es.json').expect(415);
    const broken = cheerio.load((await importFile('es', Buffer.from('{"title": "Encuesta",'), 'es.json').expect(422)).text);
    expect(broken('#file-error').text()).to.contain('not valid JSON');
    await importFile('es', Buffer.from('just,some\nwords,here\n'), 'es.csv').expect(422);
    expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft).to.equal(undefined);
  });

  it('a hidden language is not offered on the form, the kiosk or by negotiation until it is shown', async () => {
    await session.staff.post(`${BASE}/ar/visibility`).type('form').send({ _csrf: session.token, hidden: '1' }).expect(303);
    const form = cheerio.load((await request(session.app).get('/s/test-survey?lang=ar').expect(200)).text);
    expect(form('html').attr('lang')).to.equal('en');
    expect(form('[lang="ar"]').length).to.equal(0);
    expect(cheerio.load((await request(session.app).get('/s/test-survey').set('Accept-Language', 'ar').expect(200)).text)('html').attr('lang')).to.equal('en');
    const kiosk = cheerio.load((await request(session.app).get('/kiosk/test-survey').expect(200)).text);
    expect(kiosk('a[href*="lang=ar"]').length).to.equal(0);
    expect(kiosk('a[href*="lang=es"]').length).to.equal(1);
    const list = cheerio.load((await session.staff.get('/staff/surveys').expect(200)).text);
    expect(list('li[data-lang="ar"] .badge--hidden').length).to.equal(1);

    await session.staff.post(`${BASE}/ar/visibility`).type('form').send({ _csrf: session.token, hidden: '0' }).expect(303);
    expect(cheerio.load((await request(session.app).get('/s/test-survey?lang=ar').expect(200)).text)('html').attr('lang')).to.equal('ar');
    expect(cheerio.load((await request(session.app).get('/kiosk/test-survey').expect(200)).text)('a[href*="lang=ar"]').length).to.equal(1);
  });

  it('a language added in the survey details starts hidden; the source language cannot be hidden', async () => {
    await session.staff.post('/staff/surveys/test-survey/edit/settings').type('form').send({ _csrf: session.token, title: 'Test survey', intro: 'Intro', languages: ['es', 'ar', 'ht'] }).expect(303);
    await session.staff.post('/staff/surveys/test-survey/publish').type('form').send({ _csrf: session.token }).expect(303);
    expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.hiddenLanguages).to.deep.equal(['ht']);
    expect(cheerio.load((await request(session.app).get('/s/test-survey?lang=ht').expect(200)).text)('html').attr('lang')).to.equal('en');
    await session.staff.get(`${BASE}/en`).expect(404);
  });
});
