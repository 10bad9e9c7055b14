import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { readLocale } from '../../server/i18n.js';
import { SurveyModel } from '../../surveys/survey.model.js';
import { FunnelCountModel } from '../../surveys/funnel/funnel-count.model.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { useStaffSession } from '../helpers/hooks.js';
import { buildSurvey, pagedDefinition } from '../fixtures/builders.js';

const QUESTION = '/staff/surveys/test-survey/edit/questions/interests';

/** What a browser would post for a form as the page shows it (no button pressed), fields tied to it by `form=` included. */
function formFields($: cheerio.CheerioAPI, selector: string): Record<string, string> {
  const out: Record<string, string> = {};
  const id = $(selector).attr('id');
  $(selector).find('input, select, textarea').add(id ? $(`[form="${id}"]`) : []).each((_, el) => {
    const node = $(el);
    const name = node.attr('name');
    const type = node.attr('type') ?? '';
    if (!name || node.is('[disabled]') || type === 'submit' || name === 'anyOf') return;
    if ((type === 'checkbox' || type === 'radio') && !node.is('[checked]')) return;
    out[name] = el.tagName === 'select' ? String(node.find('option[selected]').attr('value') ?? node.find('option').first().attr('value') ?? '') : el.tagName === 'textarea' ? node.text() : String(node.attr('value') ?? '');
  });
  return out;
}

/** The respondent page inside a preview frame. */
const frameOf = (html: string, selector = 'iframe.preview-frame'): cheerio.CheerioAPI => cheerio.load(cheerio.load(html)(selector).first().attr('srcdoc') ?? '');

