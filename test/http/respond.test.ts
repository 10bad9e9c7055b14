import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { ContactModel } from '../../surveys/contact.model.js';
import { LANGUAGES } from '../../surveys/languages.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { seedBuiltInSurveys, setSurveyStatus } from '../../surveys/survey.service.js';
import { useTestApp } from '../helpers/hooks.js';
import { buildSurvey } from '../fixtures/builders.js';

const SID = 'test-submission-0001';

/** A valid submission for the fixture survey, as an urlencoded form would send it. */
function validForm(extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return { sid: SID, lang: 'en', 'q:interests': ['job-skills', 'coding-tech'], 'rank:priorities:1': 'coding-tech', 'q:children': 'no', ...extra };
}

describe('respondent form /s/:slug', () => {
  const ctx = useTestApp(() => buildSurvey());

  describe('GET', () => {
    it('GET /s/test-survey renders every question, labelled, in English by default', async () => {
      const res = await request(ctx.app).get('/s/test-survey').expect(200);
      const $ = cheerio.load(res.text);
      expect($('html').attr('lang')).to.equal('en');
      expect($('html').attr('dir')).to.equal('ltr');
      expect($('h1').text()).to.equal('Test survey');
      expect($('fieldset legend').first().text()).to.contain('Interests?');
      // Every visible input has a label.
      $('input:not([type=hidden]), select, textarea').each((_, el) => {
        const id = $(el).attr('id');
        expect($(`label[for="${id}"]`).length, `label for ${id}`).to.be.greaterThan(0);
      });
      expect($('input[name="sid"]').val()).to.match(/^[0-9a-f-]{36}$/);
      expect(res.headers['cache-control']).to.contain('no-store');
    });

    it('GET with ?lang=ar renders right to left with Arabic text and sets the language cookie', async () => {
      const res = await request(ctx.app).get('/s/test-survey?lang=ar').expect(200);
      const $ = cheerio.load(res.text);
      expect($('html').attr('lang')).to.equal('ar');
      expect($('html').attr('dir')).to.equal('rtl');
      expect($('h1').text()).to.equal('استطلاع تجريبي');
      expect(res.headers['set-cookie']?.[0]).to.match(/^lang=ar;/);
    });

    it('GET falls back to the survey default language for a language the survey lacks (vi)', async () => {
      const res = await request(ctx.app).get('/s/test-survey?lang=vi').expect(200);
      expect(cheerio.load(res.text)('html').attr('lang')).to.equal('en');
    });

    it('picks the language from ?lang=, then the cookie, then Accept-Language, then English', async () => {
      const lang = async (req: request.Test): Promise<string | undefined> => cheerio.load((await req.expect(200)).text)('html').attr('lang');
      expect(await lang(request(ctx.app).get('/s/test-survey?lang=es').set('Cookie', 'lang=ar').set('Accept-Language', 'ar'))).to.equal('es');
      expect(await lang(request(ctx.app).get('/s/test-survey').set('Cookie', 'lang=ar').set('Accept-Language', 'es'))).to.equal('ar');
      expect(await lang(request(ctx.app).get('/s/test-survey').set('Accept-Language', 'fr;q=1, es-MX;q=0.8'))).to.equal('es');
      expect(await lang(request(ctx.app).get('/s/test-survey').set('Accept-Language', 'fr'))).to.equal('en');
    });

    it('shows a language picker with each survey language in its own name', async () => {
      const res = await request(ctx.app).get('/s/test-survey?lang=es').expect(200);
      const $ = cheerio.load(res.text);
      const buttons = $('.language-picker button[name=switchLang]');
      expect(buttons.map((_, b) => $(b).text()).get()).to.deep.equal(['English', 'Español', 'العربية']);
      expect($('.language-picker [aria-current=true]').attr('lang')).to.equal('es');
    });

    it('marks conditional questions with their rule and a note for browsers without JavaScript', async () => {
      const res = await request(ctx.app).get('/s/test-survey').expect(200);
      const $ = cheerio.load(res.text);
      expect(JSON.parse($('#q-grades').attr('data-show-if')!)).to.deep.equal({ question: 'children', anyOf: ['yes'] });
      expect($('#q-grades .question__condition').text()).to.contain('Yes');
    });

    it('GET /s/unknown answers 404 with a localized page', async () => {
      const res = await request(ctx.app).get('/s/unknown?lang=es').expect(404);
      expect(res.text).to.contain('surveyNotFound');
      const $ = cheerio.load(res.text);
      expect($('html').attr('lang')).to.equal('es');
      expect($('.language-picker a[hreflang=ar]').attr('href')).to.equal('/s/unknown?lang=ar');
    });

    it('GET a closed survey answers 410 with a localized page', async () => {
      await setSurveyStatus('test-survey', 'closed');
      const res = await request(ctx.app).get('/s/test-survey?lang=es').expect(410);
      expect(res.text).to.contain('surveyClosed');
    });
  });

  describe('POST', () => {
    it('POST a valid form stores one response and redirects 303 to the thank-you page', async () => {
      const res = await request(ctx.app).post('/s/test-survey').type('form').send(validForm({ lang: 'es' })).expect(303);
      expect(res.headers.location).to.equal('/s/test-survey/thanks?lang=es');
      const docs = await ResponseModel.find().lean();
      expect(docs).to.have.length(1);
      const doc = docs[0]!;
      expect(doc.answers).to.deep.equal({ interests: ['job-skills', 'coding-tech'], priorities: ['coding-tech'], children: 'no' });
      expect(doc).to.include({ surveySlug: 'test-survey', surveyVersion: 1, lang: 'es', channel: 'web', submissionId: SID });
      // Privacy: nothing that identifies the device or person.
      expect(Object.keys(doc).sort()).to.deep.equal(['_id', 'answers', 'channel', 'fingerprint', 'lang', 'other', 'submissionId', 'submittedAt', 'surveySlug', 'surveyVersion']);
      const thanks = await request(ctx.app).get(res.headers.location!).expect(200);
      const $ = cheerio.load(thanks.text);
      expect($('h1').text()).to.equal('¡Gracias!');
      expect($('.language-picker a').map((_, a) => $(a).attr('href')).get()).to.deep.equal([
        '/s/test-survey/thanks?lang=en',
        '/s/test-survey/thanks?lang=es',
        '/s/test-survey/thanks?lang=ar',
      ]);
    });

    it('POST with a channel tag (?ch=flyer-school) records the tag', async () => {
      await request(ctx.app).post('/s/test-survey').type('form').send(validForm({ ch: 'Flyer-School' })).expect(303);
      expect((await ResponseModel.findOne().lean())!.tag).to.equal('flyer-school');
    });

    it('POST the same submission twice stores one response and both get the thank-you redirect', async () => {
      await request(ctx.app).post('/s/test-survey').type('form').send(validForm()).expect(303);
      const again = await request(ctx.app).post('/s/test-survey').type('form').send(validForm()).expect(303);
      expect(again.headers.location).to.equal('/s/test-survey/thanks?lang=en');
      expect(await ResponseModel.countDocuments()).to.equal(1);
    });

    it('POST concurrent double taps with one submission id store one response', async () => {
      const results = await Promise.all([1, 2, 3].map(() => request(ctx.app).post('/s/test-survey').type('form').send(validForm())));
      expect(results.map((r) => r.status)).to.deep.equal([303, 303, 303]);
      expect(await ResponseModel.countDocuments()).to.equal(1);
    });

    it('POST a used submission id with different answers answers 409, keeps the answers, stores nothing new', async () => {
      await request(ctx.app).post('/s/test-survey').type('form').send(validForm()).expect(303);
      const res = await request(ctx.app).post('/s/test-survey').type('form').send(validForm({ 'q:interests': 'job-skills', 'q:name': 'changed' })).expect(409);
      const $ = cheerio.load(res.text);
      expect($('#q-name-input').val()).to.equal('changed');
      expect($('input[name=sid]').val()).to.equal(SID);
      expect(await ResponseModel.countDocuments()).to.equal(1);
    });

    it('POST with a missing required answer answers 422 with the error next to the question and everything typed kept', async () => {
      const res = await request(ctx.app)
        .post('/s/test-survey')
        .type('form')
        .send({ sid: SID, lang: 'es', 'q:name': 'Ana', 'q:ideas': 'Más libros', 'q:household': '4', 'rank:priorities:1': 'health-wellness', 'q:rating': '4', 'q:children': 'yes' })
        .expect(422);
      const $ = cheerio.load(res.text);
      expect($('html').attr('lang')).to.equal('es');
      expect($('#q-interests .question__error').text()).to.contain('Por favor');
      expect($('#q-interests fieldset').attr('aria-describedby')).to.contain('q-interests-error');
      expect($('#q-grades .question__error').length, 'conditional required question shown').to.equal(1);
      expect($('.error-summary a').map((_, a) => $(a).attr('href')).get()).to.deep.equal(['#q-interests', '#q-grades']);
      expect($('#q-interests-job-skills').attr('autofocus')).to.not.equal(undefined);
      expect($('#q-name-input').val()).to.equal('Ana');
      expect($('#q-ideas-input').text()).to.equal('Más libros');
      expect($('#q-household-input').val()).to.equal('4');
      expect($('#q-priorities-rank-1 option[selected]').val()).to.equal('health-wellness');
      expect($('#q-rating-4').attr('checked')).to.not.equal(undefined);
      expect($('#q-children-yes').attr('checked')).to.not.equal(undefined);
      expect($('input[name=sid]').val()).to.equal(SID);
      expect(await ResponseModel.countDocuments()).to.equal(0);
    });

    it('POST skips a conditional question whose condition is not met (required ignored, answer dropped)', async () => {
      await request(ctx.app).post('/s/test-survey').type('form').send(validForm({ 'q:children': 'no', 'q:grades': 'high' })).expect(303);
      expect((await ResponseModel.findOne().lean())!.answers).to.not.have.property('grades');
    });

    it('POST keeps a conditional answer when its condition is met', async () => {
      await request(ctx.app).post('/s/test-survey').type('form').send(validForm({ 'q:children': 'yes', 'q:grades': 'high' })).expect(303);
      expect((await ResponseModel.findOne().lean())!.answers.grades).to.deep.equal(['high']);
    });

    it('POST with switchLang re-renders in the new language with everything kept and stores nothing', async () => {
      const res = await request(ctx.app).post('/s/test-survey').type('form').send(validForm({ switchLang: 'ar', 'q:name': 'Sam' })).expect(200);
      const $ = cheerio.load(res.text);
      expect($('html').attr('dir')).to.equal('rtl');
      expect($('#q-name-input').val()).to.equal('Sam');
      expect($('#q-interests-coding-tech').attr('checked')).to.not.equal(undefined);
      expect($('.question__error').length).to.equal(0);
      expect(await ResponseModel.countDocuments()).to.equal(0);
    });

    it('POST an optional contact stores it apart from the answers, with only the day', async () => {
      await request(ctx.app).post('/s/test-survey').type('form').send(validForm({ 'contact:email': 'Ana@Example.org', 'contact:consent': 'yes' })).expect(303);
      const contact = (await ContactModel.findOne().lean())!;
      expect(contact).to.include({ email: 'ana@example.org', surveySlug: 'test-survey' });
      expect(contact.day).to.match(/^\d{4}-\d{2}-\d{2}$/);
      const response = (await ResponseModel.findOne().lean())!;
      expect(JSON.stringify(response)).to.not.contain('ana@example.org');
    });

    it('POST a contact without consent answers 422 and stores nothing', async () => {
      const res = await request(ctx.app).post('/s/test-survey').type('form').send(validForm({ 'contact:phone': '555 123 4567' })).expect(422);
      expect(cheerio.load(res.text)('#contact-phone').val()).to.equal('555 123 4567');
      expect(await ResponseModel.countDocuments()).to.equal(0);
      expect(await ContactModel.countDocuments()).to.equal(0);
    });
  });

  describe('bad input never stores anything and never answers 500', () => {
    const cases: [string, () => request.Test, number][] = [
      ['an operator object where a string is expected (JSON {"$gt": ""})', () => request(ctx.app).post('/s/test-survey').send({ ...validForm(), 'q:children': { $gt: '' } }), 400],
      ['an array where one choice is expected', () => request(ctx.app).post('/s/test-survey').type('form').send(validForm({ 'q:children': ['yes', 'no'] })), 422],
      ['an unknown option id', () => request(ctx.app).post('/s/test-survey').type('form').send(validForm({ 'q:children': 'maybe' })), 422],
      ['an unknown question id', () => request(ctx.app).post('/s/test-survey').type('form').send(validForm({ 'q:nope': 'x' })), 422],
      ['a bracketed operator key (q:children[$ne]=x)', () => request(ctx.app).post('/s/test-survey').type('form').send('sid=test-submission-0001&q:children[$ne]=x'), 422],
      ['over-long text', () => request(ctx.app).post('/s/test-survey').type('form').send(validForm({ 'q:ideas': 'x'.repeat(51) })), 422],
      ['a number out of range', () => request(ctx.app).post('/s/test-survey').type('form').send(validForm({ 'q:household': '99' })), 422],
      ['malformed JSON', () => request(ctx.app).post('/s/test-survey').set('Content-Type', 'application/json').send('{"sid":'), 400],
      ['a body over the size limit', () => request(ctx.app).post('/s/test-survey').type('form').send({ 'q:ideas': 'x'.repeat(200_000) }), 413],
      ['a form for an unknown survey', () => request(ctx.app).post('/s/nope').type('form').send(validForm()), 404],
    ];
    for (const [what, send, status] of cases) {
      it(`POST ${what} answers ${status}`, async () => {
        const res = await send();
        expect(res.status).to.equal(status);
        expect(res.text).to.not.match(/at .*\.(ts|js):\d+/); // no stack trace
        expect(await ResponseModel.countDocuments()).to.equal(0);
      });
    }

    it('POST to a closed survey answers 410 and stores nothing', async () => {
      await setSurveyStatus('test-survey', 'closed');
      await request(ctx.app).post('/s/test-survey').type('form').send(validForm()).expect(410);
      expect(await ResponseModel.countDocuments()).to.equal(0);
    });

    it('POST malformed JSON asking for JSON gets a JSON error with a stable code', async () => {
      const res = await request(ctx.app).post('/s/test-survey').set('Accept', 'application/json').set('Content-Type', 'application/json').send('{bad').expect(400);
      expect(res.body.error.code).to.equal('malformedBody');
    });
  });

  describe('built-in template in every language', () => {
    beforeEach(async () => {
      await seedBuiltInSurveys();
    });
    for (const { code, dir } of LANGUAGES) {
      it(`GET /s/community-needs?lang=${code} renders the whole template in ${code} (${dir})`, async () => {
        const res = await request(ctx.app).get(`/s/community-needs?lang=${code}`).expect(200);
        const $ = cheerio.load(res.text);
        expect($('html').attr('lang')).to.equal(code);
        expect($('html').attr('dir')).to.equal(dir);
        expect($('.question').length).to.equal(15); // 14 questions and the contact fieldset
        expect($('select[name="rank:priorities:3"]').length).to.equal(1);
        if (code !== 'en') expect($('h1').text()).to.not.equal('Community Needs Survey');
      });
    }

    it('POST a complete template answer in Vietnamese is stored with every answer', async () => {
      const res = await request(ctx.app)
        .post('/s/community-needs')
        .type('form')
        .send({
          sid: 'template-submission-01',
          lang: 'vi',
          // The ranking ranks only what was chosen in interests (rankFrom), so early-literacy is chosen there too.
          'q:interests': ['job-skills', 'esl-citizenship', 'early-literacy', 'other'],
          'other:interests': 'Lớp nấu ăn',
          'rank:priorities:1': 'esl-citizenship',
          'rank:priorities:2': 'job-skills',
          'rank:priorities:3': 'early-literacy',
          'q:times': 'weekend',
          'q:formats': ['in-person', 'online'],
          'q:barriers': 'language',
          'q:satisfaction': '3',
          'q:ideas': 'Thêm sách tiếng Việt',
          'q:age': '35-44',
          'q:neighborhood': '02124',
          'q:homeLanguage': 'vi',
          'q:visits': 'monthly',
          'q:children': 'yes',
          'q:childGrades': ['elementary'],
          'q:household': '4',
        })
        .expect(303);
      expect(res.headers.location).to.equal('/s/community-needs/thanks?lang=vi');
      const doc = (await ResponseModel.findOne().lean())!;
      expect(doc.lang).to.equal('vi');
      expect(doc.answers.priorities).to.deep.equal(['esl-citizenship', 'job-skills', 'early-literacy']);
      expect(doc.other).to.deep.equal({ interests: 'Lớp nấu ăn' });
      expect(Object.keys(doc.answers)).to.have.length(14);
    });
  });
});
