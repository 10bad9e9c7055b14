import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import { FunnelCountModel } from '../../surveys/funnel/funnel-count.model.js';
import { flushFunnelCounts } from '../../surveys/funnel/funnel.service.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { buildTestApp } from '../helpers/app.js';
import { signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { buildSurvey, pagedDefinition } from '../fixtures/builders.js';

type Agent = ReturnType<typeof request.agent>;

/** A valid answer to the fixture survey. */
const answer = (sid: string): Record<string, string | string[]> => ({ sid, lang: 'en', 'q:interests': ['job-skills', 'coding-tech'], 'rank:priorities:1': 'coding-tech', 'q:grades': 'high' });

describe('where people stop: counts of forms opened and sent', () => {
  let app: Express;
  let board: Agent;
  const api = '/api/surveys/test-survey/funnel';

  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
  });
  beforeEach(async () => {
    await clearDatabase();
    await buildSurvey();
    ({ agent: board } = await signedInAgent(app, 'board'));
  });

  /** Opens the web form `web` times and the kiosk form `kiosk` times, then sends `sentWeb` and `sentKiosk` answers. */
  async function workload(web: number, kiosk: number, sentWeb: number, sentKiosk: number): Promise<void> {
    for (let i = 0; i < web; i++) await request(app).get('/s/test-survey').expect(200);
    for (let i = 0; i < kiosk; i++) await request(app).get('/kiosk/test-survey/answer?lang=es').expect(200);
    for (let i = 0; i < sentWeb; i++) await request(app).post('/s/test-survey').type('form').send(answer(`funnel-web-${String(i).padStart(8, '0')}`)).expect(303);
    for (let i = 0; i < sentKiosk; i++) await request(app).post('/kiosk/test-survey/answer').type('form').send(answer(`funnel-kiosk-${String(i).padStart(8, '0')}`)).expect(303);
  }

  it('opens the web form 8 times (the page cache answers all but the first) and the kiosk form 4, sends 6 and 3: the JSON shows 12/9, web 8/6 and kiosk 4/3', async () => {
    await workload(8, 4, 6, 3);
    const res = await board.get(api).expect(200);
    expect(res.body.pages).to.equal(1);
    const by = Object.fromEntries(res.body.channels.map((c: { channel: string }) => [c.channel, c]));
    expect(Object.keys(by)).to.deep.equal(['all', 'web', 'kiosk']);
    expect([by.all.opened, by.all.sent, by.all.completion]).to.deep.equal([12, 9, 0.75]);
    expect([by.web.opened, by.web.sent, by.web.completion, by.web.pages[0].breakoff]).to.deep.equal([8, 6, 0.75, 0.25]);
    expect([by.kiosk.opened, by.kiosk.sent, by.kiosk.completion, by.kiosk.pages[0].breakoff]).to.deep.equal([4, 3, 0.75, 0.25]);
  });

  it('a retry of the same submission, an invalid post, a language switch and a HEAD or prefetch request add nothing', async () => {
    await workload(2, 0, 1, 0);
    await request(app).post('/s/test-survey').type('form').send(answer('funnel-web-00000000')).expect(303); // the same submission again
    await request(app).post('/s/test-survey').type('form').send({ sid: 'funnel-invalid-000001', lang: 'en' }).expect(422);
    await request(app).post('/s/test-survey').type('form').send({ sid: 'funnel-switch-0000001', lang: 'en', switchLang: 'es' }).expect(200);
    await request(app).head('/s/test-survey').expect(200);
    await request(app).get('/s/test-survey').set('Sec-Purpose', 'prefetch').expect(200);
    await request(app).get('/s/test-survey').set('Purpose', 'prefetch').expect(200);
    const res = await board.get(api).expect(200);
    expect([res.body.channels[0].opened, res.body.channels[0].sent]).to.deep.equal([2, 1]);
  });

  it('written to the database, the counts are the same; each stored count holds only survey, channel, day, kind, page and n, and responses hold nothing of them', async () => {
    await workload(5, 0, 2, 0);
    const before = (await board.get(api).expect(200)).body;
    await flushFunnelCounts();
    const docs = await FunnelCountModel.find({}).lean();
    expect(docs.map((d) => Object.keys(d).sort())).to.deep.equal(docs.map(() => ['_id', 'channel', 'day', 'kind', 'n', 'page', 'survey']));
    expect(docs.reduce((sum, d) => sum + d.n, 0)).to.equal(7);
    expect((await board.get(api).expect(200)).body).to.deep.equal(before);
    // More after the write are added to what is stored.
    await request(app).get('/s/test-survey').expect(200);
    await request(app).post('/s/test-survey').type('form').send(answer('funnel-after-write-01')).expect(303);
    const after = (await board.get(api).expect(200)).body;
    expect([after.channels[0].opened, after.channels[0].sent]).to.deep.equal([6, 3]);
    const { _id, submissionId, ...response } = (await ResponseModel.findOne().lean())!;
    expect(String(_id) + submissionId).to.match(/^funnel-/); // the test's own ids, not a count
    expect(JSON.stringify(response)).to.not.match(/funnel|opened|reached|page/i);
  });

  it('the dashboard says it in words and shows a table (no JavaScript needed): "Of 8 people who opened the survey on their own phone or computer, 6 sent their answers (75%)."', async () => {
    await workload(8, 0, 6, 0);
    const $ = cheerio.load((await board.get('/staff/surveys/test-survey').expect(200)).text);
    expect($('#funnel-title').text()).to.equal('Where people stop');
    expect($('#funnel .funnel-sentences li[data-channel=web]').text()).to.equal('Of 8 people who opened the survey on their own phone or computer, 6 sent their answers (75%).');
    // One channel counted: no "all channels" repeating it.
    expect($('#funnel .funnel-sentences li')).to.have.length(1);
    expect($('#funnel-table-all')).to.have.length(0);
    expect($('#funnel-caption-web').text()).to.equal('Completion and breakoff by page: Own device');
    const rows = $('#funnel-table-web tbody tr')
      .map((_, tr) => [$(tr).find('th[scope=row], td').map((__, c) => $(c).text().trim()).get()])
      .get();
    expect(rows).to.deep.equal([
      ['Opened the survey', '8', '100%', '25%'],
      ['Sent their answers', '6', '75%', '–'],
    ]);
  });

  it('the dashboard in Arabic (?hl=ar) uses the Arabic plural for 3 people; in Vietnamese the sentences are in Vietnamese, with all channels first', async () => {
    await workload(3, 1, 2, 1);
    const ar = cheerio.load((await board.get('/staff/surveys/test-survey?hl=ar').expect(200)).text);
    expect(ar('#funnel .funnel-sentences li[data-channel=web]').text()).to.equal('من بين 3 أشخاص فتحوا الاستبيان على هواتفهم أو حواسيبهم، أرسل 2 إجاباتهم (66.7%).');
    const vi = cheerio.load((await board.get('/staff/surveys/test-survey?hl=vi').expect(200)).text);
    expect(vi('#funnel .funnel-sentences li').map((_, li) => vi(li).attr('data-channel')).get()).to.deep.equal(['all', 'web', 'kiosk']);
    expect(vi('#funnel .funnel-sentences li[data-channel=all]').text()).to.equal('Trong 4 người đã mở khảo sát, 3 người đã gửi câu trả lời (75%).');
    expect(vi('#funnel-caption-kiosk').text()).to.contain('Hoàn thành và bỏ dở theo trang:');
  });

  it('the channel filter keeps only that channel; a filter by answer says that only dates and channel apply', async () => {
    await workload(2, 3, 1, 1);
    const kiosk = (await board.get(`${api}?channel=kiosk`).expect(200)).body;
    expect(kiosk.channels.map((c: { channel: string; opened: number }) => [c.channel, c.opened])).to.deep.equal([['kiosk', 3]]);
    const $ = cheerio.load((await board.get('/staff/surveys/test-survey?q.children=yes').expect(200)).text);
    expect($('#funnel .notice').text()).to.contain('Only the date and channel filters apply');
  });

  it('a date range before today shows that nobody opened it then; the CSV lists each step', async () => {
    await workload(2, 0, 1, 0);
    const $ = cheerio.load((await board.get('/staff/surveys/test-survey?from=2020-01-01&to=2020-01-31').expect(200)).text);
    expect($('#funnel-empty').text()).to.equal('Nobody has opened this survey online since these counts began.');
    const csv = (await board.get(`${api}?format=csv`).expect(200)).text;
    expect(csv).to.contain('channel,step,page,n,share_of_opened,breakoff');
    expect(csv).to.contain('web,opened,1,2,1,0.5');
    expect(csv).to.contain('web,sent,,1,0.5,');
  });

  it('a form in pages: a Next without JavaScript counts the page it shows (page 3 when the children page is skipped); Next with a problem, Back, Next again to a page reached before and a language switch add nothing', async () => {
    await clearDatabase();
    await buildSurvey(pagedDefinition());
    ({ agent: board } = await signedInAgent(app, 'board'));
    const form = { sid: 'funnel-paged-00000001', lang: 'en', page: '0' };
    const post = (body: Record<string, string>): request.Test => request(app).post('/s/test-survey').type('form').send({ ...form, ...body });
    await request(app).get('/s/test-survey').expect(200);
    await post({ step: 'next' }).expect(422); // "interests" missing: page 1 again
    await post({ 'q:interests': 'job-skills', 'q:children': 'yes', step: 'next' }).expect(200); // page 2
    await post({ 'q:interests': 'job-skills', 'q:children': 'no', step: 'next' }).expect(200); // page 3 (page 2 skipped)
    await post({ page: '2', reached: '2', 'q:interests': 'job-skills', 'q:children': 'no', step: 'back' }).expect(200);
    // Back on page 1, the page carries the furthest page reached: Next to page 3 again is not a new arrival.
    const back = cheerio.load((await post({ page: '2', reached: '2', 'q:interests': 'job-skills', 'q:children': 'no', step: 'back' }).expect(200)).text);
    expect(back('input[name=reached]').val()).to.equal('2');
    await post({ reached: '2', 'q:interests': 'job-skills', 'q:children': 'no', step: 'next' }).expect(200);
    await post({ page: '2', 'q:interests': 'job-skills', switchLang: 'es' }).expect(200);
    const res = await board.get(api).expect(200);
    expect(res.body.pages).to.equal(3);
    expect(res.body.channels.map((c: { channel: string; pages: { reached: number }[] }) => [c.channel, c.pages.map((p) => p.reached)])).to.deep.equal([['all', [1, 1, 1]], ['web', [1, 1, 1]]]);
  });

  it('a page turn the script reports (POST <form>/reached with only page=k) counts page k on the web and the kiosk; page 1, a page the survey does not have, another content type or another site are refused and add nothing', async () => {
    await clearDatabase();
    await buildSurvey(pagedDefinition());
    ({ agent: board } = await signedInAgent(app, 'board'));
    await request(app).post('/s/test-survey/reached').type('form').send({ page: '2' }).expect(204);
    await request(app).post('/s/test-survey/reached').type('form').send({ page: '3' }).expect(204);
    await request(app).post('/kiosk/test-survey/answer/reached').type('form').send({ page: '3' }).expect(204);
    for (const page of ['1', '4', '0', '2.5', 'x', '']) expect((await request(app).post('/s/test-survey/reached').type('form').send({ page }).expect(400)).text, page).to.not.contain('Internal');
    await request(app).post('/s/test-survey/reached').type('form').expect(400);
    await request(app).post('/s/test-survey/reached').set('Content-Type', 'text/plain').send('page=2').expect(415);
    await request(app).post('/s/test-survey/reached').set('Sec-Fetch-Site', 'cross-site').type('form').send({ page: '2' }).expect(403);
    await request(app).post('/s/no-such-survey/reached').type('form').send({ page: '2' }).expect(404);
    const res = await board.get(api).expect(200);
    expect(res.body.pages).to.equal(3);
    const by = Object.fromEntries(res.body.channels.map((c: { channel: string; pages: { reached: number }[] }) => [c.channel, c.pages.map((p) => p.reached)]));
    expect(by).to.deep.equal({ all: [0, 1, 2], web: [0, 1, 1], kiosk: [0, 0, 1] });
  });

  it('the dashboard says how many chose "None of these" for interests, out of everyone who answered', async () => {
    await request(app).post('/s/test-survey').type('form').send(answer('funnel-none-00000001')).expect(303);
    await request(app).post('/s/test-survey').type('form').send({ sid: 'funnel-none-00000002', lang: 'en', 'q:interests': 'none', 'q:grades': 'high' }).expect(303);
    const $ = cheerio.load((await board.get('/staff/surveys/test-survey').expect(200)).text);
    expect($('#exclusive-interests-none').text()).to.equal('1 of the 2 people who answered chose “None of these” for “Interests?”. Reach is always a share of everyone who answered, these people included.');
    const topics = (await board.get('/api/surveys/test-survey/topics').expect(200)).body;
    expect(topics.n).to.equal(2);
    expect(topics.exclusiveAnswers).to.deep.equal([{ question: 'interests', option: 'none', questionLabel: 'Interests?', label: 'None of these', n: 1 }]);
  });
});
