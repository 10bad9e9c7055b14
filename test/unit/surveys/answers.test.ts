import { expect } from 'chai';
import { fieldName, fingerprint, parseAnswers, type ParsedAnswers } from '../../../surveys/answers.js';
import type { SurveyDefinition, SurveyDefinitionInput } from '../../../surveys/definition.schema.js';
import { validateDefinition } from '../../../surveys/definition.service.js';
import { getCatalog } from '../../../surveys/catalog.service.js';
import { buildDefinition } from '../../fixtures/builders.js';

/** The fixture (or a variant) as the app holds it after validation, with defaults filled in. */
function definition(overrides: Partial<SurveyDefinitionInput> = {}): SurveyDefinition {
  const result = validateDefinition(buildDefinition(overrides), getCatalog().topicIds);
  if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result.problems)}`);
  return result.definition;
}

const def = definition();
const q = fieldName.answer;
const other = fieldName.other;
const rank = fieldName.rank;

/** The one required question of the fixture, answered, so other tests see only their own problems. */
const base = { [q('interests')]: 'job-skills' };

function parse(body: Record<string, unknown>, d: SurveyDefinition = def): ParsedAnswers {
  return parseAnswers(d, body);
}

function codes(result: ParsedAnswers): Array<{ field: string; code: string }> {
  return result.problems.map(({ field, code }) => ({ field, code }));
}

describe('parseAnswers', () => {
  describe('single choice', () => {
    it('sends one known option and gets that option id', () => {
      const r = parse({ ...base, [q('children')]: 'no' });
      expect(r.answers.children).to.equal('no');
      expect(r.problems).to.deep.equal([]);
    });

    it('sends an array holding one option and gets that option id', () => {
      const r = parse({ ...base, [q('children')]: ['yes'], [q('grades')]: 'high' });
      expect(r.answers.children).to.equal('yes');
      expect(r.problems).to.deep.equal([]);
    });

    it('sends an unknown option and gets invalidOption', () => {
      const r = parse({ ...base, [q('children')]: 'maybe' });
      expect(codes(r)).to.deep.equal([{ field: 'children', code: 'invalidOption' }]);
      expect(r.answers).not.to.have.property('children');
    });

    it('sends an array of two options and gets wrongType', () => {
      const r = parse({ ...base, [q('children')]: ['yes', 'no'] });
      expect(codes(r)).to.deep.equal([{ field: 'children', code: 'wrongType' }]);
    });

    it('sends nothing for an optional question and gets no answer and no problem', () => {
      const r = parse({ ...base, [q('children')]: '' });
      expect(r.answers).not.to.have.property('children');
      expect(r.problems).to.deep.equal([]);
    });

    it('sends "other" text without ticking it on a single choice with other and gets "other" with the text', () => {
      const d = definition({
        questions: [
          { id: 'where', type: 'single', other: true, label: { en: 'Where?' }, options: [{ id: 'home', label: { en: 'Home' } }, { id: 'work', label: { en: 'Work' } }] },
        ],
      });
      const r = parse({ [q('where')]: '', [other('where')]: 'Park' }, d);
      expect(r.answers.where).to.equal('other');
      expect(r.other.where).to.equal('Park');
      expect(r.problems).to.deep.equal([]);
    });
  });

  describe('multiple choice', () => {
    it('sends two known options and gets both in order', () => {
      const r = parse({ [q('interests')]: ['job-skills', 'coding-tech'] });
      expect(r.answers.interests).to.deep.equal(['job-skills', 'coding-tech']);
      expect(r.problems).to.deep.equal([]);
    });

    it('sends "other" ticked with text and gets "other" plus the cleaned text', () => {
      const r = parse({ [q('interests')]: ['job-skills', 'other'], [other('interests')]: '  Chess club ' });
      expect(r.answers.interests).to.deep.equal(['job-skills', 'other']);
      expect(r.other).to.deep.equal({ interests: 'Chess club' });
      expect(r.problems).to.deep.equal([]);
    });

    it('sends "other" ticked without text and gets otherRequired', () => {
      const r = parse({ [q('interests')]: ['other'], [other('interests')]: '   ' });
      expect(codes(r)).to.deep.equal([{ field: 'interests', code: 'otherRequired' }]);
      expect(r.answers).not.to.have.property('interests');
    });

    it('sends "other" text without ticking it and gets it counted as "other"', () => {
      const r = parse({ [q('interests')]: 'job-skills', [other('interests')]: 'Chess' });
      expect(r.answers.interests).to.deep.equal(['job-skills', 'other']);
      expect(r.other).to.deep.equal({ interests: 'Chess' });
      expect(r.problems).to.deep.equal([]);
    });

    it('sends only "other" text with no option ticked and gets "other" as the answer', () => {
      const r = parse({ [other('interests')]: 'Chess' });
      expect(r.answers.interests).to.deep.equal(['other']);
      expect(r.problems).to.deep.equal([]);
    });

    it('sends "other" text longer than 200 characters and gets tooLong', () => {
      const r = parse({ [q('interests')]: 'other', [other('interests')]: 'x'.repeat(201) });
      expect(codes(r)).to.deep.equal([{ field: 'interests', code: 'tooLong' }]);
      expect(r.problems[0]!.params).to.deep.equal({ max: 200 });
    });

    it('sends the exclusive option with another option and gets exclusiveOption', () => {
      const r = parse({ [q('interests')]: ['none', 'job-skills'] });
      expect(codes(r)).to.deep.equal([{ field: 'interests', code: 'exclusiveOption' }]);
      expect(r.problems[0]!.params).to.deep.equal({ option: 'none' });
    });

    it('sends the exclusive option with "other" text and gets exclusiveOption', () => {
      const r = parse({ [q('interests')]: 'none', [other('interests')]: 'Chess' });
      expect(codes(r)).to.deep.equal([{ field: 'interests', code: 'exclusiveOption' }]);
    });

    it('sends the exclusive option alone and gets it', () => {
      const r = parse({ [q('interests')]: 'none' });
      expect(r.answers.interests).to.deep.equal(['none']);
      expect(r.problems).to.deep.equal([]);
    });

    it('sends an unknown option and gets invalidOption', () => {
      const r = parse({ [q('interests')]: ['job-skills', 'astrology'] });
      expect(codes(r)).to.deep.equal([{ field: 'interests', code: 'invalidOption' }]);
    });

    it('sends the same option twice and gets invalidOption', () => {
      const r = parse({ [q('interests')]: ['job-skills', 'job-skills'] });
      expect(codes(r)).to.deep.equal([{ field: 'interests', code: 'invalidOption' }]);
    });

    it('sends "other" on a question without other and gets invalidOption', () => {
      const r = parse({ ...base, [q('grades')]: 'other', [q('children')]: 'yes' });
      expect(codes(r)).to.deep.equal([{ field: 'grades', code: 'invalidOption' }]);
    });

    it('sends nothing for a required question and gets required', () => {
      const r = parse({ [q('interests')]: [] });
      expect(codes(r)).to.deep.equal([{ field: 'interests', code: 'required' }]);
    });

    it('sends empty strings among the options and gets them ignored', () => {
      const r = parse({ [q('interests')]: ['', 'coding-tech', ''] });
      expect(r.answers.interests).to.deep.equal(['coding-tech']);
      expect(r.problems).to.deep.equal([]);
    });

    it('sends more options than maxChoices and gets tooMany', () => {
      const d = definition({
        questions: [
          {
            id: 'pick',
            type: 'multi',
            maxChoices: 1,
            label: { en: 'Pick' },
            options: [{ id: 'a', label: { en: 'A' } }, { id: 'b', label: { en: 'B' } }],
          },
        ],
      });
      const r = parse({ [q('pick')]: ['a', 'b'] }, d);
      expect(codes(r)).to.deep.equal([{ field: 'pick', code: 'tooMany' }]);
      expect(r.problems[0]!.params).to.deep.equal({ max: 1 });
    });
  });

  describe('ranking', () => {
    const required = definition({
      questions: [
        {
          id: 'top',
          type: 'ranking',
          top: 3,
          required: true,
          label: { en: 'Rank' },
          options: [{ id: 'a', label: { en: 'A' } }, { id: 'b', label: { en: 'B' } }, { id: 'c', label: { en: 'C' } }],
        },
      ],
    });

    it('sends places 1 and 2 and gets the options in that order', () => {
      const r = parse({ ...base, [rank('priorities', 1)]: 'health-wellness', [rank('priorities', 2)]: 'job-skills' });
      expect(r.answers.priorities).to.deep.equal(['health-wellness', 'job-skills']);
      expect(r.problems).to.deep.equal([]);
    });

    it('sends only place 2 and gets a ranking of one (empty places closed up)', () => {
      const r = parse({ ...base, [rank('priorities', 1)]: '', [rank('priorities', 2)]: 'coding-tech' });
      expect(r.answers.priorities).to.deep.equal(['coding-tech']);
      expect(r.problems).to.deep.equal([]);
    });

    it('sends places 1 and 3 of three and gets a top two', () => {
      const r = parse({ [rank('top', 1)]: 'c', [rank('top', 3)]: 'a' }, required);
      expect(r.answers.top).to.deep.equal(['c', 'a']);
      expect(r.problems).to.deep.equal([]);
    });

    it('sends the same option in two places and gets rankingDuplicate', () => {
      const r = parse({ ...base, [rank('priorities', 1)]: 'job-skills', [rank('priorities', 2)]: 'job-skills' });
      expect(codes(r)).to.deep.equal([{ field: 'priorities', code: 'rankingDuplicate' }]);
      expect(r.answers).not.to.have.property('priorities');
    });

    it('sends an unknown option and gets invalidOption', () => {
      const r = parse({ ...base, [rank('priorities', 1)]: 'astrology' });
      expect(codes(r)).to.deep.equal([{ field: 'priorities', code: 'invalidOption' }]);
    });

    it('sends nothing for a required ranking and gets required', () => {
      const r = parse({ [rank('top', 1)]: '', [rank('top', 2)]: '' }, required);
      expect(codes(r)).to.deep.equal([{ field: 'top', code: 'required' }]);
    });

    it('sends nothing for an optional ranking and gets no answer and no problem', () => {
      const r = parse({ ...base });
      expect(r.answers).not.to.have.property('priorities');
      expect(r.problems).to.deep.equal([]);
    });

    it('sends an object in a place and gets wrongType', () => {
      const r = parse({ ...base, [rank('priorities', 1)]: { $gt: '' } });
      expect(codes(r)).to.deep.equal([{ field: 'priorities', code: 'wrongType' }]);
    });
  });

  describe('rating', () => {
    for (const value of ['1', '2', '3', '4', '5']) {
      it(`sends "${value}" and gets the number ${value}`, () => {
        const r = parse({ ...base, [q('rating')]: value });
        expect(r.answers.rating).to.equal(Number(value));
        expect(r.problems).to.deep.equal([]);
      });
    }

    it('sends the number 4 (not a string) and gets 4', () => {
      const r = parse({ ...base, [q('rating')]: 4 });
      expect(r.answers.rating).to.equal(4);
    });

    for (const value of ['6', '0', 'abc', '3.0', '-1']) {
      it(`sends "${value}" and gets invalidOption`, () => {
        const r = parse({ ...base, [q('rating')]: value });
        expect(codes(r)).to.deep.equal([{ field: 'rating', code: 'invalidOption' }]);
        expect(r.answers).not.to.have.property('rating');
      });
    }
  });

  describe('number', () => {
    it('sends "4" and gets the number 4', () => {
      const r = parse({ ...base, [q('household')]: '4' });
      expect(r.answers.household).to.equal(4);
      expect(r.problems).to.deep.equal([]);
    });

    it('sends " 7 " with spaces and gets 7', () => {
      const r = parse({ ...base, [q('household')]: ' 7 ' });
      expect(r.answers.household).to.equal(7);
    });

    for (const value of ['3.5', 'abc', '1e3', '0x10', '1 000']) {
      it(`sends "${value}" and gets notANumber`, () => {
        const r = parse({ ...base, [q('household')]: value });
        expect(codes(r)).to.deep.equal([{ field: 'household', code: 'notANumber' }]);
        expect(r.answers).not.to.have.property('household');
      });
    }

    it('sends "21" above max 20 and gets outOfRange with min and max', () => {
      const r = parse({ ...base, [q('household')]: '21' });
      expect(codes(r)).to.deep.equal([{ field: 'household', code: 'outOfRange' }]);
      expect(r.problems[0]!.params).to.deep.equal({ min: 1, max: 20 });
    });

    it('sends "0" below min 1 and gets outOfRange', () => {
      const r = parse({ ...base, [q('household')]: '0' });
      expect(codes(r)).to.deep.equal([{ field: 'household', code: 'outOfRange' }]);
    });

    it('sends "-5" when min is -10 and gets -5', () => {
      const d = definition({ questions: [{ id: 'temp', type: 'number', min: -10, max: 10, label: { en: 'Temperature' } }] });
      const r = parse({ [q('temp')]: '-5' }, d);
      expect(r.answers.temp).to.equal(-5);
      expect(r.problems).to.deep.equal([]);
    });

    it('sends "-5" when min is 1 and gets outOfRange', () => {
      const r = parse({ ...base, [q('household')]: '-5' });
      expect(codes(r)).to.deep.equal([{ field: 'household', code: 'outOfRange' }]);
    });
  });

  describe('short and long text', () => {
    it('sends short text with spaces around it and gets it trimmed', () => {
      const r = parse({ ...base, [q('name')]: '   Ana  ' });
      expect(r.answers.name).to.equal('Ana');
      expect(r.problems).to.deep.equal([]);
    });

    it('sends 10 emoji to a maxLength 10 question and gets them accepted (code points counted)', () => {
      const r = parse({ ...base, [q('name')]: '😀'.repeat(10) });
      expect(r.answers.name).to.equal('😀'.repeat(10));
      expect(r.problems).to.deep.equal([]);
    });

    it('sends 11 characters to a maxLength 10 question and gets tooLong with the max', () => {
      const r = parse({ ...base, [q('name')]: 'abcdefghijk' });
      expect(codes(r)).to.deep.equal([{ field: 'name', code: 'tooLong' }]);
      expect(r.problems[0]!.params).to.deep.equal({ max: 10 });
    });

    it('sends short text with control characters and line breaks and gets none left', () => {
      const r = parse({ ...base, [q('name')]: 'a\u0000b\u0007c\nd' });
      const codePoints = [...String(r.answers.name)].map((c) => c.codePointAt(0)!);
      expect(codePoints.filter((n) => n < 0x20 || n === 0x7f)).to.deep.equal([]);
      expect(r.answers.name).to.equal('a b c d');
    });

    it('sends long text with control characters and gets them removed, tabs and line breaks kept', () => {
      const r = parse({ ...base, [q('ideas')]: 'a\u0000b\u001Fc\td\ne' });
      expect(r.answers.ideas).to.equal('abc\td\ne');
    });

    it('sends text with a lone surrogate and gets well-formed text', () => {
      const r = parse({ ...base, [q('name')]: 'ok\uD800', [q('ideas')]: '\uDC00fine' });
      expect(r.answers.name).to.equal('ok\uFFFD');
      expect(r.answers.ideas).to.equal('\uFFFDfine');
      expect((r.answers.name as string).isWellFormed()).to.equal(true);
    });

    it('sends long text with CRLF and CR line ends and gets LF', () => {
      const r = parse({ ...base, [q('ideas')]: 'one\r\ntwo\rthree' });
      expect(r.answers.ideas).to.equal('one\ntwo\nthree');
    });

    it('sends decomposed accents and gets NFC text', () => {
      const r = parse({ ...base, [q('name')]: 'Jose\u0301' });
      expect(r.answers.name).to.equal('Jos\u00E9');
    });

    it('sends only spaces and gets no answer and no problem for an optional question', () => {
      const r = parse({ ...base, [q('name')]: '    ' });
      expect(r.answers).not.to.have.property('name');
      expect(r.problems).to.deep.equal([]);
    });

    it('sends long text over its maxLength 50 and gets tooLong', () => {
      const r = parse({ ...base, [q('ideas')]: 'x'.repeat(51) });
      expect(codes(r)).to.deep.equal([{ field: 'ideas', code: 'tooLong' }]);
    });
  });

  describe('wrong types', () => {
    it('sends an object { $gt: "" } for a text question and gets wrongType', () => {
      const r = parse({ ...base, [q('name')]: { $gt: '' } });
      expect(codes(r)).to.deep.equal([{ field: 'name', code: 'wrongType' }]);
      expect(r.answers).not.to.have.property('name');
    });

    it('sends an object { $gt: "" } for a multiple choice and gets wrongType', () => {
      const r = parse({ [q('interests')]: { $gt: '' } });
      expect(codes(r)).to.deep.equal([{ field: 'interests', code: 'wrongType' }]);
    });

    it('sends an object for a single choice and gets wrongType', () => {
      const r = parse({ ...base, [q('children')]: { $ne: null } });
      expect(codes(r)).to.deep.equal([{ field: 'children', code: 'wrongType' }]);
    });

    it('sends nested arrays for a multiple choice and gets wrongType', () => {
      const r = parse({ [q('interests')]: [['job-skills'], 'coding-tech'] });
      expect(codes(r)).to.deep.equal([{ field: 'interests', code: 'wrongType' }]);
    });

    it('sends a nested array for a single choice and gets wrongType', () => {
      const r = parse({ ...base, [q('children')]: [['yes']] });
      expect(codes(r)).to.deep.equal([{ field: 'children', code: 'wrongType' }]);
    });

    it('sends an object as "other" text and gets wrongType', () => {
      const r = parse({ [q('interests')]: 'other', [other('interests')]: { $gt: '' } });
      expect(codes(r)).to.deep.equal([{ field: 'interests', code: 'wrongType' }]);
    });

    it('sends an object for a number and a rating and gets wrongType for each', () => {
      const r = parse({ ...base, [q('household')]: { $gt: 0 }, [q('rating')]: ['1', '2'] });
      expect(codes(r)).to.deep.equal([
        { field: 'rating', code: 'wrongType' },
        { field: 'household', code: 'wrongType' },
      ]);
    });

    it('sends a number for a text question and gets it as text', () => {
      const r = parse({ ...base, [q('name')]: 42, [q('ideas')]: 7 });
      expect(r.answers.name).to.equal('42');
      expect(r.answers.ideas).to.equal('7');
      expect(r.problems).to.deep.equal([]);
    });
  });

  describe('unknown fields', () => {
    it('sends q:nope and gets a form problem unknownQuestion', () => {
      const r = parse({ ...base, 'q:nope': 'x' });
      expect(codes(r)).to.deep.equal([{ field: 'form', code: 'unknownQuestion' }]);
    });

    it('sends other:nope and rank:nope:1 and gets one unknownQuestion', () => {
      const r = parse({ ...base, [other('nope')]: 'x', [rank('nope', 1)]: 'y' });
      expect(codes(r)).to.deep.equal([{ field: 'form', code: 'unknownQuestion' }]);
    });

    it('sends fields without a question prefix (csrf, contact) and gets no problem', () => {
      const r = parse({ ...base, _csrf: 'token', 'contact:email': 'a@example.org' });
      expect(r.problems).to.deep.equal([]);
    });
  });

  describe('conditional questions', () => {
    it('sends "no" to the trigger with grades answered and gets grades dropped', () => {
      const r = parse({ ...base, [q('children')]: 'no', [q('grades')]: 'high' });
      expect(r.answers).not.to.have.property('grades');
      expect(r.problems).to.deep.equal([]);
    });

    it('sends no trigger answer and nothing for required grades and gets no required problem', () => {
      const r = parse({ ...base });
      expect(r.answers).not.to.have.property('grades');
      expect(r.problems).to.deep.equal([]);
    });

    it('sends "no" to the trigger with an invalid grades answer and gets no problem', () => {
      const r = parse({ ...base, [q('children')]: 'no', [q('grades')]: { $gt: '' } });
      expect(r.problems).to.deep.equal([]);
    });

    it('sends "yes" to the trigger and nothing for grades and gets required', () => {
      const r = parse({ ...base, [q('children')]: 'yes' });
      expect(codes(r)).to.deep.equal([{ field: 'grades', code: 'required' }]);
    });

    it('sends "yes" to the trigger with grades answered and gets grades', () => {
      const r = parse({ ...base, [q('children')]: 'yes', [q('grades')]: ['elementary', 'high'] });
      expect(r.answers.grades).to.deep.equal(['elementary', 'high']);
      expect(r.problems).to.deep.equal([]);
    });

    it('sends an invalid trigger answer and gets grades hidden (only the trigger problem)', () => {
      const r = parse({ ...base, [q('children')]: 'maybe' });
      expect(codes(r)).to.deep.equal([{ field: 'children', code: 'invalidOption' }]);
    });
  });

  describe('values echo', () => {
    it('sends invalid and untrimmed text and gets it back exactly as typed', () => {
      const r = parse({
        [q('interests')]: ['job-skills', 'astrology'],
        [q('household')]: 'abc',
        [q('name')]: '  Ana  ',
        [q('ideas')]: 'x'.repeat(60),
        [q('rating')]: '9',
        [rank('priorities', 2)]: 'coding-tech',
      });
      expect(r.values[q('interests')]).to.deep.equal(['job-skills', 'astrology']);
      expect(r.values[q('household')]).to.equal('abc');
      expect(r.values[q('name')]).to.equal('  Ana  ');
      expect(r.values[q('ideas')]).to.equal('x'.repeat(60));
      expect(r.values[q('rating')]).to.equal('9');
      expect(r.values[rank('priorities', 1)]).to.equal('');
      expect(r.values[rank('priorities', 2)]).to.equal('coding-tech');
      expect(r.problems.map((p) => p.field)).to.have.members(['interests', 'household', 'ideas', 'rating']);
    });

    it('sends "other" text and gets the typed text back under the other field', () => {
      const r = parse({ [q('interests')]: 'other', [other('interests')]: '' });
      expect(r.values[other('interests')]).to.equal('');
      expect(codes(r)).to.deep.equal([{ field: 'interests', code: 'otherRequired' }]);
    });
  });
});

describe('fingerprint', () => {
  it('sends the same answers in a different key order and gets the same fingerprint', () => {
    const a = fingerprint({ interests: ['job-skills'], rating: 4, name: 'Ana' }, { interests: 'Chess', x: 'y' });
    const b = fingerprint({ name: 'Ana', rating: 4, interests: ['job-skills'] }, { x: 'y', interests: 'Chess' });
    expect(a).to.equal(b);
  });

  it('sends different answers and gets different fingerprints', () => {
    const a = fingerprint({ rating: 4 }, {});
    expect(fingerprint({ rating: 5 }, {})).not.to.equal(a);
    expect(fingerprint({ rating: '4' }, {})).not.to.equal(a);
    expect(fingerprint({ rating: 4 }, { rating: 'x' })).not.to.equal(a);
  });

  it('sends a ranking in a different order and gets a different fingerprint', () => {
    expect(fingerprint({ p: ['a', 'b'] }, {})).not.to.equal(fingerprint({ p: ['b', 'a'] }, {}));
  });

  it('sends the same text as an answer or as other text and gets different fingerprints', () => {
    expect(fingerprint({ a: 'x' }, {})).not.to.equal(fingerprint({}, { a: 'x' }));
  });
});
