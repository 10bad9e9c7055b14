import { expect } from 'chai';
import * as cheerio from 'cheerio';
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { ConflictError } from '../../server/errors.js';
import { ImportBatchModel } from '../../surveys/import-batch.model.js';
import { insertResponses } from '../../surveys/import.service.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { findSurvey } from '../../surveys/survey.service.js';
import { tallyFor } from '../../surveys/insights.service.js';
import { NO_FILTER, recount, sortedTallies } from '../helpers/recount.js';
import { csrfFrom, signedInAgent } from '../helpers/auth.js';
import { useTestApp } from '../helpers/hooks.js';
import { xlsxBomb } from '../helpers/zip.js';
import { buildSurvey } from '../fixtures/builders.js';

type Agent = ReturnType<typeof request.agent>;
const IMPORT = '/staff/surveys/test-survey/import';

const GOOD_CSV = [
  'interests,interests_other,priorities_1,priorities_2,household,children,grades,language,submitted_at',
  '"job-skills;coding-tech",,coding-tech,job-skills,3,yes,high,en,2026-03-14T10:00:00Z',
  'Other,Knitting,health-wellness,,2,no,,es,2026-03-14',
  'Jobs,,,,,,,en,',
  'Jobs,,,,,,,en,',
].join('\n');

/** Uploads a file through the real form (multipart with the page's CSRF token). */
async function upload(agent: Agent, file: Buffer, name = 'batch.csv', fields: Record<string, string> = {}): Promise<request.Response> {
  const csrf = csrfFrom((await agent.get(IMPORT).expect(200)).text);
  let req = agent.post(IMPORT).field('_csrf', csrf);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('file', file, name);
}

/** Uploads a file and returns its preview page URL. */
async function preview(agent: Agent, file: Buffer, name?: string, fields?: Record<string, string>): Promise<string> {
  const res = await upload(agent, file, name, fields);
  expect(res.status, res.text.slice(0, 300)).to.equal(303);
  expect(res.headers.location).to.match(/^\/staff\/surveys\/test-survey\/import\/[0-9a-f-]{36}$/);
  return res.headers.location!;
}

async function submitPreview(agent: Agent, url: string, action: string, mapping: Record<string, string> = {}): Promise<request.Response> {
  const page = await agent.get(url).expect(200);
  const $ = cheerio.load(page.text);
  const body: Record<string, string> = { _csrf: csrfFrom(page.text), action };
  $('select[name^="map."]').each((_, el) => void (body[$(el).attr('name')!] = String($(el).val() ?? '')));
  return agent.post(url).type('form').send({ ...body, ...mapping });
}

