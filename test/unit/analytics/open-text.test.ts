import { expect } from 'chai';
import { analyzeOpenText, normalizeTerm, tokenize, type OpenTextResources } from '../../../analytics/open-text.js';
import { getCatalog } from '../../../surveys/catalog.service.js';
import { LANGUAGE_CODES } from '../../../surveys/languages.js';
import { getOpenTextResources, OpenTextDataError, validateOpenTextData } from '../../../surveys/open-text-data.service.js';

const en = (...texts: string[]) => texts.map((text) => ({ text, lang: 'en' }));

/** A small English vocabulary, so each test shows exactly what the lists contain. */
const small: OpenTextResources = {
  stopwords: { en: ['i', 'would', 'like', 'more', 'please', 'for', 'the', 'and', 'a', 'my', 'thank you'] },
  keywords: {
    en: {
      'job-skills': ['resume', 'job interviews'],
      'esl-citizenship': ['english classes'],
      'digital-literacy': ['online safety'],
      'public-safety': ['safety'],
    },
  },
};

describe('open-text analysis', () => {
  describe('tokenize', () => {
    it('sends English with capitals, accents and punctuation and gets lower-case words without accents', () => {
      expect(tokenize("I'd LOVE Résumé-writing classes!!", 'en')).to.deep.equal(["i'd", 'love', 'resume', 'writing', 'classes']);
    });

    it('sends Spanish with ¡! and an accent and gets the same words as typed without the accent (ñ kept)', () => {
      expect(tokenize('¡Clases de INGLÉS para niños, por favor!', 'es')).to.deep.equal(['clases', 'de', 'ingles', 'para', 'niños', 'por', 'favor']);
    });

    it('sends Chinese without spaces and gets dictionary words, rejoined by normalizeTerm without spaces', () => {
      const tokens = tokenize('我想学英语和电脑。', 'zh-Hans');
      expect(tokens).to.include.members(['英语', '电脑']);
      expect(tokens.join('')).to.equal('我想学英语和电脑');
      expect(normalizeTerm('找 工作', 'zh-Hans')).to.equal('找工作');
    });

    it('sends Vietnamese and gets syllables, with both spellings of khỏe/khoẻ and kỹ/kĩ made equal', () => {
      expect(tokenize('Lớp học Tiếng Anh', 'vi')).to.deep.equal(['lớp', 'học', 'tiếng', 'anh']);
      expect(tokenize('sức khỏe, kỹ năng', 'vi')).to.deep.equal(tokenize('sức khoẻ, kĩ năng', 'vi'));
    });

    it('sends Arabic with diacritics, tatweel, hamza forms and taa marbuta and gets one plain spelling', () => {
      expect(tokenize('الإنجليزيّة', 'ar')).to.deep.equal(tokenize('الانجليزيه', 'ar'));
      expect(tokenize('مكـتـبة إلى', 'ar')).to.deep.equal(['مكتبه', 'الي']);
      expect(tokenize('الكتب', 'ar')).to.deep.equal(['كتب']);
    });

    it('sends Haitian Creole with contractions and accents and gets whole words without accents', () => {
      expect(tokenize("M'ap chèche yon djòb.", 'ht')).to.deep.equal(["m'ap", 'cheche', 'yon', 'djob']);
    });

    it('normalises a keyword the same way twice (the service stores normalised keywords)', () => {
      for (const [term, lang] of [['Pop-up Library', 'en'], ['الإنجليزيّة', 'ar'], ['Khỏe', 'vi'], ['找工作', 'zh-Hans']] as const) {
        const once = normalizeTerm(term, lang);
        expect(normalizeTerm(once, lang)).to.equal(once);
      }
      expect(normalizeTerm('Pop-up Library', 'en')).to.equal('pop up library');
    });
  });

  describe('analyzeOpenText counting', () => {
    it('sends answers full of stop words and gets only the words that carry meaning', () => {
      const result = analyzeOpenText(en('I would like more books please', 'More books! Thank you'), small);
      expect(result.languages).to.deep.equal([{ lang: 'en', answers: 2, words: [{ term: 'books', count: 2 }], phrases: [] }]);
    });

    it('sends a word three times in one answer and once in another and gets a count of 2 answers', () => {
      const [lang] = analyzeOpenText(en('books books books', 'books'), small).languages;
      expect(lang?.words).to.deep.equal([{ term: 'books', count: 2 }]);
    });

    it('sends word pairs split by one stop word, two stop words and a comma and gets only the pairs with at most one stop word between', () => {
      const [lang] = analyzeOpenText(en('cooking classes for kids', 'Cooking classes, kids yoga', 'yoga for the kids', 'classes for kids'), small).languages;
      expect(lang?.phrases).to.deep.equal([
        { term: 'classes for kids', count: 2 },
        { term: 'cooking classes', count: 2 },
      ]);
      expect(lang?.words).to.deep.equal([
        { term: 'kids', count: 4 },
        { term: 'classes', count: 3 },
        { term: 'cooking', count: 2 },
        { term: 'yoga', count: 2 },
      ]);
    });

    it('sends "clases de cocina" twice in Spanish and gets the phrase shown as written, with its "de"', () => {
      const answers = ['Clases de cocina', 'más clases de cocina, por favor'].map((text) => ({ text, lang: 'es' }));
      const [lang] = analyzeOpenText(answers, { stopwords: { es: ['de', 'más', 'por', 'favor'] }, keywords: {} }).languages;
      expect(lang?.phrases).to.deep.equal([{ term: 'clases de cocina', count: 2 }]);
    });

    it('sends Chinese answers and gets the two-segment phrase joined without a space', () => {
      const res: OpenTextResources = { stopwords: { 'zh-Hans': ['我', '想要', '希望', '有'] }, keywords: {} };
      const [lang] = analyzeOpenText([{ text: '我想要中文书', lang: 'zh-Hans' }, { text: '希望有中文书', lang: 'zh-Hans' }], res).languages;
      expect(lang?.phrases).to.deep.equal([{ term: '中文书', count: 2 }]);
    });

    it('sends "Inglés" and "ingles" and gets one word shown as most often written, with its accent', () => {
      const answers = ['Inglés', 'inglés', 'ingles'].map((text) => ({ text, lang: 'es' }));
      const [lang] = analyzeOpenText(answers, { stopwords: {}, keywords: {} }).languages;
      expect(lang?.words).to.deep.equal([{ term: 'inglés', count: 3 }]);
    });

    it('sends top 2 and minCount 1 and gets ties ordered by term, cut after two', () => {
      const [lang] = analyzeOpenText(en('zebra apple mango', 'mango'), small, { top: 2, minCount: 1 }).languages;
      expect(lang?.words).to.deep.equal([
        { term: 'mango', count: 2 },
        { term: 'apple', count: 1 },
      ]);
    });

    it('sends blank and punctuation-only answers and gets no languages at all', () => {
      expect(analyzeOpenText(en('   ', '!!!'), small)).to.deep.equal({ languages: [], topics: [], newIdeas: [] });
    });
  });

  describe('analyzeOpenText topics', () => {
    const topicsOf = (text: string, lang: string): string[] =>
      analyzeOpenText([{ text, lang }], getOpenTextResources()).topics.map((t) => t.topic);

    it('sends an English answer about résumés and a book club and gets job-skills and reading-culture', () => {
      expect(topicsOf('Résumé help and practice for job interviews, plus a book club for seniors.', 'en')).to.have.members(['job-skills', 'reading-culture']);
    });

    it('sends a Spanish answer about English classes and homework and gets esl-citizenship and homework-tutoring', () => {
      expect(topicsOf('Clases de ingles para adultos y ayuda con las tareas de los niños.', 'es')).to.have.members(['esl-citizenship', 'homework-tutoring']);
    });

    it('sends a Chinese answer about coding classes and money talks and gets coding-tech and financial-literacy', () => {
      expect(topicsOf('希望多开一些编程课和理财讲座。', 'zh-Hans')).to.have.members(['coding-tech', 'financial-literacy']);
    });

    it('sends a Vietnamese answer about coding and health checks and gets coding-tech and health-wellness', () => {
      expect(topicsOf('Tôi muốn có lớp dạy lập trình cho con và chương trình khám sức khoẻ miễn phí.', 'vi')).to.have.members(['coding-tech', 'health-wellness']);
    });

    it('sends an Arabic answer about parent workshops and coding for youth and gets caregiver, coding and teen topics, not job-skills', () => {
      expect(topicsOf('نتمنى ورش عمل للأهل عن تربية الأطفال، ودروس في البرمجة للشباب.', 'ar')).to.have.members(['caregiver-workshops', 'coding-tech', 'teen-programs']);
    });

    it('sends a Haitian Creole answer about homework and a reading club and gets homework-tutoring and reading-culture', () => {
      expect(topicsOf('Nou bezwen èd pou devwa lakay pou timoun yo, epi yon klib lekti pou granmoun.', 'ht')).to.have.members(['homework-tutoring', 'reading-culture']);
    });

    it('sends "online safety" and gets digital-literacy only, because the longer keyword wins over "safety"', () => {
      expect(analyzeOpenText(en('Online safety for seniors'), small).topics).to.deep.equal([{ topic: 'digital-literacy', count: 1, langs: { en: 1 } }]);
    });

    it('sends an Arabic keyword with "and", "for the" and "with the" attached and gets it matched each time', () => {
      const res: OpenTextResources = { stopwords: {}, keywords: { ar: { 'early-literacy': ['أطفال'] } } };
      const answers = ['وللأطفال', 'كتب للأطفال', 'لعب بالأطفال', 'اطفال'].map((text) => ({ text, lang: 'ar' }));
      expect(analyzeOpenText(answers, res).topics).to.deep.equal([{ topic: 'early-literacy', count: 4, langs: { ar: 4 } }]);
    });

    it('sends three answers naming job-skills twice each, in English and Spanish, and gets one count per answer, split by language', () => {
      const answers = [...en('resume and job interviews', 'my resume'), { text: 'curriculum y entrevistas', lang: 'es' }];
      const res = getOpenTextResources();
      const job = analyzeOpenText(answers, res).topics.find((t) => t.topic === 'job-skills');
      expect(job).to.deep.equal({ topic: 'job-skills', count: 3, langs: { en: 2, es: 1 } });
    });
  });

  describe('analyzeOpenText new ideas', () => {
    it('sends three answers asking for cooking classes and gets the new idea "cooking classes" with count 3, not its words', () => {
      const answers = en('Cooking classes for adults please!', "I'd like cooking classes on weekends", 'Could you offer cooking classes? And resume help.');
      const result = analyzeOpenText(answers, getOpenTextResources());
      expect(result.newIdeas).to.deep.equal([{ lang: 'en', term: 'cooking classes', count: 3 }]);
    });

    it('sends "english classes" (a keyword) twice and gets no new idea from its words', () => {
      expect(analyzeOpenText(en('English classes please', 'more english classes'), small).newIdeas).to.deep.equal([]);
    });

    it('sends a word that also appears outside its phrase and gets both the phrase and the word', () => {
      const result = analyzeOpenText(en('cooking classes', 'cooking classes', 'cooking'), small);
      expect(result.newIdeas).to.deep.equal([
        { lang: 'en', term: 'cooking', count: 3 },
        { lang: 'en', term: 'cooking classes', count: 2 },
      ]);
    });
  });

  describe('open-text data files', () => {
    it('loads the shipped files through getOpenTextResources and gets every language and every catalog topic, normalised', () => {
      const res = getOpenTextResources();
      const topicIds = [...getCatalog().topicIds];
      expect(Object.keys(res.stopwords)).to.have.members(LANGUAGE_CODES);
      expect(Object.keys(res.keywords)).to.have.members(LANGUAGE_CODES);
      for (const lang of LANGUAGE_CODES) {
        expect(res.stopwords[lang].length, lang).to.be.greaterThan(100);
        expect(Object.keys(res.keywords[lang]), lang).to.have.members(topicIds);
        for (const id of topicIds) {
          const list = res.keywords[lang][id] ?? [];
          expect(list.length, `${lang} ${id}`).to.be.within(8, 25);
          for (const k of list) expect(normalizeTerm(k, lang), `${lang} ${id}`).to.equal(k).and.not.equal('');
        }
      }
    });

    it('validates lists with a missing topic, an unknown topic and a stop-word-only keyword and gets an openTextData error with 3 problems', () => {
      const raw = { stopwords: { en: ['the', 'help'] }, keywords: { en: { 'job-skills': ['jobs', 'the help'], sewing: ['sewing'] } } };
      const attempt = () => validateOpenTextData(raw, ['job-skills', 'arts-crafts'], ['en']);
      expect(attempt).to.throw(OpenTextDataError).with.property('code', 'openTextData');
      expect(attempt).to.throw(OpenTextDataError).with.property('problems').that.has.length(3);
    });

    it('validates a keyword list with a blank keyword and a language without files and gets an openTextData error', () => {
      const raw = { stopwords: { en: ['the'] }, keywords: { en: { 'job-skills': ['jobs', '  '] } } };
      expect(() => validateOpenTextData(raw, ['job-skills'], ['en'])).to.throw(OpenTextDataError).with.property('code', 'openTextData');
      expect(() => validateOpenTextData({ stopwords: {}, keywords: {} }, ['job-skills'], ['es']))
        .to.throw(OpenTextDataError)
        .with.property('problems')
        .that.has.length(2);
    });
  });
});
