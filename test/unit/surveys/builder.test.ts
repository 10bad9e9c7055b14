import { expect } from 'chai';
import { asciiSlug, idFromLabel } from '../../../surveys/builder-ids.js';
import { getCatalog } from '../../../surveys/catalog.service.js';
import type { SurveyDefinition } from '../../../surveys/definition.schema.js';
import { validateDefinition } from '../../../surveys/definition.service.js';
import { addQuestion, applySettings, moveQuestion, removeQuestion } from '../../../surveys/draft.js';
import { questionFromForm, readQuestionForm, valuesFromQuestion } from '../../../surveys/question-form.js';
import { parseClosingDate } from '../../../surveys/closing-date.js';
import { ValidationError } from '../../../server/errors.js';
import { buildDefinition } from '../../fixtures/builders.js';

function fixture(): SurveyDefinition {
  const result = validateDefinition(buildDefinition(), getCatalog().topicIds);
  if (!result.ok) throw new Error('fixture is invalid');
  return result.definition;
}

const LABELS = ['1', '2', '3', '4', '5'];

describe('builder ids', () => {
  it('asciiSlug("Niños y Jóvenes (0–5)") gives "ninos-y-jovenes-0-5"', () => {
    expect(asciiSlug('Niños y Jóvenes (0–5)')).to.equal('ninos-y-jovenes-0-5');
    expect(asciiSlug('Tiếng Việt đọc sách')).to.equal('tieng-viet-doc-sach');
  });

  it('idFromLabel makes unique ids, with a fallback for labels without ASCII letters', () => {
    expect(idFromLabel('Age', ['age'], 'question')).to.equal('age-2');
    expect(idFromLabel('Age', ['age', 'age-2'], 'question')).to.equal('age-3');
    expect(idFromLabel('年龄', [], 'question')).to.equal('question-1');
    expect(idFromLabel('العمر', ['option-1'], 'option')).to.equal('option-2');
    expect(idFromLabel('Other', [], 'option', ['other'])).to.equal('other-2');
  });
});

describe('draft editing', () => {
  it('addQuestion adds a question of the type with an id from the label; rating labels come from the caller', () => {
    const { draft, id } = addQuestion(fixture(), { type: 'rating', label: 'How useful?' }, LABELS);
    expect(id).to.equal('how-useful');
    const q = draft.questions.at(-1)!;
    expect(q).to.deep.include({ id: 'how-useful', type: 'rating', label: { en: 'How useful?' } });
    expect(q.type === 'rating' && q.scale.labels[5]).to.deep.equal({ en: '5' });
  });

  it('addQuestion without a label or with an unknown type throws a ValidationError naming both fields', () => {
    try {
      addQuestion(fixture(), { type: 'essay', label: ' ' }, LABELS);
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(ValidationError);
      expect((err as ValidationError).problems.map((p) => p.field)).to.deep.equal(['newType', 'newLabel']);
    }
  });

  it('moveQuestion swaps neighbours and does nothing at the ends', () => {
    const def = fixture();
    expect(moveQuestion(def, 'priorities', 'up').questions.slice(0, 2).map((q) => q.id)).to.deep.equal(['priorities', 'interests']);
    expect(moveQuestion(def, 'interests', 'up')).to.equal(def);
  });

  it('removeQuestion refuses a question others depend on', () => {
    expect(() => removeQuestion(fixture(), 'children')).to.throw(ValidationError);
    expect(removeQuestion(fixture(), 'grades').questions.map((q) => q.id)).to.not.include('grades');
  });

  it('applySettings sets the title and intro in the default language and keeps it among the languages', () => {
    const next = applySettings(fixture(), { title: 'New', intro: '', languages: ['vi', 'es'] }, ['en', 'es', 'zh-Hans', 'vi', 'ar', 'ht']);
    expect(next.title).to.deep.equal({ en: 'New', es: 'Encuesta de prueba', ar: 'استطلاع تجريبي' });
    expect(next.intro).to.equal(undefined);
    expect(next.languages).to.deep.equal(['en', 'es', 'vi']);
  });
});

