import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type request from 'supertest';
import { ResponseModel } from '../../surveys/response.model.js';
import { tallyFor } from '../../surveys/insights.service.js';
import { findSurvey } from '../../surveys/survey.service.js';
import { NO_FILTER } from '../helpers/recount.js';
import { csrfFrom, signedInAgent } from '../helpers/auth.js';
import { useTestApp } from '../helpers/hooks.js';
import { buildSurvey } from '../fixtures/builders.js';

type Agent = ReturnType<typeof request.agent>;
const PAPER = '/staff/surveys/test-survey/paper';

/** The data-entry page's form: its CSRF token and fresh submission id. */
async function openForm(agent: Agent, query = ''): Promise<{ csrf: string; sid: string; $: cheerio.CheerioAPI }> {
  const res = await agent.get(`${PAPER}${query}`).expect(200);
  const $ = cheerio.load(res.text);
  return { csrf: csrfFrom(res.text), sid: String($('input[name=sid]').val()), $ };
}

describe('paper forms: data entry and the printable form', function () {
  this.timeout(60000);
  const ctx = useTestApp(buildSurvey, { LOGIN_RATE_LIMIT: '1000' });
  let staff: Agent;
  let board: Agent;
  let admin: Agent;
  beforeEach(async () => {
    ({ agent: staff } = await signedInAgent(ctx.app, 'staff'));
    ({ agent: board } = await signedInAgent(ctx.app, 'board'));
    ({ agent: admin } = await signedInAgent(ctx.app, 'admin'));
  });

  it('GET /paper shows numbered questions, option codes, labelled inputs, and focus on the first question', async () => {
    const { $, sid } = await openForm(staff);
    expect(sid).to.match(/^[0-9a-f-]{36}$/);
    expect($('.paper-q__number').map((_, el) => $(el).text()).get()).to.deep.equal(['1.', '2.', '3.', '4.', '5.', '6.', '7.', '8.']);
    expect($('#q-interests .code').map((_, el) => $(el).text()).get()).to.deep.equal(['a', 'b', 'c', 'd']);
    expect($('#q-priorities select option').eq(1).text()).to.equal('a – Jobs');
    expect($('[autofocus]').attr('id')).to.equal('q-interests-job-skills');
    expect($('[accesskey]').length).to.equal(0);
    $('#paper-form input:not([type=hidden]), #paper-form select, #paper-form textarea').each((_, el) => {
      expect($(`label[for="${$(el).attr('id')}"]`).length, `label for ${$(el).attr('id')}`).to.be.greaterThan(0);
    });
    expect($('#q-grades .paper-q__note').text()).to.contain('question 7');
  });

  it('POST "save and next" stores a paper response (language, batch tag), counts it, and 303s to an empty form saying "Saved response 1"', async () => {
    const { csrf, sid } = await openForm(staff, '?language=es');
    const res = await staff
      .post(PAPER)
      .type('form')
      .send({ _csrf: csrf, sid, language: 'es', batch: 'paper-batch-2026-03-festival', 'q:interests': ['job-skills', 'other'], 'other:interests': 'Knitting', 'rank:priorities:1': 'coding-tech', 'q:children': 'no', 'q:household': '4' })
      .expect(303);
    expect(res.headers.location).to.equal(`${PAPER}?language=es&batch=paper-batch-2026-03-festival&saved=1`);
    const stored = await ResponseModel.find({ surveySlug: 'test-survey' }).lean();
    expect(stored).to.have.length(1);
    expect(stored[0]).to.include({ channel: 'paper', lang: 'es', tag: 'paper-batch-2026-03-festival', submissionId: sid });
    expect(stored[0]!.answers).to.deep.equal({ interests: ['job-skills', 'other'], priorities: ['coding-tech'], children: 'no', household: 4 });
    expect(stored[0]!.other).to.deep.equal({ interests: 'Knitting' });
    expect((await tallyFor((await findSurvey('test-survey'))!, NO_FILTER)).get('channel:paper')).to.equal(1);

    const next = await staff.get(res.headers.location!).expect(200);
    const $ = cheerio.load(next.text);
    expect($('.saved-notice').text()).to.contain('Saved response 1 in batch paper-batch-2026-03-festival');
    expect($('input[name=sid]').val()).to.not.equal(sid);
    expect($('input[name=language]').val()).to.equal('es');
    expect($('#q-interests input:checked').length).to.equal(0);
    expect($('[autofocus]').attr('id')).to.equal('q-interests-job-skills');
  });

  it('a double submit of the same form stores it once and says the same number', async () => {
    const { csrf, sid } = await openForm(staff);
    const body = { _csrf: csrf, sid, language: 'en', 'q:interests': 'job-skills', 'q:children': 'no' };
    const first = await staff.post(PAPER).type('form').send(body).expect(303);
    const second = await staff.post(PAPER).type('form').send(body).expect(303);
    expect(second.headers.location).to.equal(first.headers.location);
    expect(await ResponseModel.countDocuments({ channel: 'paper' })).to.equal(1);
  });

  it('an invalid form answers 422 with everything typed kept, errors next to their questions, and nothing stored', async () => {
    const { csrf, sid } = await openForm(staff);
    const res = await staff
      .post(PAPER)
      .type('form')
      .send({ _csrf: csrf, sid, language: 'en', batch: 'night-shift', 'q:household': '500', 'q:children': 'yes', 'q:grades': 'high', 'rank:priorities:1': 'health-wellness', 'q:ideas': 'More evening hours' })
      .expect(422);
    const $ = cheerio.load(res.text);
    expect($('#q-interests .question__error').text()).to.contain('Please answer this question');
    expect($('#q-household .question__error').text()).to.contain('from 1 to 20');
    expect($('#q-household input').val()).to.equal('500');
    expect($('#q-household input').attr('aria-invalid')).to.equal('true');
    expect($('#q-children-yes').attr('checked')).to.not.equal(undefined);
    expect($('#q-grades-high').attr('checked')).to.not.equal(undefined);
    expect($('#q-priorities-rank-1').val()).to.equal('health-wellness');
    expect($('#q-ideas-input').text()).to.equal('More evening hours');
    expect($('input[name=sid]').val()).to.equal(sid);
    expect($('input[name=batch]').val()).to.equal('night-shift');
    expect($('[autofocus]').attr('id')).to.equal('q-interests-job-skills');
    expect(await ResponseModel.countDocuments({})).to.equal(0);
  });

  it('a batch label with capitals or spaces is refused (422) next to its field', async () => {
    const res = await staff.get(`${PAPER}?batch=${encodeURIComponent('Paper batch!')}`).expect(422);
    const $ = cheerio.load(res.text);
    expect($('#paper-batch-error').text()).to.contain('lower-case');
    expect($('#paper-batch').attr('aria-invalid')).to.equal('true');
  });

  it('the printable form in Arabic is right to left, with the same numbers, option codes and a print stylesheet', async () => {
    const print = await staff.get(`${PAPER}/print?hl=ar`).expect(200);
    const entry = await staff.get(PAPER).expect(200);
    const $p = cheerio.load(print.text);
    const $e = cheerio.load(entry.text);
    expect($p('html').attr('lang')).to.equal('ar');
    expect($p('html').attr('dir')).to.equal('rtl');
    expect($p('h1').text()).to.equal('استطلاع تجريبي');
    expect($p('#q-interests h2').text()).to.contain('الاهتمامات؟');
    const numbers = ($: cheerio.CheerioAPI, sel: string): string[] => $(sel).map((_, el) => $(el).text()).get();
    expect(numbers($p, '.print-q__number')).to.deep.equal(numbers($e, '.paper-q__number'));
    for (const q of ['interests', 'rating', 'children', 'grades']) expect(numbers($p, `#q-${q} .code`), q).to.deep.equal(numbers($e, `#q-${q} .code`));
    expect(numbers($p, '#q-priorities .code')).to.deep.equal(numbers($e, '#q-priorities-rank-1 option').slice(1).map((text) => text.split(' ')[0]!));
    expect($p('#q-priorities .box--write').length).to.equal(3);
    expect($p('#q-grades .print-q__only-if').text()).to.contain('7');
    expect($p('link[rel=stylesheet][href="/public/css/data.css"]').length).to.equal(1);
    expect($p('.no-print .staff-header').length).to.equal(1);
    expect($p('main .staff-header, main nav').length).to.equal(0);
    expect($p('main.paper-sheet--letter').length).to.equal(1);
    expect(cheerio.load((await staff.get(`${PAPER}/print?hl=es&size=a4`).expect(200)).text)('main.paper-sheet--a4').length).to.equal(1);
  });

  it('board members are refused paper entry, printing, import, export and the data page (403); contacts only for admins', async () => {
    for (const path of [PAPER, `${PAPER}/print`, '/staff/surveys/test-survey/import', '/staff/surveys/test-survey/export?format=csv', '/staff/surveys/test-survey/data', '/staff/surveys/test-survey/contacts/export']) {
      await board.get(path).expect(403);
    }
    await board.post(PAPER).type('form').send({}).expect(403);
    await board.post('/staff/surveys/test-survey/import').attach('file', Buffer.from('interests\njobs\n'), 'a.csv').expect(403);
    await staff.get('/staff/surveys/test-survey/contacts/export').expect(403);
    await admin.get('/staff/surveys/test-survey/contacts/export').expect(200);
    const page = cheerio.load((await staff.get('/staff/surveys/test-survey/data').expect(200)).text);
    expect(page('a[href$="/contacts/export"]').length).to.equal(0);
    const adminPage = cheerio.load((await admin.get('/staff/surveys/test-survey/data').expect(200)).text);
    expect(adminPage('a[href$="/contacts/export"]').length).to.equal(1);
  });
});
