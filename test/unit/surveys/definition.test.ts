import { expect } from 'chai';
import { findConditionCycle, validateDefinition, type DefinitionProblem, type DefinitionResult } from '../../../surveys/definition.service.js';
import { getCatalog } from '../../../surveys/catalog.service.js';
import { DEFINITION_PROBLEM_CODES } from '../../../surveys/definition-problems.js';
import { readLocale } from '../../../server/i18n.js';
import { buildDefinition, templateDefinition } from '../../fixtures/builders.js';

type Path = Array<string | number>;
type Node = Record<string | number, unknown>;

/**
 * The fixture with some values replaced (or removed, for `undefined`), each named by the same
 * path the validator reports, so a test reads as "change this, get a problem here".
 */
function fixtureWith(...changes: Array<[Path, unknown]>): unknown {
  const copy = structuredClone(buildDefinition()) as unknown as Node;
  for (const [path, value] of changes) {
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Node;
    const last = path[path.length - 1]!;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return copy;
}

function validate(input: unknown): DefinitionResult {
  return validateDefinition(input, getCatalog().topicIds);
}

function problemsOf(result: DefinitionResult): DefinitionProblem[] {
  if (result.ok) throw new Error('expected the definition to be refused');
  return result.problems;
}

function paths(input: unknown): string[] {
  return problemsOf(validate(input)).map((p) => p.path);
}

// Question indexes in the fixture.
const INTERESTS = 0;
const PRIORITIES = 1;
const HOUSEHOLD = 5;
const CHILDREN = 6;
const GRADES = 7;

describe('validateDefinition', () => {
  it('sends the fixture and gets it accepted with defaults filled in', () => {
    const r = validate(buildDefinition());
    expect(r.ok, JSON.stringify(r)).to.equal(true);
    if (!r.ok) return;
    const children = r.definition.questions.find((q) => q.id === 'children');
    expect(children?.required).to.equal(false);
  });

  it('sends the built-in community-needs template and gets it accepted', () => {
    const r = validate(templateDefinition());
    expect(r.ok, JSON.stringify(r)).to.equal(true);
  });

  it('sends a slug with spaces and capitals and gets a problem at slug', () => {
    expect(paths(fixtureWith([['slug'], 'Bad Slug']))).to.deep.equal(['slug']);
  });

  it('sends a slug with a double dash and gets a problem at slug', () => {
    expect(paths(fixtureWith([['slug'], 'bad--slug']))).to.deep.equal(['slug']);
  });

  it('sends an unknown question type and gets a problem at questions[2].type', () => {
    expect(paths(fixtureWith([['questions', 2, 'type'], 'matrix']))).to.deep.equal(['questions[2].type']);
  });

  it('sends an unknown key on an option and gets a problem at that option', () => {
    expect(paths(fixtureWith([['questions', INTERESTS, 'options', 1, 'colour'], 'red']))).to.deep.equal(['questions[0].options[1]']);
  });

  it('sends an unknown key on a question and gets a problem at that question', () => {
    expect(paths(fixtureWith([['questions', HOUSEHOLD, 'step'], 2]))).to.deep.equal(['questions[5]']);
  });

  it('sends an unknown top-level key and gets a problem at (root)', () => {
    expect(paths(fixtureWith([['author'], 'me']))).to.deep.equal(['(root)']);
  });

  it('sends a question id with a dot and gets a problem at questions[0].id', () => {
    expect(paths(fixtureWith([['questions', INTERESTS, 'id'], 'a.b']))).to.deep.equal(['questions[0].id']);
  });

  it('sends two questions with the same id and gets a problem at the second one', () => {
    expect(paths(fixtureWith([['questions', PRIORITIES, 'id'], 'interests']))).to.deep.equal(['questions[1].id']);
  });

  it('sends two options with the same id and gets a problem at the second option id', () => {
    expect(paths(fixtureWith([['questions', INTERESTS, 'options', 1, 'id'], 'job-skills']))).to.deep.equal(['questions[0].options[1].id']);
  });

  it('sends an option id "other" on a question with other and gets a problem at that option id', () => {
    expect(paths(fixtureWith([['questions', INTERESTS, 'options', 2, 'id'], 'other']))).to.deep.equal(['questions[0].options[2].id']);
  });

  it('sends an option with an unknown topic and gets a problem at its topic', () => {
    expect(paths(fixtureWith([['questions', PRIORITIES, 'options', 2, 'topic'], 'astrology']))).to.deep.equal(['questions[1].options[2].topic']);
  });

  it('sends a rating with an unknown topic and gets a problem at its topic', () => {
    expect(paths(fixtureWith([['questions', 2, 'topic'], 'astrology']))).to.deep.equal(['questions[2].topic']);
  });

  it('sends a ranking top 4 of 3 options and gets a problem at questions[1].top', () => {
    expect(paths(fixtureWith([['questions', PRIORITIES, 'top'], 4]))).to.deep.equal(['questions[1].top']);
  });

  it('sends maxChoices above the number of options and gets a problem at maxChoices', () => {
    expect(paths(fixtureWith([['questions', INTERESTS, 'maxChoices'], 4]))).to.deep.equal(['questions[0].maxChoices']);
  });

  it('sends a number question with min 30 above max 20 and gets a problem at its min', () => {
    expect(paths(fixtureWith([['questions', HOUSEHOLD, 'min'], 30]))).to.deep.equal(['questions[5].min']);
  });

  it('sends a label with no default-language text and gets a problem at label.en', () => {
    expect(paths(fixtureWith([['questions', INTERESTS, 'label'], { es: '¿Intereses?' }]))).to.deep.equal(['questions[0].label.en']);
  });

  it('sends an option label whose default-language text is blank and gets a problem at its label.en', () => {
    expect(paths(fixtureWith([['questions', CHILDREN, 'options', 0, 'label', 'en'], '   ']))).to.deep.equal(['questions[6].options[0].label.en']);
  });

  it('sends a rating scale label without default-language text and gets a problem at scale.labels.3.en', () => {
    expect(paths(fixtureWith([['questions', 2, 'scale', 'labels', 3], { es: 'Bien' }]))).to.deep.equal(['questions[2].scale.labels.3.en']);
  });

  it('sends a title without default-language text and gets a problem at title.en', () => {
    expect(paths(fixtureWith([['title'], { es: 'Encuesta' }]))).to.deep.equal(['title.en']);
  });

  it('sends languages without the default language and gets a problem at languages', () => {
    expect(paths(fixtureWith([['languages'], ['es', 'ar']]))).to.deep.equal(['languages']);
  });

  it('sends a language that is not shipped and gets a problem at languages[1]', () => {
    expect(paths(fixtureWith([['languages'], ['en', 'fr']]))).to.deep.equal(['languages[1]']);
  });

  describe('conditions (showIf)', () => {
    it('sends showIf on an unknown question and gets a problem at showIf.question', () => {
      const input = fixtureWith([['questions', GRADES, 'showIf'], { question: 'nope', anyOf: ['yes'] }]);
      expect(paths(input)).to.deep.equal(['questions[7].showIf.question']);
    });

    it('sends showIf on the question itself and gets it refused', () => {
      const input = fixtureWith([['questions', GRADES, 'showIf'], { question: 'grades', anyOf: ['high'] }]);
      expect(validate(input).ok).to.equal(false);
    });

    it('sends showIf on the question itself and gets a problem at showIf.question', () => {
      const input = fixtureWith([['questions', GRADES, 'showIf'], { question: 'grades', anyOf: ['high'] }]);
      expect(paths(input)).to.deep.equal(['questions[7].showIf.question']);
    });

    it('sends showIf on a later question and gets a problem at showIf.question', () => {
      const input = fixtureWith([['questions', INTERESTS, 'showIf'], { question: 'children', anyOf: ['yes'] }]);
      expect(paths(input)).to.deep.equal(['questions[0].showIf.question']);
    });

    it('sends showIf on a text question and gets a problem at showIf.question', () => {
      const input = fixtureWith([['questions', GRADES, 'showIf'], { question: 'name', anyOf: ['yes'] }]);
      expect(paths(input)).to.deep.equal(['questions[7].showIf.question']);
    });

    it('sends showIf on a ranking question and gets a problem at showIf.question', () => {
      const input = fixtureWith([['questions', GRADES, 'showIf'], { question: 'priorities', anyOf: ['job-skills'] }]);
      expect(paths(input)).to.deep.equal(['questions[7].showIf.question']);
    });

    it('sends anyOf with an unknown option and gets a problem at that anyOf entry', () => {
      const input = fixtureWith([['questions', GRADES, 'showIf'], { question: 'children', anyOf: ['yes', 'maybe'] }]);
      expect(paths(input)).to.deep.equal(['questions[7].showIf.anyOf[1]']);
    });

    it('sends anyOf ["other"] on a question with other and gets it accepted', () => {
      const input = fixtureWith([['questions', GRADES, 'showIf'], { question: 'interests', anyOf: ['other'] }]);
      expect(validate(input).ok).to.equal(true);
    });

    it('sends an empty anyOf and gets a problem at showIf.anyOf', () => {
      const input = fixtureWith([['questions', GRADES, 'showIf'], { question: 'children', anyOf: [] }]);
      expect(paths(input)).to.deep.equal(['questions[7].showIf.anyOf']);
    });

    it('sends two questions whose conditions refer to each other and gets a cycle problem', () => {
      const input = fixtureWith([['questions', CHILDREN, 'showIf'], { question: 'grades', anyOf: ['high'] }]);
      const problems = problemsOf(validate(input));
      expect(problems).to.have.length(1);
      expect(problems[0]!.path).to.equal('questions[6].showIf');
      expect(problems[0]!.code).to.equal('conditionCycle');
    });
  });

  it('sends several problems after the schema passes and gets all of them listed', () => {
    const input = fixtureWith(
      [['questions', INTERESTS, 'options', 1, 'id'], 'job-skills'],
      [['questions', PRIORITIES, 'options', 2, 'topic'], 'astrology'],
      [['questions', HOUSEHOLD, 'min'], 30],
      [['questions', GRADES, 'showIf', 'anyOf'], ['maybe']],
    );
    expect(paths(input)).to.have.members([
      'questions[0].options[1].id',
      'questions[1].options[2].topic',
      'questions[5].min',
      'questions[7].showIf.anyOf[0]',
    ]);
  });

  it('sends several shape problems and gets all of them listed', () => {
    const input = fixtureWith([['slug'], 'Bad Slug'], [['questions', 2, 'type'], 'matrix'], [['questions', HOUSEHOLD, 'step'], 2], [['defaultLanguage'], undefined]);
    expect(paths(input)).to.have.members(['slug', 'defaultLanguage', 'questions[2].type', 'questions[5]']);
  });

  it('sends something that is not an object and gets a problem at (root)', () => {
    expect(paths('not a survey')).to.deep.equal(['(root)']);
  });
});

describe('definition problem codes', () => {
  const codes = (input: unknown): string[] => problemsOf(validate(input)).map((p) => `${p.path} ${p.code}${p.params ? ` ${JSON.stringify(p.params)}` : ''}`);

  it('sends shape problems and gets a code (with params) for each, never a message text', () => {
    const input = fixtureWith(
      [['slug'], 'Bad Slug'],
      [['defaultLanguage'], undefined],
      [['languages'], ['en', 'fr']],
      [['title'], {}],
      [['questions', INTERESTS, 'options', 1, 'id'], ''],
      [['questions', INTERESTS, 'required'], 'yes'],
      [['questions', PRIORITIES, 'top'], 1.5],
      [['questions', 2, 'scale', 'max'], 7],
      [['questions', 3, 'maxLength'], 900],
      [['questions', HOUSEHOLD, 'step'], 2],
      [['questions', CHILDREN, 'options'], [{ id: 'yes', label: { en: 'Yes' } }]],
      [['questions', GRADES, 'label'], 'Grades'],
    );
    expect(codes(input)).to.have.members([
      'slug slugFormat',
      'defaultLanguage required',
      'languages[1] unknownLanguage {"value":"fr","allowed":"en, es, zh-Hans, vi, ar, ht"}',
      'title textNoLanguage',
      'questions[0].options[1].id textEmpty',
      'questions[0].required expectedBoolean',
      'questions[1].top expectedWholeNumber',
      'questions[2].scale.max mustEqual {"value":"5"}',
      'questions[3].maxLength numberTooLarge {"max":500}',
      'questions[5] unknownKeys {"keys":"step"}',
      'questions[6].options listTooShort {"min":2}',
      'questions[7].label expectedObject',
    ]);
  });

  it('sends an unknown question type and gets unknownQuestionType listing the types', () => {
    expect(codes(fixtureWith([['questions', 2, 'type'], 'matrix']))).to.deep.equal(['questions[2].type unknownQuestionType {"allowed":"single, multi, rating, ranking, shortText, longText, number"}']);
  });

  it('sends sense problems and gets their codes with the ids involved', () => {
    const input = fixtureWith(
      [['languages'], ['en', 'es', 'en']],
      [['questions', PRIORITIES, 'id'], 'interests'],
      [['questions', PRIORITIES, 'top'], 4],
      [['questions', INTERESTS, 'options', 2, 'topic'], 'astrology'],
      [['questions', GRADES, 'showIf'], { question: 'children', anyOf: ['maybe'] }],
    );
    expect(codes(input)).to.have.members([
      'languages languageTwice',
      'questions[1].id questionIdTwice {"id":"interests"}',
      'questions[0].options[2].topic unknownTopic {"topic":"astrology"}',
      'questions[1].top rankMoreThanOptions {"top":4,"options":3}',
      'questions[7].showIf.anyOf[0] conditionUnknownOption {"question":"children","option":"maybe"}',
    ]);
  });

  it('has an English message for every code and no message without a code', () => {
    const english = readLocale('en', 'builder') as { definition: Record<string, string> };
    expect(Object.keys(english.definition).sort()).to.deep.equal([...DEFINITION_PROBLEM_CODES].sort());
  });
});

describe('findConditionCycle', () => {
  it('sends the fixture questions and gets null', () => {
    const r = validate(buildDefinition());
    if (!r.ok) throw new Error('fixture is invalid');
    expect(findConditionCycle(r.definition.questions)).to.equal(null);
  });

  it('sends two questions that refer to each other and gets the cycle closed on its start', () => {
    const r = validate(buildDefinition());
    if (!r.ok) throw new Error('fixture is invalid');
    const questions = r.definition.questions.map((q) => (q.id === 'children' ? { ...q, showIf: { question: 'grades', anyOf: ['high'] } } : q));
    expect(findConditionCycle(questions)).to.deep.equal(['children', 'grades', 'children']);
  });
});
