import { expect } from 'chai';
import { priorityShare } from '../../../analytics/priority.js';
import { fieldName, parseAnswers, type ParsedAnswers } from '../../../surveys/answers.js';
import { getCatalog } from '../../../surveys/catalog.service.js';
import type { SurveyDefinition, SurveyDefinitionInput } from '../../../surveys/definition.schema.js';
import { validateDefinition } from '../../../surveys/definition.service.js';
import { TALLY, tallyIncrements, type TallyMap } from '../../../surveys/tally.js';
import { loadTemplate } from '../../../surveys/templates/templates.js';

const q = fieldName.answer;
const rank = fieldName.rank;
type Input = SurveyDefinitionInput['questions'][number];

const topics = [
  { id: 'job-skills', label: { en: 'Job search and career skills, with a long label that wraps' }, topic: 'job-skills' },
  { id: 'coding-tech', label: { en: 'Coding' }, topic: 'coding-tech' },
  { id: 'health-wellness', label: { en: 'Health' }, topic: 'health-wellness' },
  { id: 'digital-literacy', label: { en: 'Digital skills' }, topic: 'digital-literacy' },
];

function questions(overrides: { interests?: Partial<Input>; priorities?: Record<string, unknown>; order?: 'rankingFirst' } = {}): Input[] {
  const interests = { id: 'interests', type: 'multi', required: true, other: true, label: { en: 'Interests?' }, options: [...topics, { id: 'none', label: { en: 'None of these' }, exclusive: true }], ...overrides.interests } as Input;
  const priorities = { id: 'priorities', type: 'ranking', top: 3, required: true, rankFrom: 'interests', label: { en: 'Rank them' }, options: topics, ...overrides.priorities } as Input;
  return overrides.order === 'rankingFirst' ? [priorities, interests] : [interests, priorities];
}

function check(qs: Input[]): ReturnType<typeof validateDefinition> {
  return validateDefinition({ slug: 'rank-from', defaultLanguage: 'en', languages: ['en'], title: { en: 'Rank from' }, questions: qs }, getCatalog().topicIds);
}

function definition(qs: Input[] = questions()): SurveyDefinition {
  const result = check(qs);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.definition;
}

function problems(qs: Input[]): Array<{ path: string; code: string }> {
  const result = check(qs);
  return result.ok ? [] : result.problems.map(({ path, code }) => ({ path, code }));
}

function codes(r: ParsedAnswers): Array<{ field: string; code: string }> {
  return r.problems.map(({ field, code }) => ({ field, code }));
}

