import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Express } from 'express';
import type request from 'supertest';
import { ContactModel } from '../../surveys/contact.model.js';
import type { SurveyDefinitionInput } from '../../surveys/definition.schema.js';
import type { LanguageCode } from '../../surveys/languages.js';
import type { Channel } from '../../surveys/response.model.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { submitResponse } from '../../surveys/response.service.js';
import { publishSurvey, type SurveySnapshot } from '../../surveys/survey.service.js';
import { buildTestApp } from '../helpers/app.js';
import { csrfFrom, signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { buildDefinition, buildSurvey } from '../fixtures/builders.js';

type Agent = ReturnType<typeof request.agent>;
const EXPORT = '/staff/surveys/test-survey/export';
const FORMULA = '=HYPERLINK("http://evil.test","x")';

/** Reads a download as raw bytes (a BOM or an XLSX must not go through a text decoder). */
async function download(agent: Agent, url: string, status = 200): Promise<{ res: request.Response; body: Buffer }> {
  const res = await agent
    .get(url)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(status);
  return { res, body: res.body as Buffer };
}

function csvRows(body: Buffer): string[][] {
  return parse(body.toString('utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
}

async function seed(survey: SurveySnapshot): Promise<void> {
  const add = (i: number, lang: LanguageCode, channel: Channel, body: Record<string, unknown>, extra: { location?: string; tag?: string } = {}): Promise<unknown> =>
    submitResponse({ survey, body, submissionId: `export-test-${String(i).padStart(6, '0')}`, contactKey: 'test-contact-key', lang, channel, now: new Date(Date.UTC(2026, 9, 1 + i, 10, 0, 0, 123)), ...extra });
  await add(1, 'en', 'web', { 'q:interests': ['job-skills', 'other'], 'other:interests': 'Knitting', 'rank:priorities:1': 'coding-tech', 'rank:priorities:2': 'job-skills', 'q:rating': '4', 'q:name': '@me', 'q:ideas': FORMULA, 'q:household': '3', 'q:children': 'yes', 'q:grades': ['high', 'elementary'] });
  await add(2, 'es', 'kiosk', { 'q:interests': 'coding-tech', 'q:children': 'no', 'q:ideas': 'Más horas;\n"por la tarde"' }, { location: 'Main Branch' });
  await add(3, 'ar', 'paper', { 'q:interests': 'none', 'rank:priorities:1': 'health-wellness' }, { tag: 'paper-batch-1' });
}

/** What a round trip must keep, in submission order. */
async function comparable(slug: string): Promise<unknown[]> {
  const docs = await ResponseModel.find({ surveySlug: slug }).sort({ submittedAt: 1 }).lean();
  return docs.map((d) => ({ answers: d.answers, other: d.other, lang: d.lang, channel: d.channel, submittedAt: d.submittedAt.toISOString(), location: d.location ?? null, tag: d.tag ?? null }));
}

async function importInto(agent: Agent, slug: string, file: Buffer, name: string): Promise<string> {
  const base = `/staff/surveys/${slug}/import`;
  const csrf = csrfFrom((await agent.get(base).expect(200)).text);
  const uploaded = await agent.post(base).field('_csrf', csrf).attach('file', file, name);
  expect(uploaded.status, uploaded.text.slice(0, 500)).to.equal(303);
  const page = await agent.get(uploaded.headers.location!).expect(200);
  const $ = cheerio.load(page.text);
  expect($('#row-errors tbody tr').length, $('#row-errors').text()).to.equal(0);
  const body: Record<string, string> = { _csrf: csrfFrom(page.text), action: 'confirm' };
  $('select[name^="map."]').each((_, el) => void (body[$(el).attr('name')!] = String($(el).val() ?? '')));
  const done = await agent.post(uploaded.headers.location!).type('form').send(body).expect(303);
  return done.headers.location!;
}

describe('exports of responses and contacts', function () {
  this.timeout(60000);
  let app: Express;
  let staff: Agent;
  let admin: Agent;

  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
  });
  beforeEach(async () => {
    await clearDatabase();
    await seed(await buildSurvey());
    ({ agent: staff } = await signedInAgent(app, 'staff'));
    ({ agent: admin } = await signedInAgent(app, 'admin'));
  });

  it('CSV: UTF-8 with a BOM, readable headers and labels, one column per ranking place, other texts apart, formulas neutralised', async () => {
    const { res, body } = await download(staff, `${EXPORT}?format=csv&hl=en`);
    expect(res.headers['content-type']).to.match(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="?test-survey-responses-\d{4}-\d{2}-\d{2}\.csv"?$/);
    expect(res.headers['cache-control']).to.contain('no-store');
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const [header, first, second] = csvRows(body);
    expect(header!.slice(0, 7)).to.deep.equal(['Submission id', 'Survey version', 'Language', 'Channel', 'Location', 'Tag', 'Submitted at (UTC)']);
    const col = (name: string): number => header!.indexOf(name);
    expect(header).to.include.members(['Interests?', 'Interests? (other)', 'Rank them (place 1)', 'Rank them (place 2)', 'How many?']);
    expect(first![col('Interests?')]).to.equal('Jobs; Other');
    expect(first![col('Interests? (other)')]).to.equal('Knitting');
    expect(first![col('Rank them (place 1)')]).to.equal('Coding');
    expect(first![col('Grades?')]).to.equal('High; Elementary');
    expect(first![col('Long text')]).to.equal(`'${FORMULA}`);
    expect(first![col('Short text')]).to.equal("'@me");
    expect(first![col('Submitted at (UTC)')]).to.equal('2026-10-02T10:00:00.123Z');
    expect(second![col('Language')]).to.equal('Español');
    expect(second![col('Channel')]).to.equal('Library kiosk');
    expect(second![col('Location')]).to.equal('Main Branch');
    expect(second![col('Long text')]).to.equal('Más horas;\n"por la tarde"');
  });

  it('XLSX opens with exceljs, with Spanish headers and labels, numbers as numbers and formulas neutralised', async () => {
    const { res, body } = await download(staff, `${EXPORT}?format=xlsx&hl=es`);
    expect(res.headers['content-type']).to.contain('spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).to.equal('Respuestas');
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).to.include.members(['¿Intereses?', 'Idioma', 'Canal', 'Enviado el (UTC)']);
    const cell = (row: number, name: string): unknown => ws.getRow(row).getCell(header.indexOf(name) + 1).value;
    expect(cell(2, '¿Intereses?')).to.equal('Empleo; Otro');
    expect(cell(2, 'How many?')).to.equal(3);
    expect(cell(2, 'Long text')).to.equal(`'${FORMULA}`);
    expect(cell(2, 'Enviado el (UTC)')).to.be.instanceOf(Date);
    expect(cell(3, 'Canal')).to.equal('Quiosco de la biblioteca');
    expect(ws.rowCount).to.equal(4);
  });

  it('JSON has ids and the stored answers; the ids CSV has id headers', async () => {
    const { res, body } = await download(staff, `${EXPORT}?format=json`);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    const json = JSON.parse(body.toString('utf8')) as { survey: string; responses: { submissionId: string; answers: Record<string, unknown>; other: Record<string, string>; channel: string }[] };
    expect(json.survey).to.equal('test-survey');
    expect(json.responses.map((r) => r.submissionId)).to.deep.equal(['export-test-000001', 'export-test-000002', 'export-test-000003']);
    expect(json.responses[0]!.answers).to.deep.equal({ interests: ['job-skills', 'other'], priorities: ['coding-tech', 'job-skills'], rating: 4, name: '@me', ideas: FORMULA, household: 3, children: 'yes', grades: ['high', 'elementary'] });
    const [header, first] = csvRows((await download(staff, `${EXPORT}?format=csv&ids=1`)).body);
    expect(header!.slice(0, 9)).to.deep.equal(['submission_id', 'version', 'language', 'channel', 'location', 'tag', 'submitted_at', 'interests', 'interests_other']);
    expect(header).to.include.members(['priorities_1', 'priorities_2', 'grades']);
    expect(first![header!.indexOf('interests')]).to.equal('job-skills; other');
  });

  it('respects the dashboard filters, and refuses unknown ones (400)', async () => {
    const rows = async (query: string): Promise<number> => csvRows((await download(staff, `${EXPORT}?format=csv&ids=1&${query}`)).body).length - 1;
    expect(await rows('channel=kiosk')).to.equal(1);
    expect(await rows('q.children=yes')).to.equal(1);
    expect(await rows('lang=ar')).to.equal(1);
    expect(await rows('from=2026-10-03&to=2026-10-04')).to.equal(2);
    expect(await rows('')).to.equal(3);
    await staff.get(`${EXPORT}?format=csv&q.nope=1`).expect(400);
    await staff.get(`${EXPORT}?format=pdf`).expect(400);
  });

  it('the data page links everything and its export form carries the filters (no JavaScript needed)', async () => {
    const $ = cheerio.load((await staff.get('/staff/surveys/test-survey/data?channel=paper').expect(200)).text);
    expect($('form.export-form').attr('action')).to.equal(EXPORT);
    expect($('#f-channel').val()).to.equal('paper');
    expect($('input[name=format]').length).to.equal(3);
    expect($('select[name=hl]').length).to.equal(1);
    expect($('a[href="/staff/surveys/test-survey/paper"]').length).to.equal(1);
    expect($('a[href="/staff/surveys/test-survey/import"]').length).to.equal(1);
    expect($('a[href="/staff/surveys/test-survey/paper/print?hl=ar&size=a4"]').length).to.equal(1);
  });

  it('contacts are exported apart, by admins only, with the same protections', async () => {
    await ContactModel.create({ surveySlug: 'test-survey', phone: '+1 555 0100', email: 'a@b.test', lang: 'en', consentVersion: '2026-11', day: '2026-10-02' });
    const { body } = await download(admin, '/staff/surveys/test-survey/contacts/export');
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const [header, row] = csvRows(body);
    expect(header).to.deep.equal(['Email', 'Phone', 'Language', 'Consent text version', 'Day given']);
    expect(row).to.deep.equal(['a@b.test', "'+1 555 0100", 'en', '2026-11', '2026-10-02']);
    await staff.get('/staff/surveys/test-survey/contacts/export').expect(403);
  });

  it('XLSX and JSON exports honour the dashboard filters too', async () => {
    const sheetRows = async (query: string): Promise<number> => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await download(staff, `${EXPORT}?format=xlsx&${query}`)).body as unknown as ArrayBuffer);
      return wb.worksheets[0]!.rowCount - 1;
    };
    const jsonIds = async (query: string): Promise<string[]> => (JSON.parse((await download(staff, `${EXPORT}?format=json&${query}`)).body.toString('utf8')) as { responses: { submissionId: string }[] }).responses.map((r) => r.submissionId);
    expect(await sheetRows('channel=kiosk')).to.equal(1);
    expect(await sheetRows('q.interests=job-skills')).to.equal(1);
    expect(await jsonIds('channel=paper')).to.deep.equal(['export-test-000003']);
    expect(await jsonIds('from=2026-10-03&to=2026-10-04')).to.deep.equal(['export-test-000002', 'export-test-000003']);
    const filtered = await download(staff, `${EXPORT}?format=json&lang=es`);
    expect(filtered.res.headers['content-disposition']).to.match(/-filtered\.json"?$/);
    await staff.get(`${EXPORT}?format=json&channel=fax`).expect(400);
  });

  it('round trip: the ids CSV, the readable XLSX and CSV (English, Chinese, Arabic) and the JSON each import into a fresh survey with the same definition as the same responses', async () => {
    const original = await comparable('test-survey');
    expect(original).to.have.length(3);
    const csv = (await download(staff, `${EXPORT}?format=csv&ids=1`)).body;
    const xlsx = (await download(staff, `${EXPORT}?format=xlsx&hl=en`)).body;
    const json = (await download(staff, `${EXPORT}?format=json`)).body;
    const zhCsv = (await download(staff, `${EXPORT}?format=csv&hl=zh-Hans`)).body;
    const arXlsx = (await download(staff, `${EXPORT}?format=xlsx&hl=ar`)).body;
    expect(csvRows(zhCsv)[0]).to.include('渠道');
    const files = [
      ['copy-from-csv', csv, 'export.csv'],
      ['copy-from-xlsx', xlsx, 'export.xlsx'],
      ['copy-from-json', json, 'export.json'],
      ['copy-from-zh-csv', zhCsv, 'export.csv'],
      ['copy-from-ar-xlsx', arXlsx, 'export.xlsx'],
    ] as const;
    for (const [slug, file, name] of files) {
      await publishSurvey(buildDefinition({ slug } as Partial<SurveyDefinitionInput>));
      expect(await importInto(admin, slug, file, name)).to.equal(`/staff/surveys/${slug}/import?imported=3&skipped=0`);
      expect(await comparable(slug), slug).to.deep.equal(original);
      // And again: nothing new.
      expect(await importInto(admin, slug, file, name)).to.equal(`/staff/surveys/${slug}/import?imported=0&skipped=3`);
    }
  });
});
