import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import type request from 'supertest';
import { DEMO_SLUG, seedDemoSurvey } from '../../surveys/demo.service.js';
import { savePopulation } from '../../surveys/response-summary.service.js';
import { findSurvey } from '../../surveys/survey.service.js';
import { buildTestApp } from '../helpers/app.js';
import { signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { readPdf } from '../helpers/pdf.js';

type Agent = ReturnType<typeof request.agent>;

const sentences = (html: string): { kind: string; text: string }[] => {
  const $ = cheerio.load(html);
  return $('#findings li').map((_, li) => ({ kind: $(li).attr('data-finding') ?? '', text: $(li).text().trim() })).get();
};

describe('key findings on the dashboard and the board summary', function () {
  this.timeout(90000);
  let app: Express;
  let board: Agent;
  let staff: Agent;

  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    await clearDatabase();
    await seedDemoSurvey({ count: 400, seed: 7, days: 30, end: new Date('2026-11-01T00:00:00Z') });
    ({ agent: board } = await signedInAgent(app, 'board'));
    ({ agent: staff } = await signedInAgent(app, 'staff'));
  });

  for (const hl of ['en', 'es', 'ar']) {
    it(`GET the summary with hl=${hl} opens with the dashboard's key-finding sentences in the same language, before the headline numbers`, async () => {
      const dashboard = sentences((await board.get(`/staff/surveys/${DEMO_SLUG}?hl=${hl}`).expect(200)).text);
      expect(dashboard.map((f) => f.kind)).to.include.members(['responses', 'topTopics', 'difference', 'underHeard']);
      const res = await board.get(`/reports/${DEMO_SLUG}/summary?hl=${hl}`).expect(200);
      const $ = cheerio.load(res.text);
      expect($('main > section').first().attr('id')).to.equal('findings');
      expect($('#findings li').map((_, li) => $(li).text().trim()).get()).to.deep.equal(dashboard.filter((f) => f.kind !== 'noPopulation').map((f) => f.text));
    });
  }

  it('GET the summary with a group filter (q.age=65-plus) says what stands out for that group, as the dashboard does', async () => {
    const dashboard = sentences((await board.get(`/staff/surveys/${DEMO_SLUG}?q.age=65-plus&hl=en`).expect(200)).text);
    const differences = dashboard.filter((f) => f.kind === 'difference').map((f) => f.text);
    expect(differences.length).to.be.above(0);
    for (const d of differences) expect(d).to.match(/^People in this group/);
    const $ = cheerio.load((await board.get(`/reports/${DEMO_SLUG}/summary?q.age=65-plus&hl=en`).expect(200)).text);
    expect($('#findings li').map((_, li) => $(li).text().trim()).get()).to.include.members(differences);
  });

  it('GET the summary PDF has "Key findings" and the number of responses on page 1, still in at most two pages', async () => {
    const res = await board.get(`/reports/${DEMO_SLUG}/summary.pdf?size=letter&hl=en`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const pdf = await readPdf(res.body as Buffer);
    expect(pdf.pages).to.be.within(1, 2);
    const text = pdf.text.replace(/\s+/g, ' ');
    expect(text).to.contain('Key findings');
    expect(text).to.contain('400 people answered');
    expect(text.indexOf('Key findings')).to.be.below(text.indexOf('What the community wants most'));
  });

  it('with no population shares, the comparison section says what is missing and how to add it (staff: the form below; board: staff can), and the findings say who is under-heard is not known yet', async () => {
    await savePopulation((await findSurvey(DEMO_SLUG))!, []);
    const staffPage = cheerio.load((await staff.get(`/staff/surveys/${DEMO_SLUG}?hl=en`).expect(200)).text);
    expect(staffPage('#repr-empty').text()).to.contain('No population shares have been entered yet').and.to.contain('Population shares');
    expect(staffPage('#population-form summary').text()).to.equal('Population shares');
    expect(staffPage('#findings li[data-finding="noPopulation"]')).to.have.length(1);
    const boardPage = cheerio.load((await board.get(`/staff/surveys/${DEMO_SLUG}?hl=es`).expect(200)).text);
    expect(boardPage('#repr-empty').text()).to.contain('El personal de la biblioteca puede añadirlos');
    expect(boardPage('#population-form')).to.have.length(0);
  });
});
