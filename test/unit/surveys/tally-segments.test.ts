import { expect } from 'chai';
import { parseFilter } from '../../../surveys/filters.js';
import { counterField, counterKey } from '../../../surveys/segment-tally.service.js';
import { tallyIncrements } from '../../../surveys/tally.js';
import { answerCounts, filterSegment, mergeCounts, newCounts, responseSegments } from '../../../surveys/tally-segments.js';
import { templateDefinition } from '../../fixtures/builders.js';

const def = templateDefinition();
const answer = {
  answers: { interests: ['job-skills', 'other'], priorities: ['job-skills', 'coding-tech'], satisfaction: 4, ideas: 'More evening hours', neighborhood: 'Eastside', age: '65-plus', household: 3 },
  lang: 'es',
  channel: 'kiosk',
  location: 'St. Mary’s $hall.2',
  submittedAt: new Date('2026-03-02T10:00:00Z'),
};

describe('segment counters (pure)', () => {
  it('a response belongs to its language, channel and location and to each value of its option, rating and demographic number answers, never to free text', () => {
    expect(responseSegments(def, answer).sort()).to.deep.equal(
      ['channel=kiosk', 'lang=es', 'location=St. Mary’s $hall.2', 'q.age=65-plus', 'q.household=3', 'q.interests=job-skills', 'q.interests=other', 'q.priorities=coding-tech', 'q.priorities=job-skills', 'q.satisfaction=4'].sort(),
    );
    expect(responseSegments(def, { ...answer, location: null, answers: {} }).sort()).to.deep.equal(['channel=kiosk', 'lang=es']);
  });

  it('answerCounts gives the same increments to everyone and to each of the response’s segments; merged counts add up', () => {
    const counts = answerCounts(def, answer);
    const expected = [...tallyIncrements(def, answer)].sort();
    expect([...counts.all].sort()).to.deep.equal(expected);
    expect(counts.segments.size).to.equal(10);
    for (const counters of counts.segments.values()) expect([...counters].sort()).to.deep.equal(expected);
    const merged = newCounts();
    mergeCounts(merged, counts);
    mergeCounts(merged, answerCounts(def, { ...answer, lang: 'en' }));
    expect(merged.all.get('total')).to.equal(2);
    expect(merged.segments.get('channel=kiosk')!.get('total')).to.equal(2);
    expect(merged.segments.get('lang=es')!.get('total')).to.equal(1);
    expect(merged.segments.get('lang=en')!.get('total')).to.equal(1);
  });

  it('a filter with exactly one condition names one segment; dates, two conditions, two values or a text question name none', () => {
    const segment = (query: Record<string, unknown>): string | null => filterSegment(def, parseFilter(def, query));
    expect(segment({ lang: 'vi' })).to.equal('lang=vi');
    expect(segment({ channel: 'paper' })).to.equal('channel=paper');
    expect(segment({ location: 'Main Branch' })).to.equal('location=Main Branch');
    expect(segment({ 'q.age': '18-24' })).to.equal('q.age=18-24');
    expect(segment({ 'q.satisfaction': '4' })).to.equal('q.satisfaction=4');
    expect(segment({ 'q.household': '03' })).to.equal('q.household=3'); // matched as the number 3
    expect(segment({ lang: 'vi', weighted: '1' })).to.equal('lang=vi');
    expect(segment({})).to.equal(null);
    expect(segment({ lang: 'vi', channel: 'web' })).to.equal(null);
    expect(segment({ lang: 'vi', from: '2026-01-01' })).to.equal(null);
    expect(segment({ 'q.age': ['18-24', '25-34'] })).to.equal(null);
    expect(segment({ 'q.neighborhood': 'Eastside' })).to.equal(null);
  });

  it('counter keys become field names with "%", ".", "$" and NUL escaped, and come back unchanged', () => {
    for (const key of ['loc:St. Mary’s $hall.2', 'loc:100%', 'a:q:o', 'loc:$where', 'loc:a\u0000b', 'loc:%2E literally']) {
      const field = counterField(key);
      expect(field.includes('.') || field.includes('$') || field.includes('\u0000')).to.equal(false);
      expect(counterKey(field)).to.equal(key);
    }
  });
});