describe('survey builder: preview and editing in place', () => {
  const session = useStaffSession(() => buildSurvey(pagedDefinition()));
  const post = (path: string, form: Record<string, string | string[]>) => session.staff.post(path).type('form').send({ _csrf: session.token, ...form });
  const editorForm = async (): Promise<Record<string, string>> => formFields(cheerio.load((await session.staff.get(QUESTION).expect(200)).text), '#question-form');

  describe('the question editor’s preview', () => {
    it('GET the question editor shows the saved question in a sandboxed phone frame rendered by the respondents’ templates, with a language picker and a no-JavaScript Preview button', async () => {
      const $ = cheerio.load((await session.staff.get(QUESTION).expect(200)).text);
      const frame = $('.preview-panel iframe.preview-frame');
      expect(frame.attr('sandbox')).to.equal('allow-same-origin');
      expect(frame.attr('title')).to.equal('Question 1 as respondents see it on a phone, in English');
      const page = frameOf($.html());
      expect(page('html').attr('lang')).to.equal('en');
      expect(page('#q-interests legend').text()).to.contain('Interests?');
      expect(page('#survey-form .form-progress__text').text()).to.equal('Page 1 of 2'); // as a person with no answers yet sees it: the children page is skipped
      expect(page('script').length, 'no respondent script runs in the preview').to.equal(0);
      expect($('#previewLang option').map((_, o) => $(o).val()).get()).to.deep.equal(['en', 'es', 'ar']);
      expect($('#previewLang').attr('form')).to.equal('question-form');
      const button = $('[data-preview-button]');
      expect(button.attr('formaction')).to.equal(`${QUESTION}/preview`);
      expect(button.attr('formtarget')).to.equal('_blank');
      expect($('.preview-panel a[href="/staff/surveys/test-survey/preview?language=en"]').length).to.equal(1);
    });

    it('POST /preview as JSON with a changed question and previewLang=es answers the Spanish respondent page with the unsaved text, and saves nothing', async () => {
      const form = { ...(await editorForm()), label: 'What would you like to learn?', o2_label: 'Nothing at all', previewLang: 'es' };
      const res = await post(`${QUESTION}/preview`, form).set('Accept', 'application/json').expect(200);
      expect(res.body.language).to.equal('es');
      const page = cheerio.load(res.body.html as string);
      expect(page('html').attr('lang')).to.equal('es');
      expect(page('#q-interests legend').text()).to.contain('¿Intereses?'); // the Spanish text is kept when the English changes
      expect(page('label[for="q-interests-job-skills"]').text()).to.equal('Empleo');
      expect(page('label[for="q-interests-none"]').text()).to.equal('Nothing at all'); // not translated: the source text, as respondents would see it
      expect(page('.form-note').text()).to.equal('Las preguntas marcadas con un asterisco (*) son obligatorias.');
      expect(res.body.note, 'the note is in the staff member’s language').to.match(/^\d+ texts are not translated into Español yet/);

      const english = await post(`${QUESTION}/preview`, { ...form, previewLang: 'en' }).set('Accept', 'application/json').expect(200);
      expect(cheerio.load(english.body.html as string)('#q-interests legend').text()).to.contain('What would you like to learn?');
      expect(english.body.note).to.equal('');
      expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft).to.equal(undefined);
      expect(await ResponseModel.countDocuments()).to.equal(0);
      expect(await FunnelCountModel.countDocuments()).to.equal(0);
    });

    it('POST /preview as JSON with a language the survey does not have shows the survey’s own language', async () => {
      const res = await post(`${QUESTION}/preview`, { ...(await editorForm()), previewLang: 'vi' }).set('Accept', 'application/json').expect(200);
      expect(res.body.language).to.equal('en');
    });

    it('POST /preview as a form (no JavaScript) answers a staff page in the staff member’s language with the respondent page in the chosen one', async () => {
      const res = await post(`${QUESTION}/preview`, { ...(await editorForm()), label: 'Typed, not saved', previewLang: 'ar' }).expect(200);
      const $ = cheerio.load(res.text);
      expect($('html').attr('lang')).to.equal('en');
      expect($('h1').text()).to.equal('Question 1 with your changes, as respondents see it');
      const page = frameOf(res.text);
      expect(page('html').attr('dir')).to.equal('rtl');
      expect(page('#q-interests legend').text()).to.contain('الاهتمامات؟');
      expect(page('.form-note').text()).to.equal('الأسئلة المعلَّمة بنجمة (*) مطلوبة.');
      expect(res.headers['set-cookie'] ?? [], 'the preview never changes the staff member’s language').to.not.match(/lang=/);
    });

    it('POST /preview as JSON with an empty question text answers 422 with the problem in the staff member’s language (Spanish)', async () => {
      // Picked in the language switcher (a ?hl= preview would not stick).
      await session.staff.get('/language/es?next=/staff/surveys').expect(303);
      const res = await post(`${QUESTION}/preview`, { ...(await editorForm()), label: '', o0_label: 'Trabajos' }).set('Accept', 'application/json').expect(422);
      expect(res.body.error.code).to.equal('invalidQuestion');
      expect(res.body.error.problems).to.have.length(1);
      expect(res.body.error.problems[0].field).to.equal('label');
      expect(res.body.error.problems[0].message).to.equal((readLocale('es', 'builder').errors as Record<string, string>).labelRequired);
    });

    it('POST /preview as a form with an empty question text answers 422 with the question editor, its problem and everything typed', async () => {
      const res = await post(`${QUESTION}/preview`, { ...(await editorForm()), label: '', o0_label: 'Jobs and careers', previewLang: 'es' }).expect(422);
      const $ = cheerio.load(res.text);
      expect($('#label').attr('aria-invalid')).to.equal('true');
      expect($('.error-summary a[href="#label"]').length).to.equal(1);
      expect($('#o0_label').val()).to.equal('Jobs and careers');
      expect($('#previewLang option[selected]').val()).to.equal('es');
    });

    it('POST /preview without the CSRF token is refused (403); signed out it goes to sign-in', async () => {
      const { _csrf: _token, ...form } = await editorForm();
      await session.staff.post(`${QUESTION}/preview`).type('form').send(form).expect(403);
      const anonymous = await request(session.app).post(`${QUESTION}/preview`).type('form').send(form);
      expect(anonymous.status).to.be.oneOf([303, 302, 401, 403]);
      expect(anonymous.text).to.not.contain('<iframe');
    });
  });

  describe('the whole-survey preview', () => {
    it('GET /staff/surveys/test-survey/preview?language=es shows every page in Spanish in its own titled frame, at phone width', async () => {
      const $ = cheerio.load((await session.staff.get('/staff/surveys/test-survey/preview?language=es').expect(200)).text);
      const frames = $('iframe.preview-frame');
      expect(frames.length).to.equal(3);
      expect(frames.map((_, f) => $(f).attr('title')).get()).to.deep.equal([1, 2, 3].map((n) => `Page ${n} of 3 as respondents see it, in Español`));
      expect($('.phone-frame--wide').length).to.equal(0);
      expect($('#language option[selected]').val()).to.equal('es');
      const pages = frames.map((_, f) => cheerio.load($(f).attr('srcdoc')!)).get() as cheerio.CheerioAPI[];
      expect(pages.map((p) => p('.form-page:not([hidden]) .form-page__title').text())).to.deep.equal(['Sus intereses', 'Sus hijos', '']);
      expect(pages[0]!('.form-progress__text').text()).to.equal('Página 1 de 2'); // the children page is skipped without answers, and says so
      expect($('.preview-page').map((_, li) => $(li).find('.preview-page__condition').length).get()).to.deep.equal([0, 1, 0]);
      // A question waiting on an earlier answer is shown in the preview, with its note.
      expect(pages[1]!('#q-grades').is('[hidden]')).to.equal(false);
    });

    it('GET the whole-survey preview with width=wide and an unknown language shows the source language in wide frames', async () => {
      const $ = cheerio.load((await session.staff.get('/staff/surveys/test-survey/preview?language=xx&width=wide').expect(200)).text);
      expect($('.phone-frame--wide').length).to.equal(3);
      expect(cheerio.load($('iframe').first().attr('srcdoc')!)('html').attr('lang')).to.equal('en');
    });

    it('a new question of every type, before it has answers, shows in its editor’s preview and the whole-survey preview (never a 500)', async () => {
      for (const type of ['single', 'multi', 'ranking', 'rating', 'shortText', 'longText', 'number']) {
        const added = await post('/staff/surveys/test-survey/edit/questions', { newType: type, newLabel: `New ${type}` }).expect(303);
        const editor = cheerio.load((await session.staff.get(added.headers.location!).expect(200)).text);
        expect(frameOf(editor.html())('legend, label.question__label').text(), type).to.contain(`New ${type}`);
      }
      const $ = cheerio.load((await session.staff.get('/staff/surveys/test-survey/preview').expect(200)).text);
      expect(cheerio.load($('iframe').last().attr('srcdoc')!)('.form-page:not([hidden]) > .question').length).to.equal(11);
    });

    it('the survey page links to the whole-survey preview', async () => {
      const $ = cheerio.load((await session.staff.get('/staff/surveys/test-survey/edit').expect(200)).text);
      expect($('a[href="/staff/surveys/test-survey/preview"]').length).to.be.greaterThan(0);
    });
  });

  describe('editing a question in place on the survey page', () => {
    it('each question has a form for its text and its answers’ text, posting to .../inline with the CSRF token', async () => {
      const $ = cheerio.load((await session.staff.get('/staff/surveys/test-survey/edit').expect(200)).text);
      const form = $('#q-interests form[data-inline-form]');
      expect(form.attr('action')).to.equal(`${QUESTION}/inline`);
      expect(form.find('input[name=_csrf]').val()).to.equal(session.token);
      expect(form.find('#qi-interests-label').text()).to.equal('Interests?');
      expect(form.find('#qi-interests-o1_label').val()).to.equal('Coding');
      expect($('#q-name form[data-inline-form] [name$=_label]').length, 'a text question has no answers').to.equal(0);
    });

    it('POST .../inline (no JavaScript) saves the text to the draft, keeps every other setting and translation, and redirects 303 to the question', async () => {
      const res = await post(`${QUESTION}/inline`, { label: 'What interests you?', help: 'Tick all that apply', o0_id: 'job-skills', o0_label: 'Jobs and careers', o1_id: 'coding-tech', o1_label: 'Coding', o2_id: 'none', o2_label: 'None of these' }).expect(303);
      expect(res.headers.location).to.equal('/staff/surveys/test-survey/edit?notice=questionSaved#q-interests');
      const q = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft.questions[0];
      expect(q.label).to.deep.equal({ en: 'What interests you?', es: '¿Intereses?', ar: 'الاهتمامات؟' });
      expect(q.help).to.deep.equal({ en: 'Tick all that apply' });
      expect(q.options.map((o: { label: { en: string } }) => o.label.en)).to.deep.equal(['Jobs and careers', 'Coding', 'None of these']);
      expect(q.options[0].label.es).to.equal('Empleo');
      expect(q).to.include({ required: true, other: true });
      expect(q.options[2].exclusive).to.equal(true);
      expect(q.options[0].topic).to.equal('job-skills');
    });

    it('POST .../inline with an empty answer text answers 422 with the survey page, that question’s form open, the error beside the field and what was typed', async () => {
      const res = await post(`${QUESTION}/inline`, { label: 'Typed question', o0_id: 'job-skills', o0_label: '', o1_id: 'coding-tech', o1_label: 'Robots' }).expect(422);
      const $ = cheerio.load(res.text);
      const details = $('#q-interests details[data-inline-edit]');
      expect(details.is('[open]')).to.equal(true);
      expect($('#q-children details[data-inline-edit]').is('[open]')).to.equal(false);
      expect($('#qi-interests-label').text()).to.equal('Typed question');
      expect($('#qi-interests-o1_label').val()).to.equal('Robots');
      expect($('#qi-interests-o0_label').attr('aria-invalid')).to.equal('true');
      expect($('#qi-interests-o0_label-error').text()).to.not.equal('');
      expect($('.error-summary a[href="#qi-interests-o0_label"]').length).to.equal(1);
      expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft).to.equal(undefined);
    });

    it('POST .../inline as JSON answers the saved text, or 422 with the problems', async () => {
      const ok = await post(`${QUESTION}/inline`, { label: 'New words', o0_id: 'job-skills', o0_label: 'Jobs' }).set('Accept', 'application/json').expect(200);
      expect(ok.body).to.deep.include({ id: 'interests', label: 'New words' });
      expect(ok.body.draftState).to.match(/^There are unpublished changes/);
      const bad = await post(`${QUESTION}/inline`, { label: '' }).set('Accept', 'application/json').expect(422);
      expect(bad.body.error.problems.map((p: { field: string }) => p.field)).to.deep.equal(['label']);
    });

    it('POST .../inline without the CSRF token is refused (403) and changes nothing', async () => {
      await session.staff.post(`${QUESTION}/inline`).type('form').send({ label: 'Sneaky' }).expect(403);
      expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft).to.equal(undefined);
    });
  });
});
