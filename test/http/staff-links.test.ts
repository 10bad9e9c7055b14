import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import type request from 'supertest';
import { clearSettingsCache, saveSettings } from '../../surveys/settings.service.js';
import { SpamResponseModel } from '../../surveys/spam.model.js';
import { buildTestApp } from '../helpers/app.js';
import { signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { listRoutes } from '../helpers/routes.js';
import { buildSurvey } from '../fixtures/builders.js';
import { buildPartner } from '../fixtures/partners.js';

type Agent = ReturnType<typeof request.agent>;
const ORIGIN = 'https://survey.library.test';
const BASE = '/staff/surveys/test-survey';

/** Where a link or GET form leads, as a path and query on this app (null for other sites and fragments). */
function localTarget(raw: string | undefined): string | null {
  if (!raw || raw.startsWith('#') || raw.startsWith('mailto:') || raw.startsWith('data:')) return null;
  const url = new URL(raw, `${ORIGIN}/staff/`);
  if (url.origin !== ORIGIN) return null;
  return `${url.pathname}${url.search}`;
}

const isDownload = (path: string): boolean => /\.(json|pdf|png|svg|csv|xlsx)(\?|$)|\/export(\?|$)/.test(path);

/**
 * Follows every link and GET form from the survey list, as one signed-in person would, and
 * returns every target seen (fetched or not) with the status of each staff page fetched.
 * Language switches (`hl=`) and downloads are noted, not fetched.
 */
async function crawl(agent: Agent, start: string, limit = 250): Promise<{ seen: Set<string>; status: Map<string, number> }> {
  const seen = new Set<string>([start]);
  const status = new Map<string, number>();
  const queue = [start];
  while (queue.length && status.size < limit) {
    const path = queue.shift()!;
    const res = await agent.get(path);
    status.set(path, res.status);
    if (res.status !== 200 || !/html/.test(String(res.headers['content-type']))) continue;
    const $ = cheerio.load(res.text);
    const targets = [...$('a[href]').map((_, a) => localTarget($(a).attr('href'))).get(), ...$('form:not([method=post])').map((_, f) => localTarget($(f).attr('action'))).get()];
    for (const target of targets) {
      if (!target || seen.has(target)) continue;
      seen.add(target);
      const pathOnly = target.split('?')[0]!;
      if (!/^\/(staff|reports)\//.test(pathOnly) || isDownload(target) || /[?&]hl=/.test(target)) continue;
      queue.push(target);
    }
  }
  return { seen, status };
}

function patternOf(route: string): RegExp {
  return new RegExp(`^${route.replace(/[.]/g, '\\.').replace(/:\w+/g, '[^/?]+')}$`);
}

describe('staff pages are linked: from the survey list to every page of a survey', function () {
  this.timeout(120000);
  let app: Express;
  before(async () => {
    ({ app } = await buildTestApp({ PUBLIC_URL: ORIGIN, LOGIN_RATE_LIMIT: '1000' }));
  });
  beforeEach(async () => {
    await clearDatabase();
    clearSettingsCache();
    await buildSurvey();
    await buildPartner({ name: 'Oak Street Books' });
    await saveSettings({ libraryName: 'Riverside Library', thankYouUrl: '', kioskIdleSeconds: '90', kioskLocations: 'Main Branch', defaultLanguages: ['en'] });
  });
  after(async () => {
    await clearDatabase();
    clearSettingsCache();
  });

  it('the survey list links each survey to its share, data and spam pages (and the rest), and each answers 200', async () => {
    const { agent } = await signedInAgent(app, 'staff');
    const $ = cheerio.load((await agent.get('/staff/surveys').expect(200)).text);
    const links = $('tr[data-slug="test-survey"] .survey-links a').map((_, a) => $(a).attr('href')).get();
    expect(links).to.include.members([`${BASE}/edit`, `${BASE}/translations`, BASE, '/reports/test-survey/summary?hl=en', `${BASE}/share`, `${BASE}/data`, `${BASE}/spam`, `${BASE}/definition.json`]);
    for (const href of links) expect((await agent.get(href)).status, href).to.equal(200);
    expect($('.staff-header a[href="/staff/queue"]').length).to.equal(1);
  });

  it('the list says how many submissions wait in spam review', async () => {
    await SpamResponseModel.create({ surveySlug: 'test-survey', surveyVersion: 1, submissionId: 'spam-link-test-0000001', fingerprint: 'x', answers: { interests: ['job-skills'] }, other: {}, lang: 'en', channel: 'web', submittedAt: new Date(), spam: { reasons: ['honeypot'] } });
    const { agent } = await signedInAgent(app, 'staff');
    const $ = cheerio.load((await agent.get('/staff/surveys').expect(200)).text);
    expect($('tr[data-slug="test-survey"] a[href$="/spam"]').parent().text()).to.contain('1 waiting');
  });

  it('the dashboard links to the survey\'s editor, share, data and spam pages', async () => {
    const { agent } = await signedInAgent(app, 'staff');
    const $ = cheerio.load((await agent.get(BASE).expect(200)).text);
    expect($('.survey-pages a').map((_, a) => $(a).attr('href')).get()).to.deep.equal([`${BASE}/edit`, `${BASE}/share`, `${BASE}/data`, `${BASE}/spam`]);
  });

  it('a board member sees only the pages a board member may open, and each answers 200', async () => {
    const { agent } = await signedInAgent(app, 'board');
    const $ = cheerio.load((await agent.get('/staff/surveys').expect(200)).text);
    const links = $('tr[data-slug="test-survey"] .survey-links a').map((_, a) => $(a).attr('href')).get();
    expect(links).to.have.members([BASE, '/reports/test-survey/summary?hl=en', `${BASE}/share`]);
    for (const href of links) expect((await agent.get(href)).status, href).to.equal(200);
    const dash = cheerio.load((await agent.get(BASE).expect(200)).text);
    expect(dash('.survey-pages a').map((_, a) => dash(a).attr('href')).get()).to.deep.equal([`${BASE}/share`]);
    expect(dash('.staff-header a[href="/staff/queue"]').length).to.equal(0);
  });

  it('following links from the survey list reaches every staff page and download the app has (each page answering 200)', async () => {
    const { agent } = await signedInAgent(app, 'admin');
    const { seen, status } = await crawl(agent, '/staff/surveys');
    const failed = [...status].filter(([, code]) => code !== 200);
    expect(failed, 'pages that did not answer 200').to.deep.equal([]);
    const paths = [...seen].map((t) => t.split('?')[0]!);
    expect(status.size, 'the crawl ended before its limit').to.be.below(250);
    // Reached by sending a form: an import preview comes after an upload, a poster after
    // choosing its languages on the share page; `/staff` redirects to the list.
    const notLinked = new Set(['/staff', '/staff/surveys/:slug/import/:batch', '/staff/surveys/:slug/poster']);
    const routes = [...new Set(listRoutes(app).filter((r) => r.method === 'GET' && /^\/(staff|reports)\//.test(r.path) && !notLinked.has(r.path)).map((r) => r.path))];
    const unlinked = routes.filter((route) => !paths.some((p) => patternOf(route).test(p)));
    expect(unlinked, 'staff routes no page links to').to.deep.equal([]);
  });
});
