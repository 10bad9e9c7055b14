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
        'under-heard',
        'Partners to approach',
        'Immigrant services nonprofit',
        'Hope Immigrant Center',
        'None on file yet',
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
        'poco escuchado',
        'Socios a contactar',
        'Ninguna registrada aún',
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
    for (const expected of ['河滨公共图书馆', '最受关注的项目主题', '英语会话课', '代表不足', '第 1 页，共 2 页']) expect(text).to.include(expected);
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

  it('takes a summary with enoughData false and gives the too-few message instead of the topic chart and table', async () => {
    const model = buildBoardSummary('en', { enoughData: false, topics: [], partners: [] });
    const { pages, text } = await readPdf(await renderSummaryPdf(model));
    expect(pages).to.equal(1);
    expect(text).to.include(model.tooFewMessage);
    expect(text).not.to.include('Likely range');
    expect(text).not.to.include('Partners to approach');
  });

  it('takes a page label template with spaces inside the braces and gives the filled-in footer', async () => {
    const base = buildBoardSummary('en', { enoughData: false, topics: [], partners: [] });
    const model = { ...base, strings: { ...base.strings, page: 'Sheet {{ n }} / {{total}}' } };
    const { text } = await readPdf(await renderSummaryPdf(model));
    expect(text).to.include('Sheet 1 / 1');
  });
});
