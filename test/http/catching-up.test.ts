import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import type request from 'supertest';
import { DEMO_SLUG, seedDemoSurvey } from '../../surveys/demo.service.js';
import { rebuildCopy, rebuildHooks, setManaged } from '../../surveys/insights/analytics-copy.js';
import { buildTestApp } from '../helpers/app.js';
import { signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';

/**
 * Issue 15 part 4: while the analytical copy is being filled again (a lost file at 1M responses
 * takes minutes on FerretDB), the dashboard and the JSON API say how far it got instead of
 * presenting partial numbers as final; once it is filled, the numbers are whole and the notice goes.
 */
describe('the dashboard while the analytical copy catches up', function () {
  this.timeout(120000);
  const COUNT = 4000;
  let app: Express;
  let board: ReturnType<typeof request.agent>;

  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    await clearDatabase();
    await seedDemoSurvey({ count: COUNT, seed: 5, days: 30, end: new Date('2026-11-01T00:00:00Z') });
    ({ agent: board } = await signedInAgent(app, 'board'));
    // As in the running app: views never wait for a copy to fill, they show how far it got.
    setManaged(true);
  });
  after(() => setManaged(false));

  for (const [lang, words] of [
    ['en', /Catching up: (\d+) % of the responses are counted so far \(([\d,]+) of 4,?000\)\. The numbers below are not final yet/],
    ['ar', /جارٍ التحديث: تم حتى الآن احتساب (\d+)٪ من الإجابات \(([\d,٬]+) من [\d,٬]+\)/],
  ] as const) {
    it(`${lang}: while it is filled again, the page and the JSON say "catching up" with the share and the count so far; afterwards the notice is gone and every response counts`, async () => {
      // The fill waits after its first batch until the page and the JSON have been read.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      rebuildHooks.afterBatch = () => held;
      const filling = rebuildCopy([DEMO_SLUG], new Map([[DEMO_SLUG, COUNT]]));
      let during: request.Response;
      let json: request.Response;
      try {
        during = await board.get(`/staff/surveys/${DEMO_SLUG}?hl=${lang}`).expect(200);
        json = await board.get(`/api/surveys/${DEMO_SLUG}/topics`).expect(200);
      } finally {
        rebuildHooks.afterBatch = undefined;
        release();
      }
      const rebuilt = await filling.then(() => true);
      expect(rebuilt).to.equal(true);
      const notice = cheerio.load(during.text)('#catching-up');
      expect(notice.attr('role'), 'announced politely').to.equal('status');
      const m = words.exec(notice.text().trim());
      expect(m, notice.text()).to.not.equal(null);
      expect(Number(m![1])).to.be.within(0, 99);
      expect(json.body.catchingUp).to.include({ catchingUp: true, expected: COUNT });
      expect(json.body.catchingUp.done, 'at most the first batch of 2,000 so far').to.be.within(0, 2000);
      expect(json.body.catchingUp.percent).to.be.within(0, 99);
      const after = await board.get(`/staff/surveys/${DEMO_SLUG}?hl=${lang}`).expect(200);
      expect(cheerio.load(after.text)('#catching-up').length, 'no notice once filled').to.equal(0);
      const done = await board.get(`/api/surveys/${DEMO_SLUG}/topics`).expect(200);
      expect(done.body.catchingUp).to.equal(undefined);
      expect(done.body.n).to.equal(COUNT);
    });
  }
});
