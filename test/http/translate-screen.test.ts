import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { SurveyModel } from '../../surveys/survey.model.js';
import { findSurvey } from '../../surveys/survey.service.js';
import { missingStrings, sourceKeys } from '../../surveys/translation.js';
import type { SurveyDefinition } from '../../surveys/definition.schema.js';
import { useStaffSession } from '../helpers/hooks.js';
import { buildSurvey, pagedDefinition } from '../fixtures/builders.js';

const BASE = '/staff/surveys/test-survey/translations';
const definition = async (): Promise<SurveyDefinition> => (await findSurvey('test-survey'))!.definition;
/** The text without the isolates around the language name (U+2068 … U+2069). */
const isolated = (text: string): string => text.replace(/[\u2068\u2069]/g, '');
const visibleKeys = ($: cheerio.CheerioAPI): string[] => $('.translate-row').filter((_i, el) => $(el).attr('hidden') === undefined && $(el).closest('[data-section]').attr('hidden') === undefined).map((_i, el) => $(el).attr('data-key')).get();

describe('the translation screen for translators', () => {
  const session = useStaffSession(() => buildSurvey(pagedDefinition()));

  it('GET /es: one section per part of the survey in its order (title and introduction, each question with its number and text, page headings); each box is labelled with its source text, not its key', async () => {
    const def = await definition();
    const $ = cheerio.load((await session.staff.get(`${BASE}/es`).expect(200)).text);
    const headings = $('.translate-section legend h3').map((_i, el) => $(el).contents().first().text().trim()).get();
    expect(headings).to.deep.equal(['Title and introduction', ...def.questions.map((_q, i) => `Question ${i + 1}`), 'Page headings']);
    const rating = $('#sec-q-rating');
    expect(rating.find('.translate-section__label').text()).to.equal('How well?');
    expect(rating.find('.translate-row').map((_i, el) => $(el).find('.translate-part').text()).get()).to.deep.equal(['Question', 'Scale point 1', 'Scale point 2', 'Scale point 3', 'Scale point 4', 'Scale point 5']);
    const row = $('.translate-row[data-key="questions.children.options.yes.label"]');
    expect(row.find('label').attr('for')).to.equal(row.find('textarea').attr('id'));
    expect(row.find('label .translate-text').text()).to.equal('Yes');
    expect(row.find('label .translate-part').text()).to.equal('Answer choice');
    expect(row.find('textarea').text()).to.equal('Sí');
    expect($('.translate-row').length).to.equal(sourceKeys(def).length);
    // Keys are for files, not for people: none is shown on the page.
    expect($('main').text()).not.to.match(/questions\.\w+\./);
  });

  it('GET /es: the progress reads "Español: <translated> of <all> texts translated" with the numbers of the draft, and a bar with the same values', async () => {
    const def = await definition();
    const total = sourceKeys(def).length;
    const done = total - missingStrings(def, 'es').length;
    expect(done).to.be.within(1, total - 1);
    const $ = cheerio.load((await session.staff.get(`${BASE}/es`).expect(200)).text);
    expect(isolated($('#translate-progress').text())).to.equal(`Español: ${done} of ${total} texts translated`);
    expect($('progress.translate-meter').attr('value')).to.equal(String(done));
    expect($('progress.translate-meter').attr('max')).to.equal(String(total));
  });

  it('GET the overview: each language says how many of its texts are translated and links to only the missing ones', async () => {
    const def = await definition();
    const total = sourceKeys(def).length;
    const $ = cheerio.load((await session.staff.get(BASE).expect(200)).text);
    for (const lang of ['es', 'ar'] as const) {
      const missing = missingStrings(def, lang).length;
      const cell = $(`#progress-${lang}`).closest('td');
      expect(cell.find(`#progress-${lang}`).text()).to.equal(`${total - missing} of ${total} texts translated`);
      expect(cell.find('a').attr('href')).to.equal(`${BASE}/${lang}?missing=1`);
      expect(cell.find('a').text()).to.equal(`Translate the ${missing} missing texts`);
    }
  });

  it('GET /es?missing=1 (no JavaScript): only the missing texts are shown, sections with none are hidden, the filter box is ticked and saving comes back to the filtered view', async () => {
    const def = await definition();
    const $ = cheerio.load((await session.staff.get(`${BASE}/es?missing=1`).expect(200)).text);
    expect(visibleKeys($)).to.deep.equal(missingStrings(def, 'es'));
    $('[data-section]').each((_i, el) => {
      expect($(el).attr('hidden'), $(el).attr('id')).to.equal($(el).find('[data-missing]').length ? undefined : 'hidden');
    });
    expect($('#sec-pages').attr('hidden')).to.equal('hidden'); // both page headings have Spanish
    expect($('#only-missing').attr('checked')).to.equal('checked');
    expect($('form.translate-filter').attr('method')).to.equal('get');
    expect($('[data-filter-status]').text()).to.equal(`Showing the ${missingStrings(def, 'es').length} texts still missing; translated texts are hidden.`);
    expect($('form[data-translate-sections]').attr('action')).to.equal(`${BASE}/es?missing=1`);
    const all = cheerio.load((await session.staff.get(`${BASE}/es`).expect(200)).text);
    expect(visibleKeys(all)).to.deep.equal(sourceKeys(def));
    expect(all('#only-missing').attr('checked')).to.equal(undefined);
  });

  it('POST /es?missing=1 a new text: 303 back to the filtered view, where that text is now hidden', async () => {
    const res = await session.staff.post(`${BASE}/es?missing=1`).field('_csrf', session.token).field('t:questions.rating.label', '¿Qué tan bien?').expect(303);
    expect(res.headers.location).to.equal(`${BASE}/es?notice=translationsSaved&missing=1`);
    const $ = cheerio.load((await session.staff.get(res.headers.location!).expect(200)).text);
    expect(visibleKeys($)).not.to.include('questions.rating.label');
    const draft = (await SurveyModel.findOne({ slug: 'test-survey' }).lean())!.draft as SurveyDefinition;
    expect(visibleKeys($)).to.deep.equal(missingStrings(draft, 'es'));
  });

  it('POST /es?missing=1 with a text that is too long: 422, everything typed is kept, the row with the error is shown even though it was translated, and the error names the part and its source text', async () => {
    const long = 'x'.repeat(2001);
    const $ = cheerio.load((await session.staff.post(`${BASE}/es?missing=1`).field('_csrf', session.token).field('t:title', long).field('t:questions.rating.label', 'Mi texto').expect(422)).text);
    expect($('.translate-row[data-key="title"] textarea').text()).to.equal(long);
    expect($('.translate-row[data-key="questions.rating.label"] textarea').text()).to.equal('Mi texto');
    expect(visibleKeys($)).to.include('title');
    expect($('.translate-row[data-key="title"] textarea').attr('aria-invalid')).to.equal('true');
    expect($('.error-summary li').first().text()).to.contain('Survey title “Test survey”');
    expect($('.error-summary').text()).not.to.contain('t:title');
  });

  it('GET /ar?missing=1 once every text is translated: says nothing is missing', async () => {
    const def = await definition();
    const req = session.staff.post(`${BASE}/ar`).field('_csrf', session.token);
    for (const key of missingStrings(def, 'ar')) req.field(`t:${key}`, `ع ${key}`);
    await req.expect(303);
    const $ = cheerio.load((await session.staff.get(`${BASE}/ar?missing=1`).expect(200)).text);
    expect(visibleKeys($)).to.deep.equal([]);
    expect($('[data-filter-status]').text()).to.equal('Nothing is missing: every text is translated.');
    const total = sourceKeys(def).length;
    expect(isolated($('#translate-progress').text())).to.equal(`العربية: ${total} of ${total} texts translated`);
    // Isolated, so the right-to-left name does not reorder the English sentence around it.
    expect($('#translate-progress').text()).to.contain('\u2068العربية\u2069:');
  });

  it('GET /es?hl=ar (the staff interface in Arabic): headings, parts and progress are in Arabic', async () => {
    const def = await definition();
    const total = sourceKeys(def).length;
    const done = total - missingStrings(def, 'es').length;
    const $ = cheerio.load((await session.staff.get(`${BASE}/es?hl=ar`).expect(200)).text);
    expect($('html').attr('dir')).to.equal('rtl');
    expect($('#sec-q-interests legend h3').contents().first().text().trim()).to.equal('السؤال 1');
    expect(isolated($('#translate-progress').text())).to.contain(`تُرجم ${done} من أصل ${total}`);
  });
});