describe('rankFrom: a ranking of what was chosen in an earlier question', () => {
  describe('the definition', () => {
    it('sends a ranking with rankFrom naming an earlier several-choice question with the same options and gets it accepted', () => {
      expect(problems(questions())).to.deep.equal([]);
    });

    it('loads the built-in template and finds priorities ranking from interests, which has a "none of these" answer', () => {
      const def = loadTemplate('community-needs', getCatalog().topicIds);
      const priorities = def.questions.find((x) => x.id === 'priorities');
      const interests = def.questions.find((x) => x.id === 'interests');
      expect(priorities && priorities.type === 'ranking' && priorities.rankFrom).to.equal('interests');
      expect(interests && interests.type === 'multi' && interests.options.filter((o) => o.exclusive).map((o) => o.id)).to.deep.equal(['none']);
      expect(interests?.type === 'multi' && interests.options.find((o) => o.id === 'none')?.label.es).to.equal('Ninguno de estos');
    });

    it('sends rankFrom naming no question and gets rankFromUnknownQuestion at questions[1].rankFrom', () => {
      expect(problems(questions({ priorities: { rankFrom: 'hobbies' } }))).to.deep.equal([{ path: 'questions[1].rankFrom', code: 'rankFromUnknownQuestion' }]);
    });

    it('sends rankFrom naming a later question and gets rankFromLater', () => {
      expect(problems(questions({ order: 'rankingFirst' }))).to.deep.equal([{ path: 'questions[0].rankFrom', code: 'rankFromLater' }]);
    });

    it('sends rankFrom naming itself and gets rankFromLater (it is not earlier)', () => {
      expect(problems(questions({ priorities: { rankFrom: 'priorities' } }))).to.deep.equal([{ path: 'questions[1].rankFrom', code: 'rankFromLater' }]);
    });

    it('sends rankFrom naming a one-choice question and gets rankFromNotMulti', () => {
      expect(problems(questions({ interests: { type: 'single', options: topics } as Partial<Input> }))).to.deep.equal([{ path: 'questions[1].rankFrom', code: 'rankFromNotMulti' }]);
    });

    it('sends a ranking missing one of the source options and gets rankFromOptionsDiffer naming that option', () => {
      const result = check(questions({ priorities: { options: topics.slice(0, 3) } }));
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.problems).to.deep.equal([{ path: 'questions[1].rankFrom', code: 'rankFromOptionsDiffer', params: { question: 'interests', option: 'digital-literacy' } }]);
    });

    it('sends a source with an extra answer without a topic that the ranking leaves out and gets it accepted', () => {
      expect(problems(questions({ interests: { options: [...topics, { id: 'cooking', label: { en: 'Cooking' } }] } }))).to.deep.equal([]);
    });

    it('sends a ranking option the source does not have and gets rankFromOptionsDiffer naming it', () => {
      expect(problems(questions({ priorities: { options: [...topics, { id: 'arts-crafts', label: { en: 'Arts' }, topic: 'arts-crafts' }] } }))).to.deep.equal([{ path: 'questions[1].rankFrom', code: 'rankFromOptionsDiffer' }]);
    });

    it('sends a ranking option with another topic than the source option of the same id and gets rankFromOptionsDiffer', () => {
      const changed = topics.map((o) => (o.id === 'coding-tech' ? { ...o, topic: 'digital-literacy' } : o));
      expect(problems(questions({ priorities: { options: changed } }))).to.deep.equal([{ path: 'questions[1].rankFrom', code: 'rankFromOptionsDiffer' }]);
    });

    it('sends a ranking with an exclusive option and gets rankFromExclusive at that option', () => {
      const withNone = [...topics, { id: 'none', label: { en: 'None' }, exclusive: true }];
      expect(problems(questions({ interests: { options: withNone }, priorities: { options: withNone } }))).to.deep.equal([{ path: 'questions[1].options[4].exclusive', code: 'rankFromExclusive' }]);
    });
  });

  describe('parsing a submission', () => {
    const def = definition();

    it('chooses four and ranks three of them and gets the three in order', () => {
      const r = parseAnswers(def, { [q('interests')]: ['job-skills', 'coding-tech', 'health-wellness', 'digital-literacy'], [rank('priorities', 1)]: 'coding-tech', [rank('priorities', 2)]: 'job-skills', [rank('priorities', 3)]: 'health-wellness' });
      expect(r.problems).to.deep.equal([]);
      expect(r.answers.priorities).to.deep.equal(['coding-tech', 'job-skills', 'health-wellness']);
    });

    it('chooses two and ranks one it did not choose and gets rankNotChosen naming that option and the source question', () => {
      const r = parseAnswers(def, { [q('interests')]: ['job-skills', 'health-wellness'], [rank('priorities', 1)]: 'coding-tech' });
      expect(r.problems).to.deep.equal([{ field: 'priorities', code: 'rankNotChosen', params: { option: 'coding-tech', question: 'interests' } }]);
      expect(r.answers).to.not.have.property('priorities');
      expect(r.values[rank('priorities', 1)]).to.equal('coding-tech');
    });

    it('chooses two and ranks both and gets them in order', () => {
      const r = parseAnswers(def, { [q('interests')]: ['job-skills', 'health-wellness'], [rank('priorities', 1)]: 'health-wellness', [rank('priorities', 2)]: 'job-skills' });
      expect(r.problems).to.deep.equal([]);
      expect(r.answers.priorities).to.deep.equal(['health-wellness', 'job-skills']);
    });

    it('chooses two and ranks neither of a required ranking and gets required', () => {
      expect(codes(parseAnswers(def, { [q('interests')]: ['job-skills', 'health-wellness'] }))).to.deep.equal([{ field: 'priorities', code: 'required' }]);
    });

    it('chooses one and sends no ranking and gets that one as the first place, with no problem for the required ranking', () => {
      const r = parseAnswers(def, { [q('interests')]: ['coding-tech'] });
      expect(r.problems).to.deep.equal([]);
      expect(r.answers.priorities).to.deep.equal(['coding-tech']);
    });

    it('chooses one and still sends places for others (no JavaScript) and gets them dropped, not refused', () => {
      const r = parseAnswers(def, { [q('interests')]: ['coding-tech'], [rank('priorities', 1)]: 'job-skills', [rank('priorities', 2)]: 'health-wellness' });
      expect(r.problems).to.deep.equal([]);
      expect(r.answers.priorities).to.deep.equal(['coding-tech']);
    });

    it('chooses only "Other" and gets no ranking asked and none stored', () => {
      const r = parseAnswers(def, { [q('interests')]: ['other'], 'other:interests': 'Chess club' });
      expect(r.problems).to.deep.equal([]);
      expect(r.answers).to.not.have.property('priorities');
    });

    it('chooses "none of these" and gets no ranking asked and none stored, even with places sent', () => {
      const r = parseAnswers(def, { [q('interests')]: ['none'], [rank('priorities', 1)]: 'job-skills' });
      expect(r.problems).to.deep.equal([]);
      expect(r.answers.interests).to.deep.equal(['none']);
      expect(r.answers).to.not.have.property('priorities');
    });

    it('chooses "none of these" with a topic and gets exclusiveOption on interests', () => {
      expect(codes(parseAnswers(def, { [q('interests')]: ['none', 'job-skills'] }))).to.deep.equal([{ field: 'interests', code: 'exclusiveOption' }]);
    });

    it('sends an option the ranking does not have and gets invalidOption, as without rankFrom', () => {
      expect(codes(parseAnswers(def, { [q('interests')]: ['job-skills', 'coding-tech'], [rank('priorities', 1)]: 'zzz' }))).to.deep.equal([{ field: 'priorities', code: 'invalidOption' }]);
    });

    it('ranks the same chosen option twice and gets rankingDuplicate', () => {
      expect(codes(parseAnswers(def, { [q('interests')]: ['job-skills', 'coding-tech'], [rank('priorities', 1)]: 'job-skills', [rank('priorities', 2)]: 'job-skills' }))).to.deep.equal([{ field: 'priorities', code: 'rankingDuplicate' }]);
    });
  });

  describe('counting (Borda points over a subset)', () => {
    const def = definition();
    const at = new Date('2026-05-01T12:00:00Z');
    /** Four people; the points below are worked out by hand from 3 for 1st, 2 for 2nd, 1 for 3rd. */
    const bodies = [
      // A chose four and ranked three: coding 3, job 2, health 1.
      { [q('interests')]: ['job-skills', 'coding-tech', 'health-wellness', 'digital-literacy'], [rank('priorities', 1)]: 'coding-tech', [rank('priorities', 2)]: 'job-skills', [rank('priorities', 3)]: 'health-wellness' },
      // B chose two and put both in order: health 3, job 2.
      { [q('interests')]: ['job-skills', 'health-wellness'], [rank('priorities', 1)]: 'health-wellness', [rank('priorities', 2)]: 'job-skills' },
      // C chose one, was not asked, and that one is their first place: digital 3.
      { [q('interests')]: ['digital-literacy'] },
      // D chose none of these: no points, but still one of the respondents.
      { [q('interests')]: ['none'] },
    ];
    let tallies: TallyMap;

    before(() => {
      tallies = new Map();
      for (const body of bodies) {
        const parsed = parseAnswers(def, body);
        expect(parsed.problems).to.deep.equal([]);
        tallyIncrements(def, { answers: parsed.answers, lang: 'en', channel: 'web', submittedAt: at }, tallies);
      }
    });

    it('gives job 4, coding 3, health 4 and digital 3 Borda points', () => {
      expect(['job-skills', 'coding-tech', 'health-wellness', 'digital-literacy'].map((t) => tallies.get(TALLY.topicPoints(t)) ?? 0)).to.deep.equal([4, 3, 4, 3]);
    });

    it('counts interest once per person (job 2, coding 1, health 2, digital 2) over all 4 respondents, "none of these" included', () => {
      expect(tallies.get(TALLY.total)).to.equal(4);
      expect(['job-skills', 'coding-tech', 'health-wellness', 'digital-literacy'].map((t) => tallies.get(TALLY.topicInterest(t)) ?? 0)).to.deep.equal([2, 1, 2, 2]);
      expect(tallies.get(TALLY.option('interests', 'none'))).to.equal(1);
    });

    it('gives priority = points / (4 respondents × 3 places): job 4/12, digital 3/12', () => {
      expect(priorityShare(tallies.get(TALLY.topicPoints('job-skills'))!, 4, 3)).to.be.closeTo(1 / 3, 1e-12);
      expect(priorityShare(tallies.get(TALLY.topicPoints('digital-literacy'))!, 4, 3)).to.be.closeTo(0.25, 1e-12);
    });

    it('counts the ranking answered by 3 (D was not asked)', () => {
      expect(tallies.get(TALLY.answered('priorities'))).to.equal(3);
    });
  });
});
