import { expect } from 'chai';
import request from 'supertest';
import { connectDatabase, disconnectDatabase } from '../../server/db/connection.js';
import { freePort } from '../../server/db/local-server.js';
import { boardAgent, FaultHarness, sleep } from './harness.js';

const SLUG = 'community-needs';
const answer = (sid: string): Record<string, string> => ({ sid, lang: 'en', 'q:interests': 'job-skills', 'rank:priorities:1': 'job-skills' });

describe('two app instances on one database (real FerretDB and app processes)', function () {
  this.timeout(300000);
  const h = new FaultHarness();
  after(async () => {
    await disconnectDatabase().catch(() => undefined);
    await h.tearDown();
  });

  it('an answer posted to one instance counts in its own dashboard at once and in the other\'s within 2 s (median of 5), and both copies equal MongoDB', async () => {
    await h.setUp();
    await h.startApp();
    const otherPort = await freePort();
    await h.startOtherApp(otherPort);
    await connectDatabase(h.uri);
    const a = await boardAgent(h.base);
    const b = await boardAgent(`http://127.0.0.1:${otherPort}`);
    const n = async (agent: typeof a): Promise<number> => Number((await agent.get(`/api/surveys/${SLUG}/topics`).expect(200)).body.n);
    const start = await n(b);
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      await request(h.base).post(`/s/${SLUG}`).type('form').set('Accept', 'application/json').send(answer(`two-instances-${String(i).padStart(4, '0')}-abcdef`)).expect(200);
      const posted = Date.now();
      expect(await n(a), 'the instance that stored it counts it at once').to.equal(start + i + 1);
      let seen = await n(b);
      while (seen < start + i + 1 && Date.now() - posted < 20000) {
        await sleep(50);
        seen = await n(b);
      }
      expect(seen, 'the other instance counts it').to.equal(start + i + 1);
      delays.push(Date.now() - posted);
    }
    delays.sort((x, y) => x - y);
    expect(delays[2], `delays ${delays.join(', ')} ms`).to.be.at.most(2000);
    // Both copies hold what MongoDB holds.
    await h.client!.connect();
    const stored = await h.client!.db().collection('responses').countDocuments({ surveySlug: SLUG });
    expect(await n(a)).to.equal(stored);
    expect(await n(b)).to.equal(stored);
  });
});
