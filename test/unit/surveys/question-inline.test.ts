import { expect } from 'chai';
import { getCatalog } from '../../../surveys/catalog.service.js';
import type { SurveyDefinition } from '../../../surveys/definition.schema.js';
import { validateDefinition } from '../../../surveys/definition.service.js';
import { questionFromForm } from '../../../surveys/question-form.js';
import { inlineValues } from '../../../surveys/question-inline.js';
import { buildDefinition } from '../../fixtures/builders.js';

function fixture(): SurveyDefinition {
  const result = validateDefinition(buildDefinition(), getCatalog().topicIds);
  if (!result.ok) throw new Error('fixture is invalid');
  return result.definition;
}

describe('editing a question in place (inlineValues)', () => {
  it('takes the text and the answers’ text from the post and keeps required, other, exclusive, topics and every translation', () => {
    const def = fixture();
    const values = inlineValues(def.questions[0]!, 'en', { label: ' What interests you? ', help: 'Tick any', o0_id: 'job-skills', o0_label: 'Jobs and careers', o2_id: 'none', o2_label: 'Nothing' });
    expect(values).to.deep.include({ label: 'What interests you?', help: 'Tick any', required: true, other: true });
    const { question, problems } = questionFromForm(def, 0, values, getCatalog().topicIds);
    expect(problems).to.deep.equal([]);
    expect(question).to.deep.include({ required: true, other: true, label: { en: 'What interests you?', es: '¿Intereses?', ar: 'الاهتمامات؟' } });
    const options = (question as { options: { id: string; label: Record<string, string>; topic?: string; exclusive?: boolean }[] }).options;
    expect(options.map((o) => o.label.en)).to.deep.equal(['Jobs and careers', 'Coding', 'Nothing']);
    expect(options[0]).to.deep.include({ topic: 'job-skills' });
    expect(options[0]!.label.es).to.equal('Empleo');
    expect(options[2]).to.deep.include({ exclusive: true });
  });

  it('an answer not in the post keeps its text; an unknown answer id is ignored (no answer is added or removed)', () => {
    const def = fixture();
    const values = inlineValues(def.questions[0]!, 'en', { label: 'Interests?', o5_id: 'made-up', o5_label: 'Sneaked in' });
    expect(values.options.map((o) => [o.id, o.label])).to.deep.equal([['job-skills', 'Jobs'], ['coding-tech', 'Coding'], ['none', 'None of these']]);
  });

  it('an emptied answer text is a problem on that answer’s field (o1_label)', () => {
    const def = fixture();
    const { problems } = questionFromForm(def, 0, inlineValues(def.questions[0]!, 'en', { label: 'Interests?', o1_id: 'coding-tech', o1_label: '' }), getCatalog().topicIds);
    expect(problems).to.deep.equal([{ field: 'o1_label', code: 'labelRequired' }]);
  });
});