describe('question form', () => {
  it('values from a question read back into the same question', () => {
    const def = fixture();
    def.questions.forEach((q, i) => {
      const v = valuesFromQuestion(q, 'en');
      const body: Record<string, unknown> = { ...v, scale1: v.scale[0], scale2: v.scale[1], scale3: v.scale[2], scale4: v.scale[3], scale5: v.scale[4], required: v.required ? '1' : '', demographic: v.demographic ? '1' : '', other: v.other ? '1' : '' };
      v.options.forEach((o) => Object.assign(body, { [`o${o.row}_id`]: o.id, [`o${o.row}_label`]: o.label, [`o${o.row}_help`]: o.help, [`o${o.row}_topic`]: o.topic, [`o${o.row}_exclusive`]: o.exclusive ? '1' : '' }));
      const { question, problems } = questionFromForm(def, i, readQuestionForm(body), getCatalog().topicIds);
      expect(problems, q.id).to.deep.equal([]);
      expect(question, q.id).to.deep.equal(q);
    });
  });

  it('keeps existing option ids when relabelled, makes ids for new rows, and keeps other-language labels', () => {
    const def = fixture();
    const body = { label: 'Interests?', o0_id: 'job-skills', o0_label: 'Work', o1_id: 'coding-tech', o1_label: 'Coding', o1_remove: '1', o2_id: 'none', o2_label: 'None of these', o2_exclusive: '1', o3_label: 'Other', o4_label: '' };
    const { question, problems } = questionFromForm(def, 0, readQuestionForm(body), getCatalog().topicIds);
    expect(problems).to.deep.equal([]);
    expect(question.type === 'multi' && question.options).to.deep.equal([
      { id: 'job-skills', label: { en: 'Work', es: 'Empleo', ar: 'العمل' } },
      { id: 'none', label: { en: 'None of these' }, exclusive: true },
      { id: 'other-2', label: { en: 'Other' } },
    ]);
  });

  it('reports each problem on its field: too few options, top above the options, min above max', () => {
    const def = fixture();
    const ranking = questionFromForm(def, 1, readQuestionForm({ label: 'Rank', o0_id: 'job-skills', o0_label: 'Jobs', o1_id: 'coding-tech', o1_remove: '1', o1_label: 'x', o2_id: 'health-wellness', o2_remove: '1', o2_label: 'y', top: '2' }), getCatalog().topicIds);
    expect(ranking.problems.map((p) => [p.field, p.code])).to.deep.equal([['options', 'optionsTooFew']]);
    const top = questionFromForm(def, 1, readQuestionForm({ label: 'Rank', o0_id: 'job-skills', o0_label: 'Jobs', o1_id: 'coding-tech', o1_label: 'C', o2_id: 'health-wellness', o2_label: 'H', top: '4' }), getCatalog().topicIds);
    expect(top.problems.map((p) => [p.field, p.code])).to.deep.equal([['top', 'numberRange']]);
    const range = questionFromForm(def, 5, readQuestionForm({ label: 'How many?', min: '9', max: '3' }), getCatalog().topicIds);
    expect(range.problems.map((p) => [p.field, p.code])).to.deep.equal([['max', 'minAboveMax']]);
    const topic = questionFromForm(def, 0, readQuestionForm({ label: 'I', o0_id: 'job-skills', o0_label: 'J', o0_topic: 'astrology' }), getCatalog().topicIds);
    expect(topic.problems.map((p) => p.field)).to.include('o0_topic');
  });
});

describe('closing dates', () => {
  it('parseClosingDate("2030-02-28") is the end of that day; malformed or impossible dates are invalid; empty is none', () => {
    const d = parseClosingDate('2030-02-28') as Date;
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).to.deep.equal([2030, 1, 28, 23, 59]);
    expect(parseClosingDate('2030-02-30')).to.equal('invalid');
    expect(parseClosingDate('28/02/2030')).to.equal('invalid');
    expect(parseClosingDate('')).to.equal(null);
  });
});
