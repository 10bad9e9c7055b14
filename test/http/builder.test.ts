import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { ResponseModel } from '../../surveys/response.model.js';
import { SurveyModel, SurveyVersionModel } from '../../surveys/survey.model.js';
import { findSurvey, getSurveyVersion } from '../../surveys/survey.service.js';
import { clearSettingsCache, saveSettings } from '../../surveys/settings.service.js';
import { missingStrings } from '../../surveys/translation.js';
import { useStaffSession } from '../helpers/hooks.js';
import { clearDatabase } from '../helpers/db.js';
import { buildSurvey, templateDefinition } from '../fixtures/builders.js';
import { answerFixtureSurvey } from '../fixtures/builder-responses.js';

const SETTINGS = { libraryName: '', thankYouUrl: '', kioskIdleSeconds: '90', kioskLocations: '', defaultLanguages: ['en'] };

/** What a browser would post for a form as the page shows it (no button pressed). */
function formFields($: cheerio.CheerioAPI, selector: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const add = (name: string, value: string): void => {
    const had = out[name];
    out[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  };
  $(selector).find('input, select, textarea').each((_, el) => {
    const node = $(el);
    const name = node.attr('name');
    const type = node.attr('type') ?? '';
    if (!name || node.is('[disabled]') || type === 'submit') return;
    if ((type === 'checkbox' || type === 'radio') && !node.is('[checked]')) return;
    add(name, el.tagName === 'select' ? String(node.find('option[selected]').attr('value') ?? node.find('option').first().attr('value') ?? '') : el.tagName === 'textarea' ? node.text() : String(node.attr('value') ?? (type === 'checkbox' ? 'on' : '')));
  });
  return out;
}

describe('survey builder: list, create, edit, publish', () => {
  const session = useStaffSession(() => {
    clearSettingsCache();
    return buildSurvey();
  });
  after(async () => {
    await clearDatabase();
    clearSettingsCache();
  });

  const post = (path: string, form: Record<string, string | string[]> = {}) => session.staff.post(path).type('form').send({ _csrf: session.token, ...form });

  describe('survey list', () => {
    it('GET /staff redirects 303 to /staff/surveys (keeping ?hl=)', async () => {
      expect((await session.staff.get('/staff?hl=es').expect(303)).headers.location).to.equal('/staff/surveys?hl=es');
    });

    it('GET /staff/surveys shows status, response count from the tallies and each language’s missing texts', async () => {
      await answerFixtureSurvey('builder-list-000001');
      const $ = cheerio.load((await session.staff.get('/staff/surveys').expect(200)).text);
      const row = $('tr[data-slug="test-survey"]');
      expect(row.find('.badge--open').length).to.equal(1);
      expect(row.find('.survey-responses').text().trim()).to.equal('1');
      const def = (await findSurvey('test-survey'))!.definition;
      expect(row.find('li[data-lang="es"]').text()).to.contain(`${missingStrings(def, 'es').length} texts missing`);
      expect(row.find('li[data-lang="en"]').text()).to.contain('source language');
      for (const href of ['/staff/surveys/test-survey/edit', '/staff/surveys/test-survey/translations', '/staff/surveys/test-survey', '/reports/test-survey/summary?hl=en', '/staff/surveys/test-survey/definition.json']) {
        expect(row.find(`a[href="${href}"]`).length, href).to.equal(1);
      }
    });

    it('GET /staff/surveys shows a closing date, and a survey closed by its date as closed', async () => {
      await SurveyModel.updateOne({ slug: 'test-survey' }, { $set: { closesAt: new Date(Date.now() - 1000) } });
      const $ = cheerio.load((await session.staff.get('/staff/surveys').expect(200)).text);
      expect($('tr[data-slug="test-survey"] .badge--closed').length).to.equal(1);
      expect($('tr[data-slug="test-survey"] .survey-status').text()).to.contain('closed on');
    });
  });

  describe('create', () => {
    it('POST /staff/surveys/new from the template makes a closed draft with every template language, then publish makes version 1', async () => {
      const res = await post('/staff/surveys/new', { source: 'template', template: 'community-needs', title: 'Teen needs 2026', slug: 'teen-needs' }).expect(303);
      expect(res.headers.location).to.equal('/staff/surveys/teen-needs/edit?notice=created');
      const doc = (await SurveyModel.findOne({ slug: 'teen-needs' }).lean())!;
      expect(doc).to.include({ status: 'closed', version: 0 });
      expect(doc.draft.languages).to.have.length(6);
      expect(doc.draft.title).to.deep.equal({ en: 'Teen needs 2026' });
      expect(await findSurvey('teen-needs')).to.equal(null);
      await request(session.app).get('/s/teen-needs').expect(404);
      await post('/staff/surveys/teen-needs/publish').expect(303);
      expect((await findSurvey('teen-needs'))!.version).to.equal(1);
    });

    it('the settings\' default languages (en, ar) are what a survey from the template starts with', async () => {
      await saveSettings({ ...SETTINGS, defaultLanguages: ['en', 'ar'] });
      const $ = cheerio.load((await session.staff.get('/staff/surveys/new').expect(200)).text);
      expect($('#tpl-languages span').map((_, el) => $(el).attr('lang')).get()).to.deep.equal(['en', 'ar']);
      expect($('input[name=languages]:checked').map((_, el) => $(el).val()).get()).to.deep.equal(['en', 'ar']);
      await post('/staff/surveys/new', { source: 'template', template: 'community-needs', title: 'Needs 2026', slug: 'needs-2026' }).expect(303);
      const doc = (await SurveyModel.findOne({ slug: 'needs-2026' }).lean())!;
      expect(doc.draft).to.deep.include({ defaultLanguage: 'en', languages: ['en', 'ar'] });
      expect(doc.hiddenLanguages).to.deep.equal([]);
      await post('/staff/surveys/needs-2026/publish').expect(303);
      expect((await findSurvey('needs-2026'))!.definition.languages).to.deep.equal(['en', 'ar']);
    });

    it('with default languages Spanish and Vietnamese, the template is written in Spanish and the empty survey form starts in them', async () => {
      await saveSettings({ ...SETTINGS, defaultLanguages: ['vi', 'es'] });
      const $ = cheerio.load((await session.staff.get('/staff/surveys/new').expect(200)).text);
      const spanishTitle = templateDefinition().title.es!;
      expect($('#tpl-title').val()).to.equal(spanishTitle);
      expect($('#blank-defaultLanguage').val()).to.equal('es');
      expect($('input[name=languages]:checked').map((_, el) => $(el).val()).get()).to.deep.equal(['es', 'vi']);

      await post('/staff/surveys/new', { source: 'template', template: 'community-needs', title: spanishTitle, slug: 'necesidades' }).expect(303);
      const doc = (await SurveyModel.findOne({ slug: 'necesidades' }).lean())!;
      expect(doc.draft).to.deep.include({ defaultLanguage: 'es', languages: ['es', 'vi'] });
      expect(doc.draft.title.es).to.equal(spanishTitle); // the template's own title keeps its translations
      await post('/staff/surveys/necesidades/publish').expect(303);
      expect((await findSurvey('necesidades'))!.definition.defaultLanguage).to.equal('es');

      // The empty survey, sent as the form shows it: Spanish, with Vietnamese (hidden until translated).
      await post('/staff/surveys/new', { source: 'blank', title: 'Vacía', slug: 'vacia', defaultLanguage: 'es', languages: ['es', 'vi'] }).expect(303);
      const blank = (await SurveyModel.findOne({ slug: 'vacia' }).lean())!;
      expect(blank.draft).to.deep.include({ defaultLanguage: 'es', languages: ['es', 'vi'] });
      expect(blank.hiddenLanguages).to.deep.equal(['vi']);
    });

    it('a refused template form keeps the empty survey form\'s boxes on the default languages', async () => {
      await saveSettings({ ...SETTINGS, defaultLanguages: ['en', 'ht'] });
      const res = await post('/staff/surveys/new', { source: 'template', template: 'community-needs', title: 'Needs', slug: 'Bad Slug' }).expect(422);
      const $ = cheerio.load(res.text);
      expect($('#tpl-slug').val()).to.equal('Bad Slug');
      expect($('input[name=languages]:checked').map((_, el) => $(el).val()).get()).to.deep.equal(['en', 'ht']);
    });

    it('POST /staff/surveys/new from scratch makes an empty draft in the chosen languages', async () => {
      await post('/staff/surveys/new', { source: 'blank', title: 'Encuesta', slug: 'encuesta', defaultLanguage: 'es', languages: ['en', 'ht'] }).expect(303);
      const doc = (await SurveyModel.findOne({ slug: 'encuesta' }).lean())!;
      expect(doc.draft).to.deep.include({ defaultLanguage: 'es', languages: ['en', 'es', 'ht'], title: { es: 'Encuesta' }, questions: [] });
      expect(doc.hiddenLanguages).to.deep.equal(['en', 'ht']);
      const $ = cheerio.load((await session.staff.get('/staff/surveys').expect(200)).text);
      expect($('tr[data-slug="encuesta"] .badge--unpublished').length).to.equal(1);
    });

    it('POST /staff/surveys/new with a taken or malformed slug answers 422 with the error beside the field and the title kept', async () => {
      const taken = cheerio.load((await post('/staff/surveys/new', { source: 'blank', title: 'Again', slug: 'test-survey', defaultLanguage: 'en' }).expect(422)).text);
      expect(taken('#blank-slug').attr('aria-invalid')).to.equal('true');
      expect(taken('#blank-slug').attr('aria-describedby')).to.contain('blank-slug-error');
      expect(taken('#blank-slug').attr('autofocus')).to.not.equal(undefined);
      expect(taken('#blank-slug-error').text()).to.contain('test-survey');
      expect(taken('#blank-title').val()).to.equal('Again');
      const bad = cheerio.load((await post('/staff/surveys/new', { source: 'template', title: 'X', slug: 'Not A Slug' }).expect(422)).text);
      expect(bad('#tpl-slug-error').length).to.equal(1);
      expect(await SurveyModel.countDocuments()).to.equal(1);
    });
  });

  describe('edit without JavaScript', () => {
    it('adds a question by type, edits its options, reorders and deletes it with plain form posts', async () => {
      const added = await post('/staff/surveys/test-survey/edit/questions', { newType: 'single', newLabel: '¿Dónde vive?' }).expect(303);
      const editPath = added.headers.location as string;
      expect(editPath).to.equal('/staff/surveys/test-survey/edit/questions/donde-vive');
      const page = cheerio.load((await session.staff.get(editPath).expect(200)).text);
      page('input:not([type=hidden]), select, textarea').each((_, el) => {
        expect(page(`label[for="${page(el).attr('id')}"]`).length, `label for ${page(el).attr('id')}`).to.equal(1);
      });
      await post(editPath, { label: 'Where do you live?', o0_label: 'North side', o1_label: 'South side', o1_topic: '', o2_label: '', required: '1', demographic: '1' }).expect(303);
      let draft = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft;
      const q = draft.questions.at(-1);
      expect(q).to.deep.include({ id: 'donde-vive', type: 'single', required: true, demographic: true, label: { en: 'Where do you live?' } });
      expect(q.options.map((o: { id: string }) => o.id)).to.deep.equal(['north-side', 'south-side']);

      // Renaming an option keeps its id; a new row gets a new id; removing drops it.
      await post(editPath, { label: 'Where do you live?', o0_id: 'north-side', o0_label: 'Northside', o1_id: 'south-side', o1_label: 'South side', o1_remove: '1', o2_label: 'East side' }).expect(303);
      draft = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft;
      expect(draft.questions.at(-1).options).to.deep.equal([
        { id: 'north-side', label: { en: 'Northside' } },
        { id: 'east-side', label: { en: 'East side' } },
      ]);

      const up = await post('/staff/surveys/test-survey/edit/questions/donde-vive/move', { direction: 'up' }).expect(303);
      expect(up.headers.location).to.equal('/staff/surveys/test-survey/edit#q-donde-vive');
      draft = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft;
      expect(draft.questions.map((x: { id: string }) => x.id).slice(-2)).to.deep.equal(['donde-vive', 'grades']);
      const editor = cheerio.load((await session.staff.get('/staff/surveys/test-survey/edit').expect(200)).text);
      expect(editor('#questions .question-item').map((_, el) => editor(el).attr('data-question')).get().slice(-2)).to.deep.equal(['donde-vive', 'grades']);

      await post('/staff/surveys/test-survey/edit/questions/donde-vive/delete').expect(303);
      draft = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft;
      expect(draft.questions.map((x: { id: string }) => x.id)).to.not.include('donde-vive');
      expect((await findSurvey('test-survey'))!.definition.questions).to.have.length(8);
    });

    it('moves an answer up and down with the arrows (the whole form posted, 303 back to the question), keeping what was typed', async () => {
      const path = '/staff/surveys/test-survey/edit/questions/interests';
      const $ = cheerio.load((await session.staff.get(path).expect(200)).text);
      const arrows = $('#options button[data-option-move]');
      expect(arrows.map((_, b) => `${$(b).attr('value')} ${$(b).attr('formaction')} ${$(b).is('[disabled]')}`).get()).to.deep.equal([
        `0:up ${path}/options/move true`,
        `0:down ${path}/options/move false`,
        `1:up ${path}/options/move false`,
        `1:down ${path}/options/move false`,
        `2:up ${path}/options/move false`,
        `2:down ${path}/options/move true`,
      ]);
      expect(arrows.first().attr('aria-label')).to.equal('Move answer 1 up');
      // Enter in a text field saves: the form's first button is the (hidden) save button, not an arrow.
      expect($('form[data-question-form] button[type=submit]').first().attr('formaction')).to.equal(undefined);

      const form = { ...formFields($, 'form[data-question-form]'), o1_label: 'Coding and robots' };
      const moved = await post(`${path}/options/move`, { ...form, move: '1:up' }).expect(303);
      expect(moved.headers.location).to.equal(`${path}?notice=optionMoved#opt-coding-tech`);
      let draft = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft;
      let options = draft.questions[0].options as { id: string; label: { en: string; es?: string } }[];
      expect(options.map((o) => o.id)).to.deep.equal(['coding-tech', 'job-skills', 'none']);
      expect(options[0]!.label.en).to.equal('Coding and robots');
      expect(options[1]!.label.es).to.equal('Empleo'); // the other languages travel with their answer

      const after = cheerio.load((await session.staff.get(moved.headers.location!.split('#')[0]!).expect(200)).text);
      expect(after('.builder-notice').text()).to.contain('The answer was moved');
      expect(after('#opt-coding-tech [data-option-legend]').text()).to.equal('Answer 1');
      expect(after('#opt-coding-tech button[data-option-move=up]').is('[disabled]')).to.equal(true);

      // Down past the last answer changes nothing; an unknown direction is refused.
      await post(`${path}/options/move`, { ...formFields(after, 'form[data-question-form]'), move: '2:down' }).expect(303);
      draft = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft;
      options = draft.questions[0].options;
      expect(options.map((o) => o.id)).to.deep.equal(['coding-tech', 'job-skills', 'none']);
      await post(`${path}/options/move`, { ...formFields(after, 'form[data-question-form]'), move: '1:sideways' }).expect(400);
    });

    it('a move with a problem in the form answers 422 with the rows in their new order and everything typed, and saves nothing', async () => {
      const path = '/staff/surveys/test-survey/edit/questions/interests';
      const $ = cheerio.load((await session.staff.get(path).expect(200)).text);
      const res = await post(`${path}/options/move`, { ...formFields($, 'form[data-question-form]'), label: '', o2_label: 'Nothing here', move: '2:up' }).expect(422);
      const page = cheerio.load(res.text);
      expect(page('#label').attr('aria-invalid')).to.equal('true');
      expect(page('#options [data-option-id]').map((_, li) => page(li).attr('data-option-id')).get()).to.deep.equal(['job-skills', 'none', 'coding-tech']);
      expect(page('#o2_label').val()).to.equal('Nothing here');
      expect(page('[name=o2_pos]').val()).to.equal('1');
      expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft).to.equal(undefined);
    });

    it('saving with the positions the script writes (o<n>_pos) stores the answers in that order', async () => {
      const path = '/staff/surveys/test-survey/edit/questions/children';
      const $ = cheerio.load((await session.staff.get(path).expect(200)).text);
      await post(path, { ...formFields($, 'form[data-question-form]'), o0_pos: '1', o1_pos: '0' }).expect(303);
      const draft = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft;
      expect(draft.questions[6].options.map((o: { id: string }) => o.id)).to.deep.equal(['no', 'yes']);
    });

    it('POST a question with an empty label and a bad number answers 422 with both errors and what was typed', async () => {
      const res = await post('/staff/surveys/test-survey/edit/questions/household', { label: '', min: '1', max: 'ten' }).expect(422);
      const $ = cheerio.load(res.text);
      expect($('#label').attr('aria-invalid')).to.equal('true');
      expect($('#label').attr('autofocus')).to.not.equal(undefined);
      expect($('#max-error').text()).to.contain('whole number');
      expect($('#max').val()).to.equal('ten');
      expect($('.error-summary a[href="#label"]').length).to.equal(1);
      expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft).to.equal(undefined);
    });

    it('sets a condition (showIf) on a question from an earlier choice question', async () => {
      // Boxes ticked under another question (children) do not count: only the chosen question's answers.
      await post('/staff/surveys/test-survey/edit/questions/ideas', { label: 'Long text', maxLength: '50', showIf: 'interests', anyOf: ['interests:none', 'interests:other', 'children:yes'] }).expect(303);
      const draft = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft;
      expect(draft.questions.find((q: { id: string }) => q.id === 'ideas').showIf).to.deep.equal({ question: 'interests', anyOf: ['none', 'other'] });
      // A later question cannot be the condition.
      const res = await post('/staff/surveys/test-survey/edit/questions/ideas', { label: 'Long text', maxLength: '50', showIf: 'children', anyOf: ['children:yes'] }).expect(422);
      expect(cheerio.load(res.text)('#showIf-error').length).to.equal(1);
    });

    it('refuses to delete a question that another question depends on (422), keeping it', async () => {
      const res = await post('/staff/surveys/test-survey/edit/questions/children/delete').expect(422);
      expect(cheerio.load(res.text)('.error-summary').text()).to.contain('grades');
      expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft).to.equal(undefined);
    });
  });

  describe('publish', () => {
    it('publishing makes version 2; a response given before keeps version 1', async () => {
      await answerFixtureSurvey('builder-publish-0001');
      await post('/staff/surveys/test-survey/edit/settings', { title: 'Test survey, second edition', intro: 'Hello', languages: ['es', 'ar'] }).expect(303);
      expect((await findSurvey('test-survey'))!.version).to.equal(1);
      const res = await post('/staff/surveys/test-survey/publish').expect(303);
      expect(res.headers.location).to.equal('/staff/surveys/test-survey/edit?notice=published');
      const survey = (await findSurvey('test-survey'))!;
      expect(survey.version).to.equal(2);
      expect(survey.definition.title.en).to.equal('Test survey, second edition');
      expect((await getSurveyVersion('test-survey', 1))!.title.en).to.equal('Test survey');
      expect(await SurveyVersionModel.countDocuments({ slug: 'test-survey' })).to.equal(2);
      expect((await ResponseModel.findOne({ submissionId: 'builder-publish-0001' }).lean())!.surveyVersion).to.equal(1);
      expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft).to.equal(undefined);
    });

    it('publishing an invalid draft answers 422 listing every problem by path, and keeps the draft', async () => {
      await post('/staff/surveys/test-survey/edit/questions', { newType: 'ranking', newLabel: 'Top picks' }).expect(303);
      await post('/staff/surveys/test-survey/edit/questions', { newType: 'multi', newLabel: 'More' }).expect(303);
      const res = await post('/staff/surveys/test-survey/publish').expect(422);
      const $ = cheerio.load(res.text);
      const paths = $('.definition-problems .path').map((_, el) => $(el).text()).get();
      expect(paths).to.include.members(['questions[8].options', 'questions[9].options']);
      expect($('.definition-problems li').map((_, el) => $(el).attr('data-code')).get()).to.include('listTooShort');
      expect($('.definition-problems .problem-message').first().text()).to.match(/^This list needs at least \d entr/);
      expect($('.definition-problems a[href="/staff/surveys/test-survey/edit/questions/top-picks"]').length).to.be.greaterThan(0);
      expect((await findSurvey('test-survey'))!.version).to.equal(1);
      expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft.questions).to.have.length(10);
    });

    it('publishing an invalid draft from a page in Vietnamese lists the problems in Vietnamese', async () => {
      await post('/staff/surveys/test-survey/edit/questions', { newType: 'ranking', newLabel: 'Top picks' }).expect(303);
      const res = await session.staff.post('/staff/surveys/test-survey/publish?hl=vi').type('form').send({ _csrf: session.token }).expect(422);
      const $ = cheerio.load(res.text);
      const item = $('.definition-problems li[data-code="listTooShort"]');
      expect(item.find('.path').text()).to.equal('questions[8].options');
      expect(item.find('strong').text()).to.equal('Câu hỏi 9');
      expect(item.find('.problem-message').text()).to.equal('Danh sách này cần ít nhất 2 mục.');
    });

    it('discarding the draft goes back to the published version', async () => {
      await post('/staff/surveys/test-survey/edit/settings', { title: 'Changed' }).expect(303);
      await post('/staff/surveys/test-survey/discard').expect(303);
      const $ = cheerio.load((await session.staff.get('/staff/surveys/test-survey/edit').expect(200)).text);
      expect($('#title').val()).to.equal('Test survey');
    });
  });
});
