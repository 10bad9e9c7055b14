import { expect } from 'chai';
import { getCatalog } from '../../../surveys/catalog.service.js';
import type { SurveyDefinition } from '../../../surveys/definition.schema.js';
import { validateDefinition, type DefinitionResult } from '../../../surveys/definition.service.js';
import { formPages, pageOfFirstProblem, pageProgress, problemsOnPage, readPageIndex, readStep, shownPages, stepFrom } from '../../../surveys/form-pages.js';
import { readLocale } from '../../../server/i18n.js';
import { extractStrings, sourceKeys } from '../../../surveys/translation.js';
import { addQuestion, removeQuestion } from '../../../surveys/draft.js';
import { buildDefinition, pagedDefinition, templateDefinition } from '../../fixtures/builders.js';

function validate(input: unknown): DefinitionResult {
  return validateDefinition(input, getCatalog().topicIds);
}

function paged(): SurveyDefinition {
  const result = validate(buildDefinition(pagedDefinition()));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.definition;
}

function problemsOf(pages: unknown): string[] {
  const result = validate({ ...buildDefinition(pagedDefinition()), pages });
  return result.ok ? [] : result.problems.map((p) => `${p.path} ${p.code}`);
}

describe('form pages', () => {
  describe('definition checks', () => {
    it('accepts the three-page fixture and the built-in template (four pages, every question on one)', () => {
      expect(formPages(paged()).map((p) => p.id)).to.deep.equal(['start', 'kids', 'more']);
      const template = templateDefinition();
      expect(template.pages).to.have.length(4);
      expect(template.pages!.flatMap((p) => p.questions).sort()).to.deep.equal(template.questions.map((q) => q.id).sort());
    });

    it('a page naming an unknown question, a question on two pages, a question on none, an empty page and a repeated page id are each reported where they are', () => {
      const problems = problemsOf([
        { id: 'start', questions: ['interests', 'priorities', 'children', 'nope'] },
        { id: 'start', questions: ['grades', 'interests'] },
        { id: 'more', questions: ['rating', 'name', 'ideas'] },
      ]);
      expect(problems).to.have.members(['pages[0].questions[3] pageUnknownQuestion', 'pages[1].id pageIdTwice', 'pages[1].questions[1] pageQuestionTwice', 'questions[5].id questionNotOnPage']);
      expect(problemsOf([{ id: 'a', questions: [] }])).to.include('pages[0].questions listEmpty');
      expect(problemsOf([])).to.include('pages listEmpty');
    });

    it('a condition on a question from a later page is refused (conditionLaterPage); a page title needs the source language', () => {
      const problems = problemsOf([
        { id: 'kids', title: { es: 'Hijos' }, questions: ['grades'] },
        { id: 'start', questions: ['interests', 'priorities', 'children'] },
        { id: 'more', questions: ['rating', 'name', 'ideas', 'household'] },
      ]);
      expect(problems).to.have.members(['questions[7].showIf.question conditionLaterPage', 'pages[0].title.en defaultTextMissing']);
    });

    it('a ranking of an earlier answer (rankFrom) on a page before that answer is refused (rankFromLaterPage); on the same page or a later one it is accepted', () => {
      const base = buildDefinition(pagedDefinition());
      // The ranking offers the topics of "interests" (all but its exclusive "none of these").
      const topics = (base.questions.find((q) => q.id === 'interests') as { options: { exclusive?: boolean }[] }).options.filter((o) => !o.exclusive);
      const questions = base.questions.map((q) => (q.id === 'priorities' ? { ...q, rankFrom: 'interests', options: topics } : q));
      const check = (pages: unknown): string[] => {
        const result = validate({ ...base, questions, pages });
        return result.ok ? [] : result.problems.map((p) => `${p.path} ${p.code}`);
      };
      expect(check(base.pages)).to.deep.equal([]);
      expect(check([{ id: 'first', questions: ['interests'] }, { id: 'then', questions: ['priorities', 'children', 'grades', 'rating', 'name', 'ideas', 'household'] }])).to.deep.equal([]);
      expect(check([{ id: 'first', questions: ['priorities', 'children'] }, { id: 'then', questions: ['interests', 'grades', 'rating', 'name', 'ideas', 'household'] }])).to.deep.equal(['questions[1].rankFrom rankFromLaterPage']);
    });

    it('every page problem code has a message in every staff language', () => {
      for (const lang of ['en', 'es', 'zh-Hans', 'vi', 'ht', 'ar'] as const) {
        const messages = (readLocale(lang, 'builder') as { definition: Record<string, string> }).definition;
        for (const code of ['pageIdTwice', 'pageUnknownQuestion', 'pageQuestionTwice', 'questionNotOnPage', 'conditionLaterPage', 'rankFromLaterPage']) expect(messages[code], `${lang} ${code}`).to.be.a('string').and.not.equal('');
      }
    });

    it('page titles are translation keys (pages.<id>.title); the template has them in Spanish and Arabic', () => {
      expect(sourceKeys(paged())).to.include.members(['pages.start.title', 'pages.kids.title']);
      expect(sourceKeys(paged())).to.not.include('pages.more.title');
      const template = templateDefinition();
      expect(extractStrings(template, 'es')['pages.programs.title']).to.equal('Programas que le interesan');
      expect(extractStrings(template, 'ar')['pages.about-you.title']).to.be.a('string');
    });

    it('the builder adds a new question to the last page and takes a removed one off its page (an emptied page goes)', () => {
      const { draft, id } = addQuestion(paged(), { type: 'shortText', label: 'Zip code' }, []);
      expect(draft.pages!.at(-1)!.questions.at(-1)).to.equal(id);
      expect(validate(draft).ok).to.equal(true);
      const removed = removeQuestion(paged(), 'grades');
      expect(removed.pages!.map((p) => p.id)).to.deep.equal(['start', 'more']);
      expect(validate(removed).ok).to.equal(true);
    });
  });

  describe('page logic', () => {
    const def = paged();
    const pages = formPages(def);

    it('a definition without pages is one page of every question, in order', () => {
      const result = validate(buildDefinition());
      if (!result.ok) throw new Error('fixture invalid');
      const single = formPages(result.definition);
      expect(single).to.have.length(1);
      expect(single[0]!.questions.map((q) => q.id)).to.deep.equal(buildDefinition().questions.map((q) => q.id));
    });

    it('a page whose every question is hidden by an earlier answer is skipped (next, back and the count)', () => {
      expect(shownPages(pages, {})).to.deep.equal([0, 2]);
      expect(shownPages(pages, { children: 'yes' })).to.deep.equal([0, 1, 2]);
      expect(stepFrom(pages, { children: 'no' }, 0, 'next')).to.equal(2);
      expect(stepFrom(pages, { children: 'yes' }, 0, 'next')).to.equal(1);
      expect(stepFrom(pages, { children: 'no' }, 2, 'back')).to.equal(0);
      expect(stepFrom(pages, { children: 'yes' }, 2, 'back')).to.equal(1);
      expect(stepFrom(pages, {}, 2, 'next')).to.equal(null);
      expect(stepFrom(pages, {}, 0, 'back')).to.equal(0);
    });

    it('progress counts the pages shown: "2 of 2" without children, "2 of 3" with, and the last page is known', () => {
      expect(pageProgress(pages, { children: 'no' }, 2)).to.deep.equal({ number: 2, total: 2, last: true });
      expect(pageProgress(pages, { children: 'yes' }, 1)).to.deep.equal({ number: 2, total: 3, last: false });
      expect(pageProgress(pages, {}, 0)).to.deep.equal({ number: 1, total: 2, last: false });
    });

    it('problems are kept to the page left; a whole-form problem list shows on the page of its first question, else on the last page', () => {
      const problems = [{ field: 'household', code: 'outOfRange' }, { field: 'interests', code: 'required' }];
      expect(problemsOnPage(pages[0]!, problems)).to.deep.equal([{ field: 'interests', code: 'required' }]);
      expect(problemsOnPage(pages[1]!, problems)).to.deep.equal([]);
      expect(pageOfFirstProblem(pages, {}, problems)).to.equal(0);
      expect(pageOfFirstProblem(pages, {}, [{ field: 'contact', code: 'contactEmail' }])).to.equal(2);
    });

    it('reads a posted page number and step strictly', () => {
      expect(readPageIndex('2', 3)).to.equal(2);
      expect(readPageIndex('3', 3)).to.equal(0);
      expect(readPageIndex(['1'], 3)).to.equal(0);
      expect(readPageIndex('-1', 3)).to.equal(0);
      expect(readStep('next')).to.equal('next');
      expect(readStep('back')).to.equal('back');
      expect(readStep('submit')).to.equal(null);
      expect(readStep(['next'])).to.equal(null);
    });
  });
});
