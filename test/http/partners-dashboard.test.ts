import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import type { TFunction } from 'i18next';
import type request from 'supertest';
import { buildSummaryModel } from '../../server/reports/summary.builder.js';
import { DEMO_SLUG, seedDemoSurvey } from '../../surveys/demo.service.js';
import { topicRanking } from '../../surveys/insights.service.js';
import type { LocalizedText } from '../../surveys/definition.schema.js';
import type { SurveySnapshot } from '../../surveys/survey.service.js';
import { buildTestApp, testI18n } from '../helpers/app.js';
import { signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { buildPartner } from '../fixtures/partners.js';

type Agent = ReturnType<typeof request.agent>;

describe('partner directory on the dashboard and the board summary', function () {
  this.timeout(60000);
  let app: Express;
  let board: Agent;
  let survey: SurveySnapshot;
  let top: { topic: string; name: string; partners: { type: string; name: string }[] };
  let activeId: string;

  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    await clearDatabase();
    survey = await seedDemoSurvey({ count: 300, seed: 11, days: 30, end: new Date('2026-11-01T00:00:00Z') });
    ({ agent: board } = await signedInAgent(app, 'board'));
    const ranking = await topicRanking(survey, { answers: {}, weighted: false }, 'en');
    expect(ranking.enoughData).to.equal(true);
    top = ranking.topics[0]!;
    const type = top.partners[0]!.type;
    // Listed: active and idea of the right type and topic. Not listed: a past partner, one of
    // another type with the topic, and one of the right type without the topic.
    activeId = (await buildPartner({ name: 'Zeta <Active> Partners', type, topics: [top.topic], status: 'active' })).id;
    await buildPartner({ name: 'Alpha Idea Org', type, topics: [top.topic, 'sustainability'], status: 'idea' });
    await buildPartner({ name: 'Past Partner Org', type, topics: [top.topic], status: 'past' });
    await buildPartner({ name: 'Wrong Type Org', type: top.partners[0]!.type === 'environmental-groups' ? 'banks' : 'environmental-groups', topics: [top.topic], status: 'active' });
    await buildPartner({ name: 'Wrong Topic Org', type, topics: [top.topic === 'sustainability' ? 'job-skills' : 'sustainability'], status: 'active' });
  });

  it('the dashboard card of the top topic lists the matching organizations under their partner type, active first, linked; the types with none on file are counted once for the card', async () => {
    const $ = cheerio.load((await board.get(`/staff/surveys/${DEMO_SLUG}`).expect(200)).text);
    const card = $('.partner-card').first();
    expect(card.find('h4').text()).to.contain(top.name);
    const items = card.find('> ul > li');
    expect(items).to.have.length(top.partners.length);
    const first = items.first();
    expect(first.find('strong').text()).to.equal(top.partners[0]!.name);
    expect(first.find('.org-list a').map((_i, el) => $(el).text()).get()).to.deep.equal(['Zeta <Active> Partners', 'Alpha Idea Org']);
    expect(first.find('.org-list a').first().attr('href')).to.equal(`/staff/partners/${activeId}`);
    expect(first.find('.org-list')).to.have.length(1);
    items.slice(1).each((_i, el) => {
      expect($(el).find('.org-list')).to.have.length(0);
    });
    // The other types have nothing on file: said once for the card, not on every type.
    expect(card.find('.partner-invite').text()).to.contain(`Nothing on file yet for ${top.partners.length - 1} of these ${top.partners.length} kinds of organization.`);
    expect($('.partner-card').slice(1).text()).not.to.contain('Zeta');
    expect($.html()).not.to.contain('Past Partner Org');
    expect($.html()).not.to.contain('Wrong Type Org');
  });

  it('the board summary page lists the organization names under the partner type', async () => {
    const $ = cheerio.load((await board.get(`/reports/${DEMO_SLUG}/summary`).expect(200)).text);
    const text = $('#s-partners').parent().text();
    expect(text).to.contain('On file: Zeta <Active> Partners and Alpha Idea Org');
    expect(text).not.to.contain('Past Partner Org');
  });

  it('buildSummaryModel fills partners[].suggestions[].organizations with the names, and [] where there are none', async () => {
    const L = (x: LocalizedText | undefined): string => (x as Record<string, string> | undefined)?.en ?? '';
    const t = (await testI18n()).getFixedT('en') as TFunction;
    const model = await buildSummaryModel({ survey, filter: { answers: {}, weighted: false }, lang: 'en', L }, t, 'Test Library', new Date('2026-11-02T00:00:00Z'));
    expect(model.partners[0]!.topic).to.equal(top.name);
    expect(model.partners[0]!.suggestions[0]!.organizations).to.deep.equal(['Zeta <Active> Partners', 'Alpha Idea Org']);
    expect(model.partners[0]!.suggestions.slice(1).every((s) => s.organizations.length === 0)).to.equal(true);
    expect(model.partners.slice(1).flatMap((p) => p.suggestions.flatMap((s) => s.organizations))).to.deep.equal([]);
  });
});
