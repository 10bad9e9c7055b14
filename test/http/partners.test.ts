import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import { PartnerModel } from '../../surveys/partner.model.js';
import { buildTestApp } from '../helpers/app.js';
import { csrfFrom, signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { buildPartner, partnerFields } from '../fixtures/partners.js';

type Agent = ReturnType<typeof request.agent>;

/** A urlencoded body with repeated keys for lists (as a browser sends checkboxes). */
function formBody(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    for (const x of Array.isArray(v) ? v : [v]) if (x !== undefined) params.append(k, String(x));
  }
  return params.toString();
}

const codes = ($: cheerio.CheerioAPI, selector = '.question__error'): string[] => $(selector).map((_i, el) => $(el).attr('data-code')).get();

describe('partner directory (/staff/partners)', function () {
  this.timeout(30000);
  let app: Express;
  let staff: Agent;
  let board: Agent;
  let staffToken: string;
  let boardToken: string;

  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    await clearDatabase();
    ({ agent: staff } = await signedInAgent(app, 'staff'));
    staffToken = csrfFrom((await staff.get('/staff/partners').expect(200)).text);
    ({ agent: board } = await signedInAgent(app, 'board'));
    boardToken = csrfFrom((await board.get('/staff/partners').expect(200)).text);
  });

  beforeEach(async () => {
    await PartnerModel.deleteMany({});
  });

  const post = (agent: Agent, path: string, fields: Record<string, unknown>, token = staffToken) => agent.post(path).type('form').send(formBody({ _csrf: token, ...fields }));

  describe('create, edit and delete', () => {
    it('POST /staff/partners with no name, an unknown type, a bad email and a javascript: website answers 422 with each error next to its field and everything typed kept', async () => {
      const res = await post(staff, '/staff/partners', partnerFields({ name: '  ', type: 'circus', email: 'not-an-email', website: 'javascript:alert(1)', notes: 'Keep <this> note' })).expect(422);
      const $ = cheerio.load(res.text);
      expect(codes($)).to.have.members(['nameRequired', 'typeUnknown', 'email', 'website']);
      expect($('#p-email').attr('aria-describedby')).to.equal('p-email-error');
      expect($('#p-email').attr('aria-invalid')).to.equal('true');
      expect($('#p-email').val()).to.equal('not-an-email');
      expect($('#p-website').val()).to.equal('javascript:alert(1)');
      expect($('#p-notes').text()).to.equal('Keep <this> note');
      expect($('#p-topic-teen-programs').attr('checked')).to.equal('checked');
      expect($('.error-summary li').length).to.equal(4);
      expect(await PartnerModel.countDocuments()).to.equal(0);
    });

    it('POST /staff/partners with valid fields answers 303 to the new detail page, which shows the names of type and topics and escapes what was typed', async () => {
      const res = await post(staff, '/staff/partners', partnerFields({ name: '<b>Bold</b> & Co', website: 'riverside.example' })).expect(303);
      expect(res.headers.location).to.match(/^\/staff\/partners\/[0-9a-f]{24}\?saved=1$/);
      const page = await staff.get(res.headers.location!).expect(200);
      expect(page.text).to.contain('&lt;b&gt;Bold&lt;/b&gt; &amp; Co');
      expect(page.text).not.to.contain('<b>Bold</b>');
      const $ = cheerio.load(page.text);
      expect($('.partner-type').text()).to.contain('Local businesses');
      expect($('.tag-list').text()).to.contain('Community gatherings');
      expect($('a[href="https://riverside.example/"]')).to.have.length(1);
    });

    it('GET /staff/partners/new and a detail page in Spanish (?hl=es) show types and topics by their Spanish names', async () => {
      const p = await buildPartner();
      expect((await staff.get('/staff/partners/new?hl=es').expect(200)).text).to.contain('Negocios locales');
      const $ = cheerio.load((await staff.get(`/staff/partners/${p.id}?hl=es`).expect(200)).text);
      expect($('.partner-type').text()).to.contain('Negocios locales');
      await staff.get('/staff/partners?hl=en').expect(200);
    });

    it('POST /staff/partners with the name and type of an existing organization (other case) answers 422 duplicate', async () => {
      await buildPartner();
      const res = await post(staff, '/staff/partners', partnerFields({ name: 'RIVERSIDE  bakery' })).expect(422);
      expect(codes(cheerio.load(res.text))).to.deep.equal(['duplicate']);
      expect(await PartnerModel.countDocuments()).to.equal(1);
    });

    it('POST /staff/partners/:id with a bad phone answers 422 with the typed values; valid changes answer 303 and keep the program history', async () => {
      const p = await buildPartner();
      await post(staff, `/staff/partners/${p.id}/programs`, { date: '2026-03-01', title: 'Bread and books' }).expect(303);
      const bad = await post(staff, `/staff/partners/${p.id}`, partnerFields({ name: 'Riverside Bakery & Cafe', phone: 'call me' })).expect(422);
      const $ = cheerio.load(bad.text);
      expect(codes($)).to.deep.equal(['phone']);
      expect($('#p-name').val()).to.equal('Riverside Bakery & Cafe');
      expect($('#p-phone').val()).to.equal('call me');
      const form = cheerio.load((await staff.get(`/staff/partners/${p.id}/edit`).expect(200)).text);
      expect(form('#p-name').val()).to.equal('Riverside Bakery');
      await post(staff, `/staff/partners/${p.id}`, partnerFields({ name: 'Riverside Bakery & Cafe', status: 'contacted', topics: ['reading-culture'] })).expect(303);
      const saved = await PartnerModel.findById(p.id).lean();
      expect(saved).to.include({ name: 'Riverside Bakery & Cafe', status: 'contacted' });
      expect(saved!.topics).to.deep.equal(['reading-culture']);
      expect(saved!.programs).to.have.length(1);
    });

    it('GET /staff/partners/:id/delete asks for confirmation; POST …/delete answers 303 to the list and the page is then 404', async () => {
      const p = await buildPartner();
      const confirm = cheerio.load((await staff.get(`/staff/partners/${p.id}/delete`).expect(200)).text);
      expect(confirm(`form[action="/staff/partners/${p.id}/delete"] input[name=_csrf]`)).to.have.length(1);
      expect(await PartnerModel.countDocuments()).to.equal(1);
      const res = await post(staff, `/staff/partners/${p.id}/delete`, {}).expect(303);
      expect(res.headers.location).to.equal('/staff/partners?done=deleted');
      await staff.get(`/staff/partners/${p.id}`).expect(404);
      await staff.get('/staff/partners/not-an-id').expect(404);
    });

    it('a POST without the CSRF token answers 403 and changes nothing', async () => {
      await staff.post('/staff/partners').type('form').send(formBody(partnerFields())).expect(403);
      expect(await PartnerModel.countDocuments()).to.equal(0);
    });
  });

  describe('search and filters', () => {
    beforeEach(async () => {
      await buildPartner();
      await buildPartner({ name: 'Oak Street Books', type: 'bookstores', topics: ['reading-culture'], contact: 'Sam Lee', status: 'contacted', notes: 'Author signings; gluten-free snacks' });
      await buildPartner({ name: 'First Credit Union', type: 'banks', topics: ['financial-literacy'], contact: 'Ana Ruiz', status: 'idea', notes: 'Ask about a budgeting class (.*( regex characters in a note)' });
      await buildPartner({ name: 'Old Mill Bakery', type: 'local-businesses', topics: ['arts-crafts'], contact: 'Pat Kim', status: 'past', notes: '' });
    });

    const names = async (query: string): Promise<string[]> => {
      const $ = cheerio.load((await board.get(`/staff/partners${query}`).expect(200)).text);
      return $('.partner-table tbody th a').map((_i, el) => $(el).text()).get();
    };

    it('GET /staff/partners lists every organization by name', async () => {
      expect(await names('')).to.deep.equal(['First Credit Union', 'Oak Street Books', 'Old Mill Bakery', 'Riverside Bakery']);
    });

    it('?q= matches names, contacts and notes, ignoring case', async () => {
      expect(await names('?q=BAKERY')).to.deep.equal(['Old Mill Bakery', 'Riverside Bakery']);
      expect(await names('?q=sam%20lee')).to.deep.equal(['Oak Street Books']);
      expect(await names('?q=Gluten')).to.deep.equal(['Oak Street Books']);
    });

    it('?q=.*( is matched literally: no error, and only the organization whose note contains ".*(" is listed', async () => {
      expect(await names(`?q=${encodeURIComponent('.*(')}`)).to.deep.equal(['First Credit Union']);
      expect(await names(`?q=${encodeURIComponent('.*')}`)).to.deep.equal(['First Credit Union']);
      expect(await names(`?q=${encodeURIComponent('[a-z]+')}`)).to.deep.equal([]);
      expect(await names(`?q=${encodeURIComponent('^R')}`)).to.deep.equal([]);
    });

    it('?type=, ?topic= and ?status= filter, combine with the search, and stay selected in the form', async () => {
      expect(await names('?type=local-businesses')).to.deep.equal(['Old Mill Bakery', 'Riverside Bakery']);
      expect(await names('?topic=reading-culture')).to.deep.equal(['Oak Street Books']);
      expect(await names('?status=past')).to.deep.equal(['Old Mill Bakery']);
      expect(await names('?type=local-businesses&status=active&q=bakery')).to.deep.equal(['Riverside Bakery']);
      const $ = cheerio.load((await board.get('/staff/partners?type=banks&q=credit').expect(200)).text);
      expect($('#s-type').val()).to.equal('banks');
      expect($('#s-q').val()).to.equal('credit');
      expect($('a[download]').attr('href')).to.equal('/staff/partners/export?q=credit&type=banks');
    });

    it('an unknown type, topic or status in the address answers 400 invalidFilter', async () => {
      for (const q of ['?type=circus', '?topic=juggling', '?status=maybe']) {
        const res = await board.get(`/staff/partners${q}`).expect(400);
        expect(res.text).to.contain('invalidFilter');
      }
      // A repeated single parameter is not a form field at all: refused before the route (form-shape.ts).
      expect((await board.get('/staff/partners?q=a&q=b').expect(400)).text).to.contain('badRequest');
    });
  });

  describe('roles', () => {
    it('a board member can read the list and a detail page but gets 403 for every change', async () => {
      const p = await buildPartner();
      const list = cheerio.load((await board.get('/staff/partners').expect(200)).text);
      expect(list('a[href="/staff/partners/new"]')).to.have.length(0);
      const detail = cheerio.load((await board.get(`/staff/partners/${p.id}`).expect(200)).text);
      expect(detail('form[action$="/programs"]')).to.have.length(0);
      await board.get('/staff/partners/new').expect(403);
      await board.get(`/staff/partners/${p.id}/edit`).expect(403);
      await board.get('/staff/partners/import').expect(403);
      await post(board, '/staff/partners', partnerFields({ name: 'Board org' }), boardToken).expect(403);
      await post(board, `/staff/partners/${p.id}`, partnerFields({ name: 'Renamed' }), boardToken).expect(403);
      await post(board, `/staff/partners/${p.id}/delete`, {}, boardToken).expect(403);
      await post(board, `/staff/partners/${p.id}/programs`, { date: '2026-01-01', title: 'x' }, boardToken).expect(403);
      const stored = await PartnerModel.find().lean();
      expect(stored.map((d) => d.name)).to.deep.equal(['Riverside Bakery']);
      expect(stored[0]!.programs).to.have.length(0);
    });

    it('anonymous requests are sent to sign in, and come back after', async () => {
      const res = await request(app).get('/staff/partners?type=banks').expect(303);
      expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent('/staff/partners?type=banks')}`);
      await request(app).get('/staff/partners/export').expect(303);
      await request(app).post('/staff/partners').type('form').send('name=x').expect(403);
    });
  });

  describe('program history', () => {
    it('POST …/programs with a bad date and no title answers 422 with the typed values; a valid entry answers 303 and is listed, newest first', async () => {
      const p = await buildPartner();
      const bad = await post(staff, `/staff/partners/${p.id}/programs`, { date: '2026-02-30', title: ' ', notes: 'Typed <notes>' }).expect(422);
      const $ = cheerio.load(bad.text);
      expect(codes($)).to.have.members(['date', 'titleRequired']);
      expect($('#prog-date').val()).to.equal('2026-02-30');
      expect($('#prog-notes').text()).to.equal('Typed <notes>');
      expect($('#prog-title').attr('aria-describedby')).to.equal('prog-title-error');
      const ok = await post(staff, `/staff/partners/${p.id}/programs`, { date: '2025-06-14', title: 'Summer reading party', notes: 'Cupcakes <3' }).expect(303);
      expect(ok.headers.location).to.equal(`/staff/partners/${p.id}#programs`);
      await post(staff, `/staff/partners/${p.id}/programs`, { date: '2026-01-20', title: 'Bread science for teens' }).expect(303);
      const page = await staff.get(`/staff/partners/${p.id}`).expect(200);
      const d = cheerio.load(page.text);
      expect(d('.timeline h3').map((_i, el) => d(el).text()).get()).to.deep.equal(['Bread science for teens', 'Summer reading party']);
      expect(d('.timeline time').first().attr('datetime')).to.equal('2026-01-20');
      expect(page.text).to.contain('Cupcakes &lt;3');
    });

    it('POST …/programs/:programId/delete removes only that entry', async () => {
      const p = await buildPartner();
      await post(staff, `/staff/partners/${p.id}/programs`, { date: '2025-06-14', title: 'Keep me' }).expect(303);
      await post(staff, `/staff/partners/${p.id}/programs`, { date: '2025-07-14', title: 'Remove me' }).expect(303);
      const stored = await PartnerModel.findById(p.id).lean();
      const target = stored!.programs.find((x) => x.title === 'Remove me')!;
      await post(staff, `/staff/partners/${p.id}/programs/${String(target._id)}/delete`, {}).expect(303);
      const after = await PartnerModel.findById(p.id).lean();
      expect(after!.programs.map((x) => x.title)).to.deep.equal(['Keep me']);
    });
  });
});
