import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { SurveyModel, SurveyVersionModel } from '../../surveys/survey.model.js';
import { findSurvey } from '../../surveys/survey.service.js';
import { signedInAgent } from '../helpers/auth.js';
import { useStaffSession } from '../helpers/hooks.js';
import { buildSurvey } from '../fixtures/builders.js';
import { answerFixtureSurvey } from '../fixtures/builder-responses.js';

const day = (offset: number): string => {
  const d = new Date(Date.now() + offset * 86400000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

describe('survey builder: open, close, copy, archive, delete and roles', () => {
  const session = useStaffSession(buildSurvey);
  const post = (path: string, form: Record<string, string | string[]> = {}) => session.staff.post(path).type('form').send({ _csrf: session.token, ...form });

  it('POST status open with a closing date keeps it open until then; the list shows the date', async () => {
    await post('/staff/surveys/test-survey/status', { status: 'open', closesAt: day(10) }).expect(303);
    const closesAt = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.closesAt!;
    expect(closesAt.getHours()).to.equal(23);
    await request(session.app).get('/s/test-survey').expect(200);
    const $ = cheerio.load((await session.staff.get('/staff/surveys').expect(200)).text);
    expect($('tr[data-slug="test-survey"] .survey-status').text()).to.contain('closes');
    // Once the date has passed respondents are turned away.
    await SurveyModel.updateOne({ slug: 'test-survey' }, { $set: { closesAt: new Date(Date.now() - 1000) } });
    await request(session.app).get('/s/test-survey').expect(410);
  });

  it('POST status with a past or malformed date answers 422 beside the date field; closed turns respondents away', async () => {
    const past = cheerio.load((await post('/staff/surveys/test-survey/status', { status: 'open', closesAt: day(-2) }).expect(422)).text);
    expect(past('#closesAt').attr('aria-invalid')).to.equal('true');
    expect(past('#closesAt').val()).to.equal(day(-2));
    await post('/staff/surveys/test-survey/status', { status: 'open', closesAt: '31/12/2030' }).expect(422);
    await post('/staff/surveys/test-survey/status', { status: 'closed' }).expect(303);
    await request(session.app).get('/s/test-survey').expect(410);
    await post('/staff/surveys/test-survey/status', { status: 'open', closesAt: '' }).expect(303);
    await request(session.app).get('/s/test-survey').expect(200);
  });

  it('POST duplicate makes a closed version 1 under the new slug with no responses and the same questions', async () => {
    await answerFixtureSurvey('builder-lifecycle-01');
    const res = await post('/staff/surveys/test-survey/duplicate', { slug: 'test-survey-2027', title: 'Test survey 2027' }).expect(303);
    expect(res.headers.location).to.equal('/staff/surveys/test-survey-2027/edit?notice=duplicated');
    const [source, copy] = [(await findSurvey('test-survey'))!, (await findSurvey('test-survey-2027'))!];
    expect(copy.version).to.equal(1);
    expect(copy.status).to.equal('closed');
    expect(copy.definition.questions).to.deep.equal(source.definition.questions);
    expect(copy.definition.title).to.deep.equal({ en: 'Test survey 2027' });
    expect(await SurveyVersionModel.countDocuments({ slug: 'test-survey-2027' })).to.equal(1);
    const $ = cheerio.load((await session.staff.get('/staff/surveys').expect(200)).text);
    expect($('tr[data-slug="test-survey-2027"] .survey-responses').text().trim()).to.equal('0');
    await post('/staff/surveys/test-survey/duplicate', { slug: 'test-survey-2027' }).expect(422);
  });

  it('delete is refused once anyone answered (409, archive offered); archiving hides it and turns respondents away', async () => {
    await answerFixtureSurvey('builder-lifecycle-01');
    const page = cheerio.load((await session.staff.get('/staff/surveys/test-survey/delete').expect(200)).text);
    expect(page('form[action="/staff/surveys/test-survey/archive"]').length).to.equal(1);
    expect(page('input[name="confirm"]').length).to.equal(0);
    await post('/staff/surveys/test-survey/delete', { confirm: 'yes' }).expect(409);
    expect(await SurveyModel.countDocuments({ slug: 'test-survey' })).to.equal(1);

    await post('/staff/surveys/test-survey/archive').expect(303);
    await request(session.app).get('/s/test-survey').expect(410);
    await request(session.app).get('/kiosk/test-survey').expect(410);
    const list = cheerio.load((await session.staff.get('/staff/surveys').expect(200)).text);
    expect(list('tr[data-slug="test-survey"]').length).to.equal(0);
    expect(list('a[href="/staff/surveys?archived=1"]').length).to.equal(1);
    const archived = cheerio.load((await session.staff.get('/staff/surveys?archived=1').expect(200)).text);
    expect(archived('tr[data-slug="test-survey"] .badge--archived').length).to.equal(1);
    await post('/staff/surveys/test-survey/restore').expect(303);
    expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.status).to.equal('closed');
  });

  it('delete without responses needs the confirmation step, then removes the survey and its versions', async () => {
    const page = cheerio.load((await session.staff.get('/staff/surveys/test-survey/delete').expect(200)).text);
    expect(page('input[name="confirm"][value="yes"]').length).to.equal(1);
    await post('/staff/surveys/test-survey/delete').expect(422);
    expect(await SurveyModel.countDocuments({ slug: 'test-survey' })).to.equal(1);
    expect((await post('/staff/surveys/test-survey/delete', { confirm: 'yes' }).expect(303)).headers.location).to.equal('/staff/surveys?notice=deleted');
    expect(await SurveyModel.countDocuments({ slug: 'test-survey' })).to.equal(0);
    expect(await SurveyVersionModel.countDocuments({ slug: 'test-survey' })).to.equal(0);
  });

  describe('roles', () => {
    const GETS = [
      '/staff/surveys/new',
      '/staff/surveys/upload',
      '/staff/surveys/test-survey/edit',
      '/staff/surveys/test-survey/edit/questions/interests',
      '/staff/surveys/test-survey/duplicate',
      '/staff/surveys/test-survey/delete',
      '/staff/surveys/test-survey/translations',
      '/staff/surveys/test-survey/translations/es',
      '/staff/surveys/test-survey/translations/es/export?format=csv',
      '/staff/surveys/test-survey/definition.json',
    ];
    const POSTS = [
      '/staff/surveys/new',
      '/staff/surveys/test-survey/edit/settings',
      '/staff/surveys/test-survey/edit/questions',
      '/staff/surveys/test-survey/edit/questions/interests',
      '/staff/surveys/test-survey/edit/questions/interests/move',
      '/staff/surveys/test-survey/edit/questions/name/delete',
      '/staff/surveys/test-survey/publish',
      '/staff/surveys/test-survey/discard',
      '/staff/surveys/test-survey/status',
      '/staff/surveys/test-survey/duplicate',
      '/staff/surveys/test-survey/archive',
      '/staff/surveys/test-survey/restore',
      '/staff/surveys/test-survey/delete',
      '/staff/surveys/test-survey/translations/es/visibility',
    ];
    const MULTIPART = ['/staff/surveys/test-survey/translations/es', '/staff/surveys/test-survey/translations/es/import', '/staff/surveys/upload'];

    it('a board member reads the list (without builder links) and gets 403 on every builder page and action', async () => {
      const { agent: board, csrf } = await signedInAgent(session.app, 'board');
      const list = cheerio.load((await board.get('/staff/surveys').expect(200)).text);
      expect(list('a[href="/staff/surveys/test-survey/edit"]').length).to.equal(0);
      expect(list('a[href="/staff/surveys/test-survey"]').length).to.equal(1);
      const boardToken = await csrf();
      for (const path of GETS) await board.get(path).expect(403);
      for (const path of POSTS) await board.post(path).type('form').send({ _csrf: boardToken, confirm: 'yes', slug: 'x-copy', status: 'closed', direction: 'down', newType: 'single', newLabel: 'X' }).expect(403);
      for (const path of MULTIPART) await board.post(path).field('_csrf', boardToken).attach('file', Buffer.from('{"title":"x"}'), 'x.json').expect(403);
      const doc = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!;
      expect(doc).to.include({ status: 'open', version: 1 });
      expect(doc.draft).to.equal(undefined);
      expect(await SurveyModel.countDocuments()).to.equal(1);
    });

    it('anonymous requests to builder pages are sent to sign-in, and anonymous posts change nothing', async () => {
      for (const path of ['/staff', ...GETS]) {
        const res = await request(session.app).get(path).expect(303);
        expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(path)}`);
      }
      for (const path of [...POSTS, ...MULTIPART]) {
        const res = await request(session.app).post(path).type('form').send({ confirm: 'yes', status: 'closed' });
        expect(res.status, path).to.be.within(300, 403);
      }
      expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!).to.include({ status: 'open', version: 1 });
    });
  });
});