describe('import of CSV and XLSX files', function () {
  this.timeout(120000);
  const ctx = useTestApp(buildSurvey, { LOGIN_RATE_LIMIT: '1000' });
  let staff: Agent;
  beforeEach(async () => {
    ({ agent: staff } = await signedInAgent(ctx.app, 'staff'));
  });

  it('a preview shows the column mapping, the first rows and each row problem with row number, question and reason', async () => {
    const csv = `${GOOD_CSV}\nKnitting,,job-skills,job-skills,500,yes,,fr,yesterday\n`;
    const url = await preview(staff, Buffer.from(csv));
    const $ = cheerio.load((await staff.get(url).expect(200)).text);
    expect($('#map-0').val()).to.equal('q:interests');
    expect($('#map-2').val()).to.equal('rank:priorities:1');
    expect($('#map-7').val()).to.equal('meta:language');
    expect($('.sample-table tbody tr').length).to.equal(5);
    const errors = $('#row-errors tbody tr').map((_, tr) => $(tr).find('td').map((__, td) => $(td).text()).get().join(' | ')).get();
    expect(errors).to.include.members([
      '6 | 1. Interests? | “Knitting” is not one of the question\'s options (by id or text in any language).',
      '6 | 2. Rank them | The same option is ranked more than once.',
      '6 | Language | “fr” is not one of the survey\'s languages.',
      '6 | Submitted at (UTC) | “yesterday” is not a date and time we can read, or lies in the future.',
    ]);
    expect(errors.some((e) => e.startsWith('6 | 6. How many?'))).to.equal(true);
    expect(errors.some((e) => e.startsWith('6 | 8. Grades?'))).to.equal(true);
    expect($('.status').text()).to.contain('1 row needs fixing');
  });

  it('confirm is all or nothing: one bad row and nothing is stored (422, says how many rows to fix)', async () => {
    const url = await preview(staff, Buffer.from(`${GOOD_CSV}\nJobs,,,,,,,klingon,\n`));
    const res = await submitPreview(staff, url, 'confirm');
    expect(res.status).to.equal(422);
    expect(cheerio.load(res.text)('.error-summary').text()).to.contain('Nothing was imported: 1 row has a problem');
    expect(await ResponseModel.countDocuments({})).to.equal(0);
    expect(await ImportBatchModel.countDocuments({ _id: url.split('/').pop() })).to.equal(1);
  });

  it('confirm stores every row (channel paper by default), deletes the batch, and the tallies equal a rebuild; the same file again adds nothing', async () => {
    const url = await preview(staff, Buffer.from(GOOD_CSV), 'batch.csv', { lang: 'en', tag: 'paper-batch-2026-03-festival' });
    const res = await submitPreview(staff, url, 'confirm');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`${IMPORT}?imported=4&skipped=0`);
    const stored = await ResponseModel.find({ surveySlug: 'test-survey' }).sort({ submittedAt: 1 }).lean();
    expect(stored).to.have.length(4);
    expect(stored.every((r) => r.channel === 'paper' && r.tag === 'paper-batch-2026-03-festival' && r.submissionId.startsWith('imp-'))).to.equal(true);
    const first = stored.find((r) => r.submittedAt.toISOString() === '2026-03-14T10:00:00.000Z')!;
    expect(first.answers).to.deep.equal({ interests: ['job-skills', 'coding-tech'], priorities: ['coding-tech', 'job-skills'], household: 3, children: 'yes', grades: ['high'] });
    const second = stored.find((r) => r.lang === 'es')!;
    expect(second.answers.interests).to.deep.equal(['other']);
    expect(second.other).to.deep.equal({ interests: 'Knitting' });
    expect(new Set(stored.map((r) => r.submissionId)).size).to.equal(4); // two identical rows are two people
    expect(await ImportBatchModel.countDocuments({})).to.equal(0);
    const done = cheerio.load((await staff.get(res.headers.location!).expect(200)).text);
    expect(done('.saved-notice').text()).to.contain('Imported 4 responses.');

    const survey = (await findSurvey('test-survey'))!;
    const live = await tallyFor(survey, NO_FILTER);
    expect(live.get('total')).to.equal(4);
    expect(sortedTallies(live)).to.deep.equal(sortedTallies(await recount(survey)));

    const again = await preview(staff, Buffer.from(GOOD_CSV), 'batch.csv', { lang: 'en', tag: 'paper-batch-2026-03-festival' });
    expect(cheerio.load((await staff.get(again).expect(200)).text)('.status').text()).to.contain('4 rows were imported before and will be skipped');
    const res2 = await submitPreview(staff, again, 'confirm');
    expect(res2.headers.location).to.equal(`${IMPORT}?imported=0&skipped=4`);
    expect(await ResponseModel.countDocuments({})).to.equal(4);
    expect((await tallyFor(survey, NO_FILTER)).get('total')).to.equal(4);
  });

  it('maps Spanish headers and option labels; a column can be remapped with its select and checked again', async () => {
    const csv = ['¿Intereses?;Hijos en la escuela;Idioma', '"Empleo; Programación";Sí;Español', 'Empleo;No;Español'].join('\n');
    const url = await preview(staff, Buffer.from(csv));
    let $ = cheerio.load((await staff.get(url).expect(200)).text);
    expect($('#map-0').val()).to.equal('q:interests');
    expect($('#map-1').val()).to.equal('');
    expect($('#map-2').val()).to.equal('meta:language');
    const recheck = await submitPreview(staff, url, 'preview', { 'map.1': 'q:children' });
    expect(recheck.status).to.equal(303);
    $ = cheerio.load((await staff.get(url).expect(200)).text);
    expect($('#map-1').val()).to.equal('q:children');
    expect($('#row-errors').text()).to.contain('8. Grades?'); // children = yes now asks for grades
    await submitPreview(staff, url, 'preview', { 'map.1': '' });
    expect((await submitPreview(staff, url, 'confirm')).status).to.equal(303);
    const stored = await ResponseModel.find({}).lean();
    expect(stored.map((r) => r.answers.interests).sort()).to.deep.equal([['job-skills'], ['job-skills', 'coding-tech']]);
    expect(stored.every((r) => r.lang === 'es')).to.equal(true);
  });

  it('missing required columns: the preview names the question, and confirm is refused (422)', async () => {
    const url = await preview(staff, Buffer.from('household,children\n3,no\n'));
    const $ = cheerio.load((await staff.get(url).expect(200)).text);
    expect($('#file-problems').text()).to.contain('No column holds the required question 1. Interests?');
    const res = await submitPreview(staff, url, 'confirm');
    expect(res.status).to.equal(422);
    expect(await ResponseModel.countDocuments({})).to.equal(0);
  });

  it('a file where no column matches answers 422 on the import page', async () => {
    const res = await upload(staff, Buffer.from('colour,shoe size\nred,42\n'));
    expect(res.status).to.equal(422);
    expect(cheerio.load(res.text)('#import-file-error').text()).to.contain('No column matches a question');
  });

  it('a CSV in Latin-1 is refused by the upload middleware (415) with the encoding explained', async () => {
    const res = await upload(staff, Buffer.from('interests,ideas\njob-skills,Caf\xe9 y m\xe1s\n', 'latin1'));
    expect(res.status).to.equal(415);
    expect(cheerio.load(res.text)('#import-file-error').text()).to.contain('UTF-8');
  });

  it('a tab-separated file saved as UTF-16 (Excel\'s "Unicode text") with Spanish headers imports like UTF-8', async () => {
    const text = ['¿Intereses?\tHijos en la escuela\tIdioma', 'Empleo; Programación\tNo\tEspañol'].join('\r\n');
    const file = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const url = await preview(staff, file, 'unicode.txt');
    const $ = cheerio.load((await staff.get(url).expect(200)).text);
    expect($('#map-0').val()).to.equal('q:interests');
    expect($('#map-2').val()).to.equal('meta:language');
    expect((await submitPreview(staff, url, 'confirm')).status).to.equal(303);
    const stored = await ResponseModel.find({}).lean();
    expect(stored.map((r) => [r.answers.interests, r.lang])).to.deep.equal([[['job-skills', 'coding-tech'], 'es']]);
  });

  const BAD_JSON_RESPONSE = JSON.stringify({ responses: [{ answers: { interests: ['job-skills'] } }, { answers: { interests: { nested: true } } }] });
  const brokenFiles: [string, Buffer, string, number, string][] = [
    ['a CSV with a quotation mark never closed', Buffer.from('interests,ideas\njob-skills,"oops\n'), 'a.csv', 422, 'near line 2'],
    ['a CSV with a header row only', Buffer.from('interests,ideas\n'), 'a.csv', 422, 'no responses below it'],
    ['a CSV of 400 columns', Buffer.from(`${Array.from({ length: 400 }, (_, i) => `c${i}`).join(',')}\n${'1,'.repeat(399)}1\n`), 'a.csv', 422, 'more than 300 columns'],
    ['an image named .csv', Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), 'a.csv', 415, 'not one of the types'],
    ['a ZIP that is not a workbook, named .xlsx', Buffer.from('504b0304140000000000000000000000000000000000000000000000000000', 'hex'), 'a.xlsx', 415, 'not one of the types'],
    ['JSON that stops half-way', Buffer.from('{"responses":[{"answers":'), 'a.json', 422, 'not valid JSON'],
    ['JSON that is not a response export', Buffer.from(BAD_JSON_RESPONSE), 'a.json', 422, 'responses[1].answers.interests'],
  ];
  for (const [what, file, name, status, message] of brokenFiles) {
    it(`${what} answers ${status} with its own message beside the file field, keeps the language and tag typed, and keeps nothing`, async () => {
      const res = await upload(staff, file, name, { lang: 'es', tag: 'paper-batch-7' });
      expect(res.status).to.equal(status);
      const $ = cheerio.load(res.text);
      expect($('#import-file-error').text()).to.contain(message);
      expect($('#import-file').attr('aria-invalid')).to.equal('true');
      expect($('#import-lang').val()).to.equal('es');
      expect($('#import-tag').val()).to.equal('paper-batch-7');
      expect(await ImportBatchModel.countDocuments({})).to.equal(0);
    });
  }

  it('a truncated XLSX answers 422 saying the file could not be read, in the page\'s language (?hl=es)', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['interests']);
    const whole = Buffer.from(await wb.xlsx.writeBuffer());
    const csrf = csrfFrom((await staff.get(IMPORT).expect(200)).text);
    const res = await staff.post(`${IMPORT}?hl=es`).field('_csrf', csrf).attach('file', whole.subarray(0, Math.floor(whole.length / 2)), 'half.xlsx');
    expect(res.status).to.equal(422);
    expect(cheerio.load(res.text)('#import-file-error').text()).to.contain('No se pudo leer el archivo');
  });

  it('a JSON export with 100,000 responses is refused with 413 and nothing kept', async () => {
    const file = Buffer.from(JSON.stringify({ responses: Array.from({ length: 100_000 }, () => ({ answers: { interests: ['job-skills'] } })) }));
    const res = await upload(staff, file, 'big.json');
    expect(res.status).to.equal(413);
    expect(cheerio.load(res.text)('#import-file-error').text()).to.contain('more than 50,000 rows');
    expect(await ImportBatchModel.countDocuments({})).to.equal(0);
  });

  it('a 50 MB upload is refused with 413', async () => {
    const res = await upload(staff, Buffer.alloc(50 * 1024 * 1024, 'a'), 'huge.csv').catch((err: { response?: request.Response; code?: string }) => {
      // The server may answer before the client has finished sending and close the connection.
      if (err.response) return err.response;
      expect(err.code).to.be.oneOf(['EPIPE', 'ECONNRESET']);
      return null;
    });
    if (res) expect(res.status).to.equal(413);
    expect(await ImportBatchModel.countDocuments({})).to.equal(0);
  });

  it('a CSV with 100,000 rows is refused with a clear 413 and nothing kept', async () => {
    const res = await upload(staff, Buffer.from(`interests\n${'job-skills\n'.repeat(100_000)}`));
    expect(res.status).to.equal(413);
    expect(cheerio.load(res.text)('#import-file-error').text()).to.contain('more than 50,000 rows');
    expect(await ImportBatchModel.countDocuments({})).to.equal(0);
  });

  it('an XLSX zip bomb (200 MB of zeros in a few hundred KB) is refused with 413 without unpacking it', async () => {
    const bomb = await xlsxBomb();
    expect(bomb.length).to.be.below(1024 * 1024);
    const before = process.memoryUsage().rss;
    const res = await upload(staff, bomb, 'bomb.xlsx');
    expect(res.status).to.equal(413);
    expect(cheerio.load(res.text)('#import-file-error').text()).to.contain('unpacks to far more data');
    expect(process.memoryUsage().rss - before).to.be.below(100 * 1024 * 1024);
    // The same bomb lying about its size in the directory is caught while inflating, a few bytes past the claim.
    const liar = await upload(staff, await xlsxBomb(200 * 1024 * 1024, 1000), 'liar.xlsx');
    expect(liar.status).to.equal(422);
  });

  it('a preview that expired, or belongs to someone else, answers 410', async () => {
    const url = await preview(staff, Buffer.from(GOOD_CSV));
    const { agent: other } = await signedInAgent(ctx.app, 'staff', 'other@library.test');
    await other.get(url).expect(410);
    await ImportBatchModel.updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await staff.get(url).expect(410);
    expect(cheerio.load(res.text)('#import-file-error').text()).to.contain('expired');
  });

  it('when an insert fails part-way, everything this batch stored is deleted again and what others stored stays', async () => {
    const survey = (await findSurvey('test-survey'))!;
    const doc = (i: number): Record<string, unknown> => ({ surveySlug: survey.slug, surveyVersion: 1, submissionId: `compensation-test-${String(i).padStart(4, '0')}`, fingerprint: 'x', answers: { interests: ['job-skills'] }, other: {}, lang: 'en', channel: 'paper', submittedAt: new Date() });
    await ResponseModel.create(doc(1500)); // someone else's, with an id the import will also use
    const docs = Array.from({ length: 2000 }, (_, i) => ({ doc: doc(i) as Record<string, unknown> & { submissionId: string }, adoptable: false }));
    let failure: unknown;
    await insertResponses(survey.slug, docs, 'batch-under-test').catch((err: unknown) => (failure = err));
    expect(failure).to.be.instanceOf(ConflictError);
    expect(await ResponseModel.countDocuments({})).to.equal(1);
    expect((await ResponseModel.findOne({}).lean())!.importBatch).to.equal(undefined);
  });
});
