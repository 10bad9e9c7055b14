import { expect } from 'chai';
import { renderSummaryPdf } from '../../../server/reports/summary-pdf.js';
import type { LanguageCode } from '../../../surveys/languages.js';
import { buildBoardSummary } from '../../fixtures/board-summary.js';
import { readPdf } from '../../helpers/pdf.js';

const SIZES = ['LETTER', 'A4'] as const;
const LONG = { partnersPerTopic: 3, reasonRepeat: 4, organizationsPerPartner: 6 };

describe('renderSummaryPdf', function () {
  this.timeout(60000);

  for (const pageSize of SIZES) {
    it(`takes an English summary on ${pageSize} and gives a PDF of at most 2 pages with every section, the footer and metadata`, async () => {
      const pdf = await renderSummaryPdf(buildBoardSummary('en'), { pageSize });
      expect(pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
      const { pages, text, info } = await readPdf(pdf);
      expect(pages).to.be.within(1, 2);
      for (const expected of [
        'Riverside Public Library',
        'Community Needs Survey 2026',
        'November 22, 2026',
        'Responses',
        '412',
        'Kiosk and web responses only',
        'Top program topics',
        'English conversation classes',
        'Citizenship test preparation',
        '46%',
        '40%–52%',
        'about equal',
        'About 5 in 10 people (40–52%) are interested.',
        'Who answered vs the community',
        '65 and older',
        'What the board can act on',
        'Top topics in each group',
        '18–24 (120 people)',
        'Too few answers to say for:',
        'Groups we heard from less than their share of the community:',
        '18–24: 8% of answers, 14% of the community',
        'Partners to approach',
        'Immigrant services nonprofit',
        'On file: Hope Immigrant Center',
        'No partners on file yet for:',
        'Method and caveats',
        `Page 1 of ${pages}`,
      ]) {
        expect(text).to.include(expected);
      }
      expect(info.Title).to.equal('Community Needs Survey 2026');
      expect(info.Language).to.equal('en');
    });

    it(`takes a Spanish summary on ${pageSize} and gives at most 2 pages of Spanish text with accents`, async () => {
      const pdf = await renderSummaryPdf(buildBoardSummary('es'), { pageSize });
      expect(pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
      const { pages, text, info } = await readPdf(pdf);
      expect(pages).to.be.within(1, 2);
      for (const expected of [
        'Biblioteca Pública de Riverside',
        'Encuesta de necesidades de la comunidad 2026',
        'Temas de programas más pedidos',
        'Clases de conversación en inglés',
        'casi igual',
        'Lo que la junta puede hacer',
        'Los temas preferidos de cada grupo',
        'Grupos de los que escuchamos menos de lo que representan en la comunidad:',
        'Socios a contactar',
        'Todavía no hay aliados registrados para:',
        'Método y advertencias',
        `Página 1 de ${pages}`,
      ]) {
        expect(text).to.include(expected);
      }
      expect(info.Language).to.equal('es');
    });

    for (const [lang, name] of [
      ['ar', 'an Arabic (right-to-left)'],
      ['zh-Hans', 'a Simplified Chinese'],
    ] as const) {
      it(`takes ${name} summary on ${pageSize} and gives at most 2 pages without throwing, in that language`, async () => {
        const pdf = await renderSummaryPdf(buildBoardSummary(lang), { pageSize });
        const { pages, info } = await readPdf(pdf);
        expect(pages).to.be.within(1, 2);
        expect(info.Language).to.equal(lang);
        expect(info.Title).to.equal(buildBoardSummary(lang).title);
      });
    }

    it(`takes 6 topics × 3 partners with long reasons and 6 organizations each on ${pageSize} and still gives at most 2 pages`, async () => {
      for (const lang of ['en', 'ar', 'zh-Hans'] as const) {
        const { pages, text } = await readPdf(await renderSummaryPdf(buildBoardSummary(lang, {}, LONG), { pageSize }));
        expect(pages, lang).to.be.within(1, 2);
        if (lang === 'en') for (const topic of buildBoardSummary('en').topics) expect(text).to.include(topic.name);
      }
    });
  }

  it('takes a Chinese summary and gives its Chinese headings, topics and page label as text', async () => {
    const { text } = await readPdf(await renderSummaryPdf(buildBoardSummary('zh-Hans'), { pageSize: 'A4' }));
    for (const expected of ['河滨公共图书馆', '最受关注的项目主题', '英语会话课', '各群体最关注的主题', '第 1 页，共 2 页']) expect(text).to.include(expected);
  });

  it('takes Vietnamese and Kreyòl summaries and gives at most 2 pages with their diacritics as text', async () => {
    for (const [lang, expected] of [
      ['vi', 'Khảo sát nhu cầu cộng đồng 2026'],
      ['ht', 'Sondaj sou bezwen kominote a 2026'],
    ] as [LanguageCode, string][]) {
      const { pages, text } = await readPdf(await renderSummaryPdf(buildBoardSummary(lang), { pageSize: 'LETTER' }));
      expect(pages, lang).to.be.within(1, 2);
      expect(text).to.include(expected);
    }
  });

  it('takes far too much content (long reasons, 8 questions × 30 groups, 12 method paragraphs) and cuts it to 2 pages', async () => {
    const base = buildBoardSummary('en', {}, { partnersPerTopic: 3, reasonRepeat: 20, organizationsPerPartner: 20 });
    const rows = Array.from({ length: 30 }, (_, i) => ({ label: `Neighbourhood ${i + 1}`, responseShare: 0.03, populationShare: 0.04, underHeard: true }));
    const model = {
      ...base,
      filters: 'Kiosk responses only, '.repeat(20),
      representativeness: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ question: `Question ${n}`, rows })),
      method: Array.from({ length: 12 }, () => base.method.join(' ').repeat(3)),
    };
    for (const pageSize of SIZES) {
      const { pages, text } = await readPdf(await renderSummaryPdf(model, { pageSize }));
      expect(pages).to.equal(2);
      expect(text).to.include('Page 2 of 2');
    }
  });

  it('takes 3 suggested types per topic, none on file, and gives one "No partners on file yet for" line per topic (never one per type)', async () => {
    const base = buildBoardSummary('en', {}, { partnersPerTopic: 3 });
    const model = { ...base, partners: base.partners.map((p) => ({ ...p, suggestions: p.suggestions.map((x) => ({ ...x, organizations: [], onFile: '' })), missing: `No partners on file yet for: ${p.suggestions.map((x) => x.name).join(', ')}` })) };
    for (const pageSize of SIZES) {
      const { pages, text } = await readPdf(await renderSummaryPdf(model, { pageSize }));
      expect(pages).to.be.within(1, 2);
      expect(text.split('No partners on file yet for:').length - 1).to.equal(model.partners.length);
      expect(text).not.to.include('None on file yet');
    }
  });

  it('takes 4 demographic questions × 12 groups with long Spanish topic names and gives 2 pages with every group and topic name whole', async () => {
    const model = buildBoardSummary('es', {}, { groupQuestions: 4, groupsPerQuestion: 12 });
    for (const pageSize of SIZES) {
      const { pages, text } = await readPdf(await renderSummaryPdf(model, { pageSize }));
      expect(pages, pageSize).to.equal(2);
      for (const row of model.groups[0]!.rows.slice(0, 8)) for (const topic of row.topics) expect(text, pageSize).to.include(topic.name);
    }
  });

  it('takes a summary with enoughData false and gives the too-few message instead of the topic chart and table', async () => {
    const model = buildBoardSummary('en', { enoughData: false, topics: [], partners: [], groups: [] });
    const { pages, text } = await readPdf(await renderSummaryPdf(model));
    expect(pages).to.equal(1);
    expect(text).to.include(model.tooFewMessage);
    expect(text).not.to.include('Likely range');
    expect(text).not.to.include('Partners to approach');
  });

  it('takes a page label template with spaces inside the braces and gives the filled-in footer', async () => {
    const base = buildBoardSummary('en', { enoughData: false, topics: [], partners: [], groups: [] });
    const model = { ...base, strings: { ...base.strings, page: 'Sheet {{ n }} / {{total}}' } };
    const { text } = await readPdf(await renderSummaryPdf(model));
    expect(text).to.include('Sheet 1 / 1');
  });
});
