import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { SurveyModel } from '../../surveys/survey.model.js';
import { findSurvey } from '../../surveys/survey.service.js';
import { useStaffSession } from '../helpers/hooks.js';
import { buildDefinition, buildSurvey, pagedDefinition } from '../fixtures/builders.js';

describe('survey builder: definition download and upload', () => {
  const session = useStaffSession(buildSurvey);
  const upload = (file: Buffer, fields: Record<string, string> = {}, name = 'survey.json') => {
    let req = session.staff.post('/staff/surveys/upload').field('_csrf', session.token);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('definition', file, name);
  };

  it('download then upload as the next version gives the same survey; as a new survey (another slug) the same questions', async () => {
    const res = await session.staff.get('/staff/surveys/test-survey/definition.json').expect(200).expect('content-type', /application\/json/).expect('content-disposition', /^attachment; filename="?test-survey-v1\.json"?$/);
    const downloaded = JSON.parse(res.text);
    expect(downloaded).to.deep.equal((await findSurvey('test-survey'))!.definition);

    const asVersion = await upload(Buffer.from(res.text), { target: 'version' }).expect(303);
    expect(asVersion.headers.location).to.equal('/staff/surveys/test-survey/edit?notice=uploadedVersion');
    const v2 = (await findSurvey('test-survey'))!;
    expect(v2.version).to.equal(2);
    expect(v2.definition).to.deep.equal(downloaded);

    await upload(Buffer.from(res.text), { target: 'new', slug: 'test-survey-copy' }).expect(303);
    const copy = (await findSurvey('test-survey-copy'))!;
    expect(copy).to.include({ version: 1, status: 'closed' });
    expect(copy.definition).to.deep.equal({ ...downloaded, slug: 'test-survey-copy' });
  });

  it('upload as a draft stores the draft only; a second draft upload needs the replace box', async () => {
    const file = Buffer.from(JSON.stringify(buildDefinition({ title: { en: 'From a file' } })));
    await upload(file, { target: 'draft' }).expect(303);
    expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft.title).to.deep.equal({ en: 'From a file' });
    expect((await findSurvey('test-survey'))!.version).to.equal(1);
    const refused = cheerio.load((await upload(file, { target: 'draft' }).expect(422)).text);
    expect(refused('#replaceDraft').attr('aria-invalid')).to.equal('true');
    await upload(file, { target: 'draft', replaceDraft: '1' }).expect(303);
  });

  it('upload as a new survey with a slug that exists answers 422 and overwrites nothing', async () => {
    const file = Buffer.from(JSON.stringify(buildDefinition({ title: { en: 'Overwrite?' } })));
    const $ = cheerio.load((await upload(file, { target: 'new' }).expect(422)).text);
    expect($('#target-error').text()).to.contain('test-survey');
    expect((await findSurvey('test-survey'))!.definition.title.en).to.equal('Test survey');
  });

  it('upload of a definition whose conditions form a cycle answers 422 naming the path, and saves nothing', async () => {
    const def = buildDefinition({ slug: 'cyclic' });
    const questions = def.questions.map((q) => ({ ...q }));
    questions[6] = { ...questions[6]!, showIf: { question: 'grades', anyOf: ['high'] } } as (typeof questions)[number];
    const res = await upload(Buffer.from(JSON.stringify({ ...def, questions })), { target: 'new' }).expect(422);
    const $ = cheerio.load(res.text);
    const cycle = $('.definition-problems li[data-code="conditionCycle"]');
    expect(cycle.find('.path').text()).to.equal('questions[6].showIf');
    expect(cycle.find('.problem-message').text()).to.contain('children → grades → children');
    expect(await SurveyModel.countDocuments({ slug: 'cyclic' })).to.equal(0);
  });

  /** The problems listed on a page, as `path code`. */
  const problemList = ($: cheerio.CheerioAPI): string[] => $('.definition-problems li').map((_, el) => `${$(el).find('.path').text()} ${$(el).attr('data-code')}`).get();

  it('upload of an invalid definition lists every problem by path and code, each message in words', async () => {
    const def = buildDefinition({ slug: 'broken', languages: ['es'] });
    const res = await upload(Buffer.from(JSON.stringify({ ...def, questions: [{ id: 'q', type: 'single', label: { en: 'Q' }, options: [] }] })), { target: 'new', slug: 'kept-slug' }).expect(422);
    const $ = cheerio.load(res.text);
    expect(problemList($)).to.include('questions[0].options listTooShort');
    expect($('.definition-problems li[data-code="listTooShort"] .problem-message').text()).to.equal('This list needs at least 2 entries.');
    expect($('#slug').val()).to.equal('kept-slug');
    expect($('input[name=target][value=new]').attr('checked')).to.not.equal(undefined);
  });

  it('upload of a definition with shape and sense problems names each by path and code', async () => {
    const def = buildDefinition({ slug: 'many-problems' }) as unknown as { questions: Record<string, unknown>[] } & Record<string, unknown>;
    const questions = def.questions.map((q) => ({ ...q }));
    questions[0] = { ...questions[0], id: 'a.b', colour: 'red' };
    questions[1] = { ...questions[1], type: 'matrix' };
    questions[5] = { ...questions[5], min: 'one' };
    delete questions[3]!.label;
    const file = { ...def, languages: ['en', 'fr'], questions };
    const $ = cheerio.load((await upload(Buffer.from(JSON.stringify(file)), { target: 'new' }).expect(422)).text);
    expect(problemList($)).to.include.members(['languages[1] unknownLanguage', 'questions[0] unknownKeys', 'questions[0].id idFormat', 'questions[1].type unknownQuestionType', 'questions[3].label required', 'questions[5].min expectedNumber']);
    expect($('.definition-problems li[data-code="unknownKeys"] .problem-message').text()).to.contain('colour');
    // Then the sense: the schema passes, the cross-checks find the rest.
    const sense = buildDefinition({ slug: 'many-problems' }) as unknown as { questions: Record<string, unknown>[] } & Record<string, unknown>;
    const q2 = sense.questions.map((q) => ({ ...q }));
    q2[1] = { ...q2[1], id: 'interests' };
    q2[5] = { ...q2[5], min: 30 };
    q2[7] = { ...q2[7], showIf: { question: 'children', anyOf: ['maybe'] } };
    const $2 = cheerio.load((await upload(Buffer.from(JSON.stringify({ ...sense, questions: q2 })), { target: 'new' }).expect(422)).text);
    expect(problemList($2)).to.include.members(['questions[1].id questionIdTwice', 'questions[5].min minAboveMax', 'questions[7].showIf.anyOf[0] conditionUnknownOption']);
    expect($2('.definition-problems li[data-code="minAboveMax"] .problem-message').text()).to.equal('The smallest number (30) is larger than the largest (20).');
    expect(await SurveyModel.countDocuments({ slug: 'many-problems' })).to.equal(0);
  });

  it('upload of a definition whose pages name an unknown question, leave one out, or are empty: each problem placed on its page, in words; a good one in pages is accepted', async () => {
    const def = buildDefinition({ ...pagedDefinition(), slug: 'paged-problems' });
    const pages = [{ id: 'start', questions: ['interests', 'priorities', 'children', 'ghost'] }, { id: 'kids', questions: [] }, { id: 'more', questions: ['rating', 'name', 'ideas', 'household'] }];
    const res = await session.staff.post('/staff/surveys/upload?hl=es').field('_csrf', session.token).field('target', 'new').attach('definition', Buffer.from(JSON.stringify({ ...def, pages })), 'survey.json').expect(422);
    let $ = cheerio.load(res.text);
    expect(problemList($)).to.include('pages[1].questions listEmpty');
    const schemaOk = { ...def, pages: [pages[0], { id: 'kids', questions: ['interests'] }, pages[2]] };
    $ = cheerio.load((await session.staff.post('/staff/surveys/upload?hl=es').field('_csrf', session.token).field('target', 'new').attach('definition', Buffer.from(JSON.stringify(schemaOk)), 'survey.json').expect(422)).text);
    expect(problemList($)).to.include.members(['pages[0].questions[3] pageUnknownQuestion', 'pages[1].questions[0] pageQuestionTwice', 'questions[7].id questionNotOnPage']);
    const unknown = $('.definition-problems li[data-code="pageUnknownQuestion"]');
    expect(unknown.find('strong').text()).to.equal('Página 1');
    expect(unknown.find('.problem-message').text()).to.equal('Esta página incluye «ghost», pero la encuesta no tiene ninguna pregunta con ese identificador.');
    expect(await SurveyModel.countDocuments({ slug: 'paged-problems' })).to.equal(0);
    await upload(Buffer.from(JSON.stringify(def)), { target: 'new' }).expect(303);
    expect(await SurveyModel.countDocuments({ slug: 'paged-problems' })).to.equal(1);
  });

  it('the upload page in Spanish (?hl=es) lists the problems in Spanish, with where they are in Spanish too', async () => {
    const def = buildDefinition({ slug: 'cyclic' });
    const questions = def.questions.map((q) => ({ ...q }));
    questions[6] = { ...questions[6]!, showIf: { question: 'grades', anyOf: ['high'] } } as (typeof questions)[number];
    const res = await session.staff.post('/staff/surveys/upload?hl=es').field('_csrf', session.token).field('target', 'new').attach('definition', Buffer.from(JSON.stringify({ ...def, questions })), 'survey.json').expect(422);
    const $ = cheerio.load(res.text);
    expect($('html').attr('lang')).to.equal('es');
    const item = $('.definition-problems li[data-code="conditionCycle"]');
    expect(item.find('strong').text()).to.equal('Pregunta 7');
    expect(item.find('.problem-message').text()).to.equal('Las condiciones para mostrar preguntas forman un círculo: children → grades → children.');
    expect(item.find('.problem-message').attr('lang')).to.equal(undefined);
  });

  it('upload of malformed JSON answers 422 with a clear message beside the file field', async () => {
    const $ = cheerio.load((await upload(Buffer.from('{ "slug": "x", '), { target: 'new' }).expect(422)).text);
    expect($('#definition-error').text()).to.contain('not valid JSON');
    expect($('#definition').attr('aria-invalid')).to.equal('true');
  });

  it('upload of a definition saved in Latin-1 answers 415 explaining the encoding; the same file as UTF-16 is read', async () => {
    const def = { ...buildDefinition({ slug: 'encoded' }), title: { en: 'Café survey' } };
    const text = JSON.stringify(def);
    const $ = cheerio.load((await upload(Buffer.from(text, 'latin1'), { target: 'new' }).expect(415)).text);
    expect($('#definition-error').text()).to.contain('UTF-8');
    expect(await SurveyModel.countDocuments({ slug: 'encoded' })).to.equal(0);
    await upload(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), { target: 'new' }).expect(303);
    expect((await findSurvey('encoded'))!.definition.title).to.deep.equal({ en: 'Café survey' });
  });

  it('upload of a 2 MB file answers 413', async () => {
    const big = Buffer.from(`{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    const $ = cheerio.load((await upload(big, { target: 'new' }).expect(413)).text);
    expect($('#definition-error').text()).to.contain('1 MB');
  });

  it('upload without a file answers 422', async () => {
    await session.staff.post('/staff/surveys/upload').field('_csrf', session.token).field('target', 'new').expect(422);
  });

  it('upload without the CSRF token answers 403', async () => {
    await session.staff.post('/staff/surveys/upload').field('target', 'new').attach('definition', Buffer.from('{}'), 'x.json').expect(403);
  });
});
