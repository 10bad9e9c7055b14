import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { parse } from 'csv-parse/sync';
import type { Express } from 'express';
import type request from 'supertest';
import { PartnerImportModel, PartnerModel } from '../../surveys/partner.model.js';
import { allPartners } from '../../surveys/partner.service.js';
import { buildTestApp } from '../helpers/app.js';
import { csrfFrom, signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { buildPartner } from '../fixtures/partners.js';

type Agent = ReturnType<typeof request.agent>;

const HEADER = 'name,type,topics,contact,email,phone,website,address,status,notes';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000200a1e2c1f40000000049454e44ae426082', 'hex');

/** The fields an export and an import must keep, without ids and timestamps. */
const comparable = async (): Promise<unknown[]> => (await allPartners()).map(({ name, type, topics, contact, email, phone, website, address, status, notes }) => ({ name, type, topics: [...topics].sort(), contact, email, phone, website, address, status, notes }));

describe('partner directory CSV export and import', function () {
  this.timeout(30000);
  let app: Express;
  let staff: Agent;
  let board: Agent;
  let token: string;

  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    await clearDatabase();
    ({ agent: staff } = await signedInAgent(app, 'staff'));
    token = csrfFrom((await staff.get('/staff/partners').expect(200)).text);
    ({ agent: board } = await signedInAgent(app, 'board'));
  });

  beforeEach(async () => {
    await PartnerModel.deleteMany({});
    await PartnerImportModel.deleteMany({});
  });

  const upload = (content: Buffer | string, filename = 'partners.csv') =>
    staff.post('/staff/partners/import').field('_csrf', token).attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), filename);

  /** Uploads a file and confirms the preview; returns the preview page. */
  async function importFile(content: Buffer | string): Promise<{ preview: cheerio.CheerioAPI; location: string }> {
    const res = await upload(content).expect(200);
    const preview = cheerio.load(res.text);
    const action = preview('form[action^="/staff/partners/import/"]').attr('action');
    expect(action, 'confirm form').to.be.a('string');
    const done = await staff.post(action!).type('form').send({ _csrf: token }).expect(303);
    return { preview, location: done.headers.location! };
  }

  describe('GET /staff/partners/export', () => {
    it('returns UTF-8 CSV with a BOM, the export headers, names in the page language, and a formula in notes neutralised', async () => {
      await buildPartner({ notes: '=cmd|"/c calc"!A1', phone: '+1 555 010 2020' });
      await buildPartner({ name: 'Oak Street Books', type: 'bookstores', topics: ['reading-culture'], status: 'contacted', notes: 'Line one\nLine two' });
      const res = await board.get('/staff/partners/export?hl=es').expect(200);
      await board.get('/staff/partners?hl=en');
      expect(res.headers['content-type']).to.contain('text/csv');
      expect(res.headers['content-disposition']).to.match(/^attachment; filename="?partners-\d{4}-\d{2}-\d{2}\.csv"?$/);
      expect(res.text.charCodeAt(0)).to.equal(0xfeff);
      const rows = parse(res.text, { bom: true }) as string[][];
      expect(rows[0]).to.deep.equal([...HEADER.split(','), 'programs']);
      expect(rows).to.have.length(3);
      const bakery = rows.find((r) => r[0] === 'Riverside Bakery')!;
      expect(bakery[1]).to.equal('Negocios locales (panaderías, cafeterías, tiendas de pasatiempos, de tejido y de cómics)');
      expect(bakery[9]).to.equal('\'=cmd|"/c calc"!A1');
      expect(bakery[5]).to.equal("'+1 555 010 2020");
      expect(rows.find((r) => r[0] === 'Oak Street Books')![9]).to.equal('Line one\nLine two');
    });

    it('exports only the filtered list when the list has a search or filters', async () => {
      await buildPartner();
      await buildPartner({ name: 'Oak Street Books', type: 'bookstores', topics: ['reading-culture'] });
      const res = await board.get('/staff/partners/export?type=bookstores').expect(200);
      const rows = parse(res.text, { bom: true }) as string[][];
      expect(rows.map((r) => r[0])).to.deep.equal(['name', 'Oak Street Books']);
    });
  });

  describe('POST /staff/partners/import', () => {
    it('round trip: the export (in Spanish) imported into an empty directory gives the same organizations; importing it again updates them without duplicates', async () => {
      await buildPartner({ notes: '=cmd and a "quote", a comma\nand a second line', topics: ['community-events', 'teen-programs', 'arts-crafts'] });
      await buildPartner({ name: 'Oak Street Books', type: 'bookstores', topics: ['reading-culture'], contact: 'Sam Lee', email: '', phone: '', website: '', address: '', status: 'contacted', notes: '' });
      await buildPartner({ name: 'Centro Cultural Đông Phương', type: 'cultural-organizations', topics: [], status: 'idea', notes: '-5 is not a formula; @handle either' });
      const before = await comparable();
      const csv = (await board.get('/staff/partners/export?hl=es').expect(200)).text;
      await board.get('/staff/partners?hl=en');

      await PartnerModel.deleteMany({});
      const first = await importFile(csv);
      expect(first.preview('.import-table tbody tr')).to.have.length(3);
      expect(first.location).to.equal('/staff/partners?done=imported&created=3&updated=0');
      expect(await comparable()).to.deep.equal(before);

      const second = await importFile(csv);
      expect(second.preview('.import-table tbody tr .status-badge').map((_i, el) => second.preview(el).text()).get()).to.deep.equal(['Update', 'Update', 'Update']);
      expect(second.location).to.equal('/staff/partners?done=imported&created=0&updated=3');
      expect(await PartnerModel.countDocuments()).to.equal(3);
      expect(await comparable()).to.deep.equal(before);
      const list = cheerio.load((await staff.get(second.location).expect(200)).text);
      expect(list('.notice--ok').text()).to.contain('3 organizations updated');
    });

    it('a re-import matches name and type ignoring case, updates only the columns in the file, and keeps the program history', async () => {
      const p = await buildPartner({ contact: 'Maria Lopez', notes: 'Old note' });
      await PartnerModel.updateOne({ _id: p.id }, { $push: { programs: { date: new Date('2025-06-14T00:00:00Z'), title: 'Party', notes: '' } } });
      await importFile('name;type;notes\n"RIVERSIDE BAKERY";local-businesses;New note\n');
      const docs = await PartnerModel.find().lean();
      expect(docs).to.have.length(1);
      expect(docs[0]).to.include({ name: 'RIVERSIDE BAKERY', notes: 'New note', contact: 'Maria Lopez', status: 'active' });
      expect(docs[0]!.programs).to.have.length(1);
    });

    it('accepts types and topics as ids or names in any shipped language, topics separated by ";"', async () => {
      const csv = [HEADER, 'Quỹ Cộng Đồng,Tổ chức phi lợi nhuận và quỹ từ thiện (đối tác tài trợ),"esl-citizenship; dịch vụ THƯ VIỆN ngay tại cộng đồng",,,,,,,', 'Biblioteca Norte,academic-libraries,Ayuda con las tareas y tutorías;homework-tutoring,,,,,,active,'].join('\r\n');
      const { location } = await importFile(`\uFEFF${csv}`);
      expect(location).to.equal('/staff/partners?done=imported&created=2&updated=0');
      const docs = await PartnerModel.find().sort({ nameKey: 1 }).lean();
      expect(docs.map((d) => [d.name, d.type, d.topics, d.status])).to.deep.equal([
        ['Biblioteca Norte', 'academic-libraries', ['homework-tutoring'], 'active'],
        ['Quỹ Cộng Đồng', 'foundations', ['esl-citizenship', 'outreach-access'], 'idea'],
      ]);
    });

    it('rows with an unknown type, a bad email or no name answer 422 with per-row errors, and nothing is imported', async () => {
      const csv = [HEADER, 'Good Org,schools,,,,,,,,', 'Circus Co,circus,,,,,,,,', 'Mail Co,banks,,,not-an-email,,,,,', ',schools,,Nobody,,,,,,', 'Good Org,SCHOOLS,,,,,,,,'].join('\n');
      const res = await upload(csv).expect(422);
      const $ = cheerio.load(res.text);
      const rowCodes = (row: number): string[] => $(`tr[data-row="${row}"] .row-problems li`).map((_i, el) => $(el).attr('data-code')).get();
      expect(rowCodes(2)).to.deep.equal([]);
      expect(rowCodes(3)).to.deep.equal(['typeNotFound']);
      expect(rowCodes(4)).to.deep.equal(['email']);
      expect(rowCodes(5)).to.deep.equal(['nameRequired']);
      expect(rowCodes(6)).to.deep.equal(['duplicateInFile']);
      expect($('tr[data-row="3"]').text()).to.contain('circus');
      expect($('form[action^="/staff/partners/import/"]')).to.have.length(0);
      expect(await PartnerModel.countDocuments()).to.equal(0);
      expect(await PartnerImportModel.countDocuments()).to.equal(0);
    });

    it('a file without a name column, or with an unclosed quote, is refused as a whole', async () => {
      const $ = cheerio.load((await upload('title,type\nX,schools\n').expect(422)).text);
      expect($('.error-summary li').map((_i, el) => $(el).attr('data-code')).get()).to.deep.equal(['missingColumn']);
      const bad = cheerio.load((await upload('name,type\n"Unclosed,schools\n').expect(422)).text);
      expect(bad('.error-summary li').attr('data-code')).to.equal('csvMalformed');
    });

    it('a PNG named .csv is refused by its content (415 fileType); no file answers 422 fileMissing', async () => {
      const res = await upload(PNG, 'partners.csv').expect(415);
      expect(res.text).to.contain('fileType');
      const none = await staff.post('/staff/partners/import').field('_csrf', token).expect(422);
      expect(cheerio.load(none.text)('#import-file-error').attr('data-code')).to.equal('fileMissing');
    });

    it('a multipart upload without the CSRF token answers 403; a preview cannot be confirmed twice', async () => {
      await staff.post('/staff/partners/import').attach('file', Buffer.from(`${HEADER}\nX,schools,,,,,,,,\n`), 'p.csv').expect(403);
      const res = await upload(`${HEADER}\nX,schools,,,,,,,,\n`).expect(200);
      const action = cheerio.load(res.text)('form[action^="/staff/partners/import/"]').attr('action')!;
      await staff.post(action).type('form').send({ _csrf: token }).expect(303);
      await staff.post(action).type('form').send({ _csrf: token }).expect(404);
      expect(await PartnerModel.countDocuments()).to.equal(1);
    });
  });
});
