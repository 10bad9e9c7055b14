import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import type request from 'supertest';
import { getCatalog } from '../../surveys/catalog.service.js';
import { DEMO_PARTNERS } from '../../surveys/demo-partners.js';
import { DEMO_SLUG, seedDemoPartners, seedDemoSurvey } from '../../surveys/demo.service.js';
import { topicRanking } from '../../surveys/insights.service.js';
import { PartnerModel } from '../../surveys/partner.model.js';
import { PARTNER_STATUSES } from '../../surveys/partner.schema.js';
import { organizationsFor } from '../../surveys/partner.service.js';
import type { SurveySnapshot } from '../../surveys/survey.service.js';
import { buildTestApp } from '../helpers/app.js';
import { signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';

type Agent = ReturnType<typeof request.agent>;
const DASHBOARD = `/staff/surveys/${DEMO_SLUG}`;
const END = new Date('2026-11-01T00:00:00Z');

describe('partner invitations on the dashboard and the demo partner directory', function () {
  this.timeout(60000);
  let app: Express;
  let staff: Agent;
  let board: Agent;
  let survey: SurveySnapshot;

  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    await clearDatabase();
    survey = await seedDemoSurvey({ count: 300, seed: 11, days: 30, end: END });
    ({ agent: staff } = await signedInAgent(app, 'staff'));
    ({ agent: board } = await signedInAgent(app, 'board'));
  });

  describe('with an empty directory', () => {
    it('GET the dashboard as staff: each of the 5 topic cards says once that nothing is on file and links to the partner form with its strongest type and its topic; no per-type "None on file"', async () => {
      const ranking = await topicRanking(survey, { answers: {}, weighted: false }, 'en');
      const $ = cheerio.load((await staff.get(DASHBOARD).expect(200)).text);
      const cards = $('.partner-card');
      expect(cards).to.have.length(5);
      cards.each((i, el) => {
        const card = $(el);
        const topic = ranking.topics[i]!;
        expect(card.attr('data-topic')).to.equal(topic.topic);
        expect(card.find('.partner-invite')).to.have.length(1);
        expect(card.find('.partner-invite').text()).to.contain('None of these kinds of organization is on file yet.');
        const link = card.find('.partner-invite a');
        expect(link).to.have.length(1);
        expect(link.attr('href')).to.equal(`/staff/partners/new?type=${topic.partners[0]!.type}&topic=${topic.topic}`);
        expect(link.text().trim()).to.equal(topic.partners[0]!.invite);
        expect(card.find('> ul > li')).to.have.length(topic.partners.length);
      });
      expect($('main').text()).not.to.contain('None on file yet');
      expect($('.partner-invite').length).to.equal(5);
    });

    it('GET the dashboard as a board member: the same one line per topic, without a link (the board cannot add organizations)', async () => {
      const $ = cheerio.load((await board.get(DASHBOARD).expect(200)).text);
      expect($('.partner-invite')).to.have.length(5);
      expect($('.partner-invite a')).to.have.length(0);
    });

    it('GET the dashboard with ?hl=ar: the invitation is the Arabic catalog sentence', async () => {
      const ranking = await topicRanking(survey, { answers: {}, weighted: false }, 'ar');
      const $ = cheerio.load((await staff.get(`${DASHBOARD}?hl=ar`).expect(200)).text);
      expect($('html').attr('lang')).to.equal('ar');
      expect($('.partner-invite a').first().text().trim()).to.equal(getCatalog().texts.ar.invites[ranking.topics[0]!.partners[0]!.type]);
      await staff.get(`${DASHBOARD}?hl=en`).expect(200);
    });
  });

  describe('the partner form opened from an invitation', () => {
    it('GET /staff/partners/new?type=senior-centers&topic=digital-literacy: "Senior centers" is selected and the digital skills topic (only) is ticked, in the HTML itself', async () => {
      const $ = cheerio.load((await staff.get('/staff/partners/new?type=senior-centers&topic=digital-literacy').expect(200)).text);
      expect($('#p-type option[selected]').attr('value')).to.equal('senior-centers');
      expect($('#p-type option[selected]').text()).to.equal('Senior centers');
      expect($('input[name=topics][checked]').map((_i, el) => $(el).attr('value')).get()).to.deep.equal(['digital-literacy']);
      expect($('#p-name').val()).to.equal('');
    });

    it('GET the form with an unknown type and topic: 200, nothing chosen (the form is still usable)', async () => {
      const $ = cheerio.load((await staff.get('/staff/partners/new?type=nope&topic=%3Cb%3E').expect(200)).text);
      expect($('#p-type option[selected]')).to.have.length(0);
      expect($('input[name=topics][checked]')).to.have.length(0);
    });

    it('POST the prefilled form with a name: the organization is stored with that type and topic', async () => {
      const form = cheerio.load((await staff.get('/staff/partners/new?type=senior-centers&topic=digital-literacy').expect(200)).text);
      await staff.post('/staff/partners').type('form').send({ _csrf: String(form('input[name=_csrf]').val()), name: 'Test Senior Center', type: 'senior-centers', topics: 'digital-literacy', status: 'idea' }).expect(303);
      const stored = await PartnerModel.findOne({ name: 'Test Senior Center' }).lean();
      expect(stored).to.include({ type: 'senior-centers' });
      expect(stored!.topics).to.deep.equal(['digital-literacy']);
      await PartnerModel.deleteMany({ name: 'Test Senior Center' });
    });
  });

  describe('the demo directory (seedDemoPartners)', () => {
    before(async () => {
      await seedDemoPartners(END);
    });

    it('stores at least 15 organizations of at least 4 types, at every status, some with programs, with notes in more than one language', async () => {
      const docs = await PartnerModel.find({}).lean();
      expect(docs.length).to.equal(DEMO_PARTNERS.length);
      expect(docs.length).to.be.at.least(15);
      expect(new Set(docs.map((d) => d.type)).size).to.be.at.least(4);
      expect(new Set(docs.map((d) => d.status))).to.deep.equal(new Set(PARTNER_STATUSES));
      expect(docs.filter((d) => d.programs.length > 0).length).to.be.at.least(5);
      const catalog = getCatalog();
      for (const d of docs) {
        expect(catalog.partnerTypes, d.name).to.include(d.type);
        for (const t of d.topics) expect(catalog.topicIds.has(t), `${d.name}: ${t}`).to.equal(true);
      }
      const texts = docs.map((d) => `${d.name} ${d.notes}`).join(' ');
      expect(texts).to.match(/[\u4e00-\u9fff]/); // Chinese
      expect(texts).to.match(/ơ|ư|ệ|ộ/); // Vietnamese
      expect(texts).to.match(/currículum|Panadería/); // Spanish
      expect(texts).to.match(/Yo ka ede/); // Haitian Creole
    });

    it('program dates are counted back from the end date given (2026-11-01), never from the clock', async () => {
      const center = await PartnerModel.findOne({ name: 'Fields Corner Senior Center' }).lean();
      expect(center!.programs.map((p) => p.date.toISOString().slice(0, 10)).sort()).to.deep.equal(['2026-07-06', '2026-09-21']);
    });

    it('running it again updates the same organizations: no duplicates, and another library entry is left alone', async () => {
      await PartnerModel.create({ name: 'Our Own Partner', nameKey: 'our own partner', type: 'banks', status: 'active' });
      await seedDemoPartners(END);
      expect(await PartnerModel.countDocuments({})).to.equal(DEMO_PARTNERS.length + 1);
      await PartnerModel.deleteMany({ name: 'Our Own Partner' });
    });

    it('GET the dashboard: the cards list demo organizations, and a card invites only where some suggested type has none on file (the strongest such type)', async () => {
      const ranking = await topicRanking(survey, { answers: {}, weighted: false }, 'en');
      const top = ranking.topics.slice(0, 5);
      const orgs = await organizationsFor(top.flatMap((x) => x.partners.map((p) => ({ topic: x.topic, type: p.type }))));
      const $ = cheerio.load((await staff.get(DASHBOARD).expect(200)).text);
      expect($('.partner-card .org-list a').length).to.be.greaterThan(3);
      let invites = 0;
      top.forEach((topic, i) => {
        const card = $('.partner-card').eq(i);
        const missing = topic.partners.filter((p) => !orgs.get(`${topic.topic}/${p.type}`)!.length);
        if (!missing.length) {
          expect(card.find('.partner-invite'), topic.topic).to.have.length(0);
          return;
        }
        invites++;
        expect(card.find('.partner-invite a').attr('href')).to.equal(`/staff/partners/new?type=${missing[0]!.type}&topic=${topic.topic}`);
        const line = card.find('.partner-invite .muted').text();
        expect(line).to.equal(missing.length === topic.partners.length ? 'None of these kinds of organization is on file yet.' : `Nothing on file yet for ${missing.length} of these ${topic.partners.length} kinds of organization.`);
      });
      expect($('.partner-invite').length).to.equal(invites);
      expect(invites).to.be.greaterThan(0);
      expect($.html()).not.to.contain('Savin Hill Books'); // a past partner is not suggested
    });
  });
});
