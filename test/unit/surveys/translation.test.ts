import { expect } from 'chai';
import type { SurveyDefinition } from '../../../surveys/definition.schema.js';
import { validateDefinition } from '../../../surveys/definition.service.js';
import { getCatalog } from '../../../surveys/catalog.service.js';
import { applyStrings, extractStrings, missingStrings, sourceKeys } from '../../../surveys/translation.js';
import { buildDefinition } from '../../fixtures/builders.js';

function fixture(): SurveyDefinition {
  const result = validateDefinition(buildDefinition(), getCatalog().topicIds);
  if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result.problems)}`);
  return result.definition;
}

describe('translation strings', () => {
  it('sends the fixture and gets a source key for every default-language text', () => {
    const def = fixture();
    const keys = sourceKeys(def);
    expect(keys).to.include.members([
      'title',
      'intro',
      'questions.interests.label',
      'questions.interests.options.job-skills.label',
      'questions.rating.scale.3',
      'questions.children.options.yes.label',
    ]);
    expect(keys).not.to.include('questions.interests.help');
    expect(keys).to.have.members(Object.keys(extractStrings(def, 'en')));
  });

  it('extracts es from the fixture and gets only the texts that have Spanish', () => {
    const es = extractStrings(fixture(), 'es');
    expect(es).to.deep.equal({
      title: 'Encuesta de prueba',
      'questions.interests.label': '¿Intereses?',
      'questions.interests.options.job-skills.label': 'Empleo',
      'questions.interests.options.coding-tech.label': 'Programación',
      'questions.children.options.yes.label': 'Sí',
      'questions.children.options.no.label': 'No',
    });
  });

  it('lists as missing in es every source key without Spanish text', () => {
    const def = fixture();
    const es = extractStrings(def, 'es');
    const missing = missingStrings(def, 'es');
    expect(missing).to.have.members(sourceKeys(def).filter((k) => !(k in es)));
    expect(missing).to.include('intro');
  });

  it('applies the extracted es strings to another language and extracts the same strings back', () => {
    const def = fixture();
    const es = extractStrings(def, 'es');
    const copy = applyStrings(def, 'vi', es);
    expect(extractStrings(copy, 'vi')).to.deep.equal(es);
    expect(extractStrings(copy, 'es')).to.deep.equal(es);
    expect(extractStrings(copy, 'en')).to.deep.equal(extractStrings(def, 'en'));
  });

  it('supplies every missing es key and gets no missing keys left', () => {
    const def = fixture();
    const filled = Object.fromEntries(missingStrings(def, 'es').map((k) => [k, `ES ${k}`]));
    const copy = applyStrings(def, 'es', filled);
    expect(missingStrings(copy, 'es')).to.deep.equal([]);
    expect(extractStrings(copy, 'es')).to.deep.equal({ ...extractStrings(def, 'es'), ...filled });
  });

  it('supplies only some missing keys and gets the rest still missing', () => {
    const def = fixture();
    const [first, ...rest] = missingStrings(def, 'es');
    const copy = applyStrings(def, 'es', { [first!]: 'Introducción' });
    expect(missingStrings(copy, 'es')).to.deep.equal(rest);
  });

  it('applies blank strings and unknown keys and gets them ignored', () => {
    const def = fixture();
    const copy = applyStrings(def, 'es', { intro: '   ', 'questions.nope.label': 'Nada' });
    expect(copy).to.deep.equal(def);
  });

  it('applies strings and leaves the input definition unchanged', () => {
    const def = fixture();
    const before = structuredClone(def);
    const filled = Object.fromEntries(sourceKeys(def).map((k) => [k, `VI ${k}`]));
    const copy = applyStrings(def, 'vi', filled);
    expect(def).to.deep.equal(before);
    expect(copy).not.to.equal(def);
    expect(copy.questions[0]!.label.vi).to.equal('VI questions.interests.label');
    expect(def.questions[0]!.label.vi).to.equal(undefined);
  });
});
