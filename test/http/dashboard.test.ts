import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import type request from 'supertest';
import { analyzeOpenText, type LanguageTerms, type NewIdea, type TopicMentions } from '../../analytics/open-text.js';
import { DEMO_SLUG, seedDemoSurvey } from '../../surveys/demo.service.js';
import { getOpenTextResources } from '../../surveys/open-text-data.service.js';
import { SurveyModel } from '../../surveys/survey.model.js';
import { buildTestApp } from '../helpers/app.js';
import { signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { readPdf } from '../helpers/pdf.js';
import { buildSurvey } from '../fixtures/builders.js';

type Agent = ReturnType<typeof request.agent>;

describe('dashboard and JSON API on demo data', function () {
  this.timeout(60000);
  let app: Express;
  let board: Agent;
  let staff: Agent;
  let staffCsrf: () => Promise<string>;
  const api = `/api/surveys/${DEMO_SLUG}`;

  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    await clearDatabase();
    await seedDemoSurvey({ count: 900, seed: 7, days: 30, end: new Date('2026-11-01T00:00:00Z') });
    ({ agent: board } = await signedInAgent(app, 'board'));
    ({ agent: staff, csrf: staffCsrf } = await signedInAgent(app, 'staff'));
  });

  describe('GET /api/surveys/:slug/topics', () => {
    it('returns every catalog topic ranked, with reach, interval, priority, intensity, score, tie flag, n and partners', async () => {
      const res = await board.get(`${api}/topics`).expect(200);
      expect(res.body.n).to.equal(900);
      expect(res.body.enoughData).to.equal(true);
      expect(res.body.topics).to.have.length(17);
      const first = res.body.topics[0];
      expect(first).to.include.keys('topic', 'name', 'reach', 'reachLow', 'reachHigh', 'priority', 'intensity', 'score', 'rank', 'aboutEqualToNext', 'partners');
      expect(first.rank).to.equal(1);
      expect(first.reachLow).to.be.below(first.reach);
      expect(first.reachHigh).to.be.above(first.reach);
      expect(first.partners[0]).to.include.keys('type', 'name', 'reason');
      const scores = res.body.topics.map((t: { score: number }) => t.score);
      expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
    });

    it('filters by language (lang=es): fewer responses and English classes ranked higher (planted in the demo data)', async () => {
      const all = (await board.get(`${api}/topics`).expect(200)).body;
      const es = (await board.get(`${api}/topics?lang=es`).expect(200)).body;
      expect(es.n).to.be.within(100, 300);
      const rank = (body: { topics: { topic: string; rank: number }[] }): number => body.topics.find((t) => t.topic === 'esl-citizenship')!.rank;
      expect(rank(es)).to.be.below(rank(all));
    });

    it('repeatable answer filters combine: q.age=65-plus&q.age=55-64 counts both bands', async () => {
      const a = (await board.get(`${api}/topics?q.age=65-plus`).expect(200)).body.n;
      const b = (await board.get(`${api}/topics?q.age=55-64`).expect(200)).body.n;
      const both = (await board.get(`${api}/topics?q.age=65-plus&q.age=55-64`).expect(200)).body.n;
      expect(both).to.equal(a + b);
    });

    it('a group under 30 responses says there are too few to rank', async () => {
      const res = await board.get(`${api}/topics?lang=es&q.age=under-18&channel=paper`).expect(200);
      expect(res.body.n).to.be.below(30);
      expect(res.body.enoughData).to.equal(false);
    });

    it('weighted=1 adds a ranking raked to the population shares', async () => {
      const res = await board.get(`${api}/topics?weighted=1`).expect(200);
      expect(res.body.weighted.topics).to.have.length(17);
      expect(res.body.weighted.effectiveN).to.be.within(100, 900);
    });

    it('format=csv returns a UTF-8 CSV with a BOM and one row per topic', async () => {
      const res = await board.get(`${api}/topics?format=csv`).expect(200);
      expect(res.headers['content-type']).to.contain('text/csv');
      expect(res.text.charCodeAt(0)).to.equal(0xfeff);
      expect(res.text.trim().split('\n')).to.have.length(18);
    });

    const bad: [string, string][] = [
      ['an unknown question filter', '?q.nope=x'],
      ['an unknown option', '?q.age=ancient'],
      ['an unknown channel', '?channel=fax'],
      ['an unknown language', '?lang=xx'],
      ['a malformed date', '?from=2026-13-45'],
      ['a start after the end', '?from=2026-10-10&to=2026-10-01'],
      ['an unknown parameter', '?color=blue'],
      ['a repeated single-valued filter', '?channel=web&channel=kiosk'],
    ];
    for (const [what, query] of bad) {
      it(`${what} (${query}) answers 400 JSON with a code`, async () => {
        const res = await board.get(`${api}/topics${query}`).expect(400);
        expect(res.body.error.code).to.be.oneOf(['unknownFilter', 'invalidDate', 'invalidFilter', 'badRequest']);
      });
    }

    it('an unknown survey answers 404', async () => {
      await board.get('/api/surveys/nope/topics').expect(404);
    });
  });

  describe('GET /api/surveys/:slug/summary', () => {
    it('counts by day, channel, language and each demographic question, adding up to n', async () => {
      const res = await board.get(`${api}/summary`).expect(200);
      const sum = (rows: { n: number }[]): number => rows.reduce((a, r) => a + r.n, 0);
      expect(res.body.n).to.equal(900);
      expect(sum(res.body.byDay)).to.equal(900);
      expect(sum(res.body.byChannel)).to.equal(900);
      expect(sum(res.body.byLanguage)).to.equal(900);
      const age = res.body.demographics.find((d: { id: string }) => d.id === 'age');
      expect(sum(age.rows)).to.equal(age.answered);
      expect(res.body.representativeness[0].question).to.equal('age');
    });
  });

  describe('GET /api/surveys/:slug/segments/compare', () => {
    it('without a group answers 400 segmentRequired', async () => {
      const res = await board.get(`${api}/segments/compare`).expect(400);
      expect(res.body.error.code).to.equal('segmentRequired');
    });

    it('for Spanish speakers flags English classes as significantly higher, with a p-value', async () => {
      const res = await board.get(`${api}/segments/compare?lang=es`).expect(200);
      const row = res.body.rows.find((r: { topic: string }) => r.topic === 'esl-citizenship');
      expect(row.significant).to.equal(true);
      expect(row.direction).to.equal('higher');
      expect(row.p).to.be.below(0.001);
      expect(res.body.segmentN + res.body.restN).to.equal(900);
    });
  });

  describe('GET /api/surveys/:slug/open-text', () => {
    it('returns open answers with frequent terms per language, topic matches and new ideas', async () => {
      const res = await board.get(`${api}/open-text`).expect(200);
      expect(res.body.total).to.be.above(100);
      expect(res.body.answers).to.have.length(50);
      expect(res.body.languages.map((l: { lang: string }) => l.lang)).to.include('en');
      expect(res.body.topics.length).to.be.above(0);
      expect(res.body.newIdeas.length).to.be.above(0);
    });

    it('pages through every answer newest first, past the end shows the last page, and the analysis covers all of them', async () => {
      const first = (await board.get(`${api}/open-text`).expect(200)).body;
      const pages: number = first.pages;
      expect(pages).to.equal(Math.ceil(first.total / 50)).and.to.be.above(2);
      const all: { text: string; lang: string; day: string }[] = [];
      for (let p = 1; p <= pages; p++) {
        const body = (await board.get(`${api}/open-text?page=${p}`).expect(200)).body;
        expect(body.page).to.equal(p);
        expect(body.total).to.equal(first.total);
        expect(body.languages).to.deep.equal(first.languages);
        expect(body.answers).to.have.length(p < pages ? 50 : first.total - (pages - 1) * 50);
        all.push(...body.answers);
      }
      expect(all).to.have.length(first.total);
      const days = all.map((a) => a.day);
      expect(days).to.deep.equal([...days].sort().reverse());
      const past = (await board.get(`${api}/open-text?page=${pages + 3}`).expect(200)).body;
      expect(past.page).to.equal(pages);
      expect(past.answers).to.deep.equal(all.slice((pages - 1) * 50));
      const analysis = analyzeOpenText(all.map((a) => ({ text: a.text, lang: a.lang })), getOpenTextResources());
      expect(first.languages.map(({ lang, answers, words, phrases }: LanguageTerms) => ({ lang, answers, words, phrases }))).to.deep.equal(analysis.languages);
      expect(first.topics.map(({ topic, count, langs }: TopicMentions) => ({ topic, count, langs }))).to.deep.equal(analysis.topics);
      expect(first.newIdeas.map(({ lang, term, count }: NewIdea) => ({ lang, term, count }))).to.deep.equal(analysis.newIdeas);
    });
  });

  describe('dashboard page /staff/surveys/:slug', () => {
    it('renders the ranked topics table, partner suggestions, charts data and CSV links', async () => {
      const res = await board.get(`/staff/surveys/${DEMO_SLUG}`).expect(200);
      const $ = cheerio.load(res.text);
      expect($('#topic-table tbody tr')).to.have.length(17);
      expect($('.partner-card')).to.have.length(5);
      expect($('.partner-card').first().find('.partner-invite').text()).to.contain('None of these kinds of organization is on file yet.');
      const spec = JSON.parse($('figure.chart').first().attr('data-chart')!);
      expect(spec.labels).to.have.length(17);
      expect($('a[href*="format=csv"]').length).to.be.at.least(2);
      expect($('script[src="/public/js/dashboard.bundle.js"]').length).to.equal(1);
      expect($('#segment .notice').length).to.equal(1);
    });

    it('the same numbers as the API: each table row shows the API reach', async () => {
      const apiTopics = (await board.get(`${api}/topics`).expect(200)).body.topics as { topic: string; reach: number }[];
      const $ = cheerio.load((await board.get(`/staff/surveys/${DEMO_SLUG}`).expect(200)).text);
      for (const t of apiTopics) expect(Number($(`#topic-table tr[data-topic="${t.topic}"] td[data-reach]`).attr('data-reach'))).to.be.closeTo(t.reach, 1e-9);
    });

    it('filters in the URL change the numbers and show the group comparison', async () => {
      const $ = cheerio.load((await board.get(`/staff/surveys/${DEMO_SLUG}?lang=es`).expect(200)).text);
      expect($('#f-lang option[selected]').val()).to.equal('es');
      expect($('#segment-table tbody tr').length).to.be.above(0);
      expect($('.status').text()).to.match(/\d+/);
    });

    it('a bad filter answers 400 with a localized page', async () => {
      const res = await board.get(`/staff/surveys/${DEMO_SLUG}?from=yesterday`).expect(400);
      expect(res.text).to.contain('invalidDate');
    });

    it('does not read the open answers: it links to their page with the same filters (JavaScript loads them in place)', async () => {
      const $ = cheerio.load((await board.get(`/staff/surveys/${DEMO_SLUG}?lang=es`).expect(200)).text);
      const section = $('section#open-text');
      expect(section.attr('data-open-text')).to.equal(`/staff/surveys/${DEMO_SLUG}/open-text?lang=es`);
      expect(section.find('.open-text-body a').attr('href')).to.equal(`/staff/surveys/${DEMO_SLUG}/open-text?lang=es`);
      expect(section.find('table')).to.have.length(0);
      // An old link from when the answers were paged on the dashboard still opens it.
      await board.get(`/staff/surveys/${DEMO_SLUG}?page=3`).expect(200);
    });
  });

  describe('open answers page /staff/surveys/:slug/open-text', () => {
    it('shows the topic matches, new ideas, terms per language and the newest 50 answers, the same as the API, with pages and a CSV link', async () => {
      const body = (await board.get(`${api}/open-text`).expect(200)).body;
      const $ = cheerio.load((await board.get(`/staff/surveys/${DEMO_SLUG}/open-text`).expect(200)).text);
      const section = $('#open-text .open-text-body');
      expect(section.find('#answers + table tbody tr')).to.have.length(50);
      expect(section.find('#answers + table tbody tr td:last-child').map((_, el) => $(el).text()).get()).to.deep.equal(body.answers.map((a: { text: string }) => a.text));
      expect(section.find('.pager').text()).to.contain(`1 of ${body.pages}`);
      expect(section.find('.pager a').attr('href')).to.equal(`/staff/surveys/${DEMO_SLUG}/open-text?page=2#answers`);
      expect(section.find('a[href*="format=csv"]').attr('href')).to.equal(`${api}/open-text?format=csv`);
      expect(section.find('table').first().find('tbody tr')).to.have.length(body.topics.length);
      expect($('a[href="/staff/surveys/' + DEMO_SLUG + '"]').length).to.be.above(0);
    });

    it('says which filters apply, in words: the question and its answers, the language, the dates', async () => {
      const $ = cheerio.load((await board.get(`/staff/surveys/${DEMO_SLUG}/open-text?q.age=65-plus&q.age=55-64&lang=vi&from=2026-10-01`).expect(200)).text);
      const items = $('.filter-list li').map((_, el) => $(el).text()).get();
      expect(items).to.have.length(3);
      expect(items[0]).to.match(/^[^:]+: 65\D.*, 55\D*64/);
      expect(items.slice(1)).to.deep.equal(['Language: Tiếng Việt', 'From: 2026-10-01']);
      expect($('.status a').attr('href')).to.equal(`/staff/surveys/${DEMO_SLUG}/open-text`);
      const all = cheerio.load((await board.get(`/staff/surveys/${DEMO_SLUG}/open-text`).expect(200)).text);
      expect(all('.filter-list')).to.have.length(0);
    });

    it('keeps the filters in every link, pages past the end show the last page, and a bad filter answers 400 with a localized page', async () => {
      const $ = cheerio.load((await board.get(`/staff/surveys/${DEMO_SLUG}/open-text?lang=es&page=999`).expect(200)).text);
      const body = (await board.get(`${api}/open-text?lang=es&page=999`).expect(200)).body;
      expect($('.pager').text()).to.contain(`${body.pages} of ${body.pages}`);
      expect($('#answers + table tbody tr')).to.have.length(body.answers.length);
      expect($('.breadcrumb a').attr('href')).to.equal(`/staff/surveys/${DEMO_SLUG}?lang=es`);
      expect($('.filter-list li').map((_, el) => $(el).text()).get()).to.deep.equal(['Language: Español']);
      expect($('.pager a').attr('href')).to.equal(`/staff/surveys/${DEMO_SLUG}/open-text?lang=es&page=${body.pages - 1}#answers`);
      const bad = await board.get(`/staff/surveys/${DEMO_SLUG}/open-text?from=yesterday`).expect(400);
      expect(bad.text).to.contain('invalidDate');
      expect(bad.text).to.not.match(/\.ts:\d+|node_modules/);
    });

    it('a survey with fewer than 30 responses says there are too few to rank, with no chart', async () => {
      await buildSurvey({ slug: 'tiny' });
      const $ = cheerio.load((await board.get('/staff/surveys/tiny').expect(200)).text);
      expect($('#topics .notice').text()).to.contain('0');
      expect($('#topic-table').length).to.equal(0);
    });
  });

  describe('settings', () => {
    it('POST weights that do not add up to 100 answers 422 with the values kept', async () => {
      const res = await staff.post(`/staff/surveys/${DEMO_SLUG}/weights`).type('form').send({ _csrf: await staffCsrf(), reach: '50', priority: '50', intensity: '50' }).expect(422);
      expect(cheerio.load(res.text)('#w-reach').val()).to.equal('50');
    });

    it('POST valid weights changes the scores the API reports', async () => {
      await staff.post(`/staff/surveys/${DEMO_SLUG}/weights`).type('form').send({ _csrf: await staffCsrf(), reach: '100', priority: '0', intensity: '0' }).expect(303);
      const res = await board.get(`${api}/topics`).expect(200);
      expect(res.body.weights).to.deep.equal({ reach: 1, priority: 0, intensity: 0 });
      for (const t of res.body.topics) expect(t.score).to.be.closeTo(t.reach, 1e-9);
      await staff.post(`/staff/surveys/${DEMO_SLUG}/weights`).type('form').send({ _csrf: await staffCsrf(), reset: '1' }).expect(303);
    });

    it('POST population shares that do not add up answers 422; valid ones are saved', async () => {
      const shares = (values: string[]): Record<string, string> => Object.fromEntries(['under-18', '18-24', '25-34', '35-44', '45-54', '55-64', '65-plus'].map((o, i) => [`share.age.${o}`, values[i] ?? '']));
      await staff.post(`/staff/surveys/${DEMO_SLUG}/population`).type('form').send({ _csrf: await staffCsrf(), ...shares(['50', '50', '50']) }).expect(422);
      await staff.post(`/staff/surveys/${DEMO_SLUG}/population`).type('form').send({ _csrf: await staffCsrf(), ...shares(['abc']) }).expect(422);
      await staff.post(`/staff/surveys/${DEMO_SLUG}/population`).type('form').send({ _csrf: await staffCsrf(), ...shares(['20', '10', '15', '15', '15', '10', '15']) }).expect(303);
      const saved = (await SurveyModel.findOne({ slug: DEMO_SLUG }).lean())!.analysis.population;
      expect(saved[0].shares['under-18']).to.be.closeTo(0.2, 1e-9);
    });
  });

  describe('board summary', () => {
    it('GET /reports/:slug/summary shows headline numbers, top topics with sentences, partners and method', async () => {
      const $ = cheerio.load((await board.get(`/reports/${DEMO_SLUG}/summary`).expect(200)).text);
      expect($('.facts .big').text()).to.equal('900');
      expect($('.summary-topics li')).to.have.length(6);
      expect($('.summary-topics__sentence').first().text()).to.match(/in 10/);
      expect($('#s-partners').length).to.equal(1);
      expect($('.summary__method p').length).to.equal(4);
    });

    for (const size of ['letter', 'a4']) {
      it(`GET /reports/:slug/summary.pdf?size=${size} returns a PDF of at most two pages with the top topics and partners`, async () => {
        const res = await board.get(`/reports/${DEMO_SLUG}/summary.pdf?size=${size}`).buffer(true).parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        }).expect(200);
        expect(res.headers['content-type']).to.contain('application/pdf');
        const pdf = await readPdf(res.body as Buffer);
        expect(pdf.pages).to.be.within(1, 2);
        const topics = (await board.get(`${api}/topics`).expect(200)).body.topics as { name: string; partners: { name: string }[] }[];
        expect(pdf.text).to.contain(topics[0]!.name);
        expect(pdf.text).to.contain('Suggested partners');
        expect(pdf.text).to.contain('900');
      });
    }

    it('GET /reports/:slug/summary?hl=es is in Spanish with the same filters', async () => {
      const $ = cheerio.load((await board.get(`/reports/${DEMO_SLUG}/summary?hl=es&lang=es`).expect(200)).text);
      expect($('html').attr('lang')).to.equal('es');
      expect($('.summary__headline').text()).to.contain('Filtros');
    });
  });
});
