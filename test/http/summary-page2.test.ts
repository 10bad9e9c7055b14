import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import type request from 'supertest';
import { MIN_RESPONSES } from '../../analytics/index.js';
import { DEMO_SLUG, seedDemoSurvey } from '../../surveys/demo.service.js';
import { buildTestApp } from '../helpers/app.js';
import { signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { readPdf } from '../helpers/pdf.js';
import { buildPartner } from '../fixtures/partners.js';

type Agent = ReturnType<typeof request.agent>;
interface ApiTopic { topic: string; name: string; reach: number; rank: number; partners: { type: string; name: string }[] }
interface ApiRow { id: string; label: string; n: number }
interface ApiRepr { label: string; rows: { label: string; responseShare: number; populationShare: number; underHeard: boolean }[] }

const SUMMARY = `/reports/${DEMO_SLUG}/summary`;
const API = `/api/surveys/${DEMO_SLUG}`;
const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

async function pdfText(agent: Agent, url: string): Promise<{ pages: number; text: string }> {
  const res = await agent.get(url).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  }).expect(200);
  return readPdf(res.body as Buffer);
}

describe('board summary page 2: what the board acts on, with the numbers of the JSON API', function () {
  this.timeout(180000);
  let app: Express;
  let board: Agent;
  let $: cheerio.CheerioAPI;
  let top: ApiTopic[];

  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    await clearDatabase();
    await seedDemoSurvey({ count: 400, seed: 7, days: 30, end: new Date('2026-11-01T00:00:00Z') });
    ({ agent: board } = await signedInAgent(app, 'board'));
    top = ((await board.get(`${API}/topics`).expect(200)).body.topics as ApiTopic[]).slice(0, 3);
    await buildPartner({ name: 'Eastside Partner Org', type: top[0]!.partners[0]!.type, topics: [top[0]!.topic], status: 'active' });
    $ = cheerio.load((await board.get(SUMMARY).expect(200)).text);
  });

  it('GET the summary: each group\'s row shows its people and the 3 topics it chose most, with the reach the topics API gives for that group', async () => {
    const demographics = (await board.get(`${API}/summary`).expect(200)).body.demographics as { id: string; rows: ApiRow[] }[];
    const tables = $('table.summary-groups__table');
    expect(tables.map((_, el) => $(el).attr('data-question')).get()).to.deep.equal(['age', 'homeLanguage', 'visits', 'children']);
    let rows = 0;
    for (const table of tables.toArray()) {
      const question = $(table).attr('data-question')!;
      for (const tr of $(table).find('tr[data-group]').toArray()) {
        const group = $(tr).attr('data-group')!;
        const api = (await board.get(`${API}/topics?q.${question}=${group}`).expect(200)).body as { n: number; topics: ApiTopic[] };
        expect(api.n).to.be.at.least(MIN_RESPONSES);
        expect($(tr).find('.summary-groups__n').text()).to.equal(`(${api.n} people)`);
        const expected = [...api.topics].sort((a, b) => b.reach - a.reach || a.rank - b.rank).slice(0, 3);
        const shown = $(tr).find('li[data-topic]').toArray().map((li) => ({ topic: $(li).attr('data-topic'), name: $(li).find('.summary-groups__topic').text(), pct: $(li).find('.summary-groups__pct').text() }));
        expect(shown, `${question}=${group}`).to.deep.equal(expected.map((x) => ({ topic: x.topic, name: x.name, pct: pct(x.reach) })));
        rows++;
      }
      // Groups with some answers but too few to rank are named once, on one line.
      const few = demographics.find((d) => d.id === question)!.rows.filter((r) => r.n > 0 && r.n < MIN_RESPONSES);
      const line = $(table).next('.summary-groups__few').text();
      if (few.length) for (const r of few) expect(line, question).to.contain(r.id === 'other' ? 'Other' : r.label);
      else expect(line).to.equal('');
    }
    expect(rows).to.be.greaterThan(8);
  });

  it('GET the summary: the under-heard groups are those the summary API flags, with their shares; the others are not listed', async () => {
    const repr = (await board.get(`${API}/summary`).expect(200)).body.representativeness as ApiRepr[];
    const under = repr.flatMap((r) => r.rows.filter((x) => x.underHeard));
    expect(under.length).to.be.greaterThan(0);
    const shown = $('.summary-who__list dd').map((_, el) => $(el).text()).get();
    const share = (x: number): string => new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 }).format(x);
    expect(shown).to.deep.equal(under.map((x) => `${x.label}: ${share(x.responseShare)} of answers, ${share(x.populationShare)} of the community`));
    expect($('.summary-who__list dt').text()).to.equal(repr[0]!.label);
  });

  it('GET the summary: the organization on file shows under its type; the types with none are named once per top topic, never "none on file" per type', async () => {
    const text = $('#s-partners').parent().text().replace(/\s+/g, ' ');
    expect(text).to.contain(`${top[0]!.partners[0]!.name}: On file: Eastside Partner Org`);
    expect($('.summary-partners__missing')).to.have.length(3);
    expect($('.summary-partners__missing').first().text()).to.equal(`No partners on file yet for: ${new Intl.ListFormat('en', { type: 'conjunction' }).format(top[0]!.partners.slice(1).map((p) => p.name))}`);
    expect(text.toLowerCase()).not.to.contain('none on file');
  });

  for (const size of ['letter', 'a4']) {
    it(`GET the server PDF (size=${size}, English and Spanish) gives 2 pages with page 2's groups, under-heard line and partners`, async () => {
      const en = await pdfText(board, `${SUMMARY}.pdf?size=${size}`);
      expect(en.pages).to.equal(2);
      for (const expected of ['What the board can act on', 'Top topics in each group', 'How old are you?', 'Groups we heard from less than their share of the community:', 'On file: Eastside Partner Org', 'No partners on file yet for:']) expect(en.text).to.contain(expected);
      const es = await pdfText(board, `${SUMMARY}.pdf?size=${size}&hl=es`);
      expect(es.pages).to.equal(2);
      expect(es.text).to.contain('Lo que la junta puede hacer');
    });
  }
});
