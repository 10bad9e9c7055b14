import { expect } from 'chai';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
import { AnalyticsChangeModel, AnalyticsInstanceModel } from '../../surveys/insights/analytics-change.model.js';
import { followChanges, responsesStored } from '../../surveys/insights/analytics-changes.js';
import { copyCounts } from '../../surveys/insights/analytics-copy.js';
import { generateResponses } from '../../surveys/demo-data.js';
import { clearDatabase } from '../helpers/db.js';
import { watchCommands } from '../helpers/commands.js';

/**
 * The change log other instances follow (issue 15, part 1): a follower reads only the entries it
 * has not seen, each by `_id` equality (the one filter FerretDB answers without decoding the whole
 * collection), and its own entries are numbered without gaps.
 */
describe('the change log between app instances', function () {
  this.timeout(60000);
  const other = 'other-instance-0001';
  const entry = (seq: number): string => `${other}|${String(seq).padStart(12, '0')}`;
  const seen = watchCommands((collection) => collection.startsWith('analytics_'));
  before(clearDatabase);

  it('another instance writes three entries: they are applied once, read each by _id, and the next read asks only for the next number', async () => {
    const survey = await seedDemoSurvey({ count: 10, seed: 3, days: 5, end: new Date('2026-06-01T00:00:00Z') });
    const before = (await copyCounts()).get(survey.slug) ?? 0;
    const docs = [...generateResponses({ definition: survey.definition, version: survey.version, count: 6, seed: 9, start: new Date('2026-06-02T00:00:00Z'), days: 1 })].map((r, i) => ({ ...r, _id: `from-other-${i}`, surveySlug: survey.slug }));
    await AnalyticsInstanceModel.collection.insertOne({ _id: other as never, oldest: 0, at: new Date() });
    for (const [seq, group] of [docs.slice(0, 2), docs.slice(2, 5), docs.slice(5)].entries()) {
      await AnalyticsChangeModel.collection.insertOne({ _id: entry(seq) as never, kind: 'add', slug: survey.slug, docs: group, at: new Date(), from: other });
    }
    seen.length = 0;
    await followChanges();
    expect((await copyCounts()).get(survey.slug)).to.equal(before + 6);
    const reads = seen.filter((s) => s.collection === 'analytics_changes');
    expect(reads.map((r) => JSON.stringify(r.filter))).to.deep.equal([0, 1, 2, 3].map((seq) => JSON.stringify({ _id: entry(seq) })));
    seen.length = 0;
    await followChanges();
    expect((await copyCounts()).get(survey.slug), 'applied once').to.equal(before + 6);
    expect(seen.filter((s) => s.collection === 'analytics_changes').map((r) => JSON.stringify(r.filter))).to.deep.equal([JSON.stringify({ _id: entry(3) })]);
  });

  it('this instance numbers its own entries without gaps and says in the registry where they start', async () => {
    const survey = await seedDemoSurvey({ count: 3, seed: 4, days: 2, end: new Date('2026-06-01T00:00:00Z') });
    const own = async (): Promise<string[]> => (await AnalyticsChangeModel.collection.find({ from: { $ne: other } }, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)).sort();
    const start = await own();
    const docs = [...generateResponses({ definition: survey.definition, version: survey.version, count: 3, seed: 5, start: new Date('2026-06-03T00:00:00Z'), days: 1 })].map((r, i) => ({ ...r, _id: `own-${i}`, surveySlug: survey.slug }));
    await Promise.all(docs.map((d) => responsesStored([d])));
    const ids = (await own()).filter((id) => !start.includes(id));
    expect(ids).to.have.length(3);
    const numbers = ids.map((id) => Number(id.split('|')[1]));
    expect(numbers.map((n) => n - numbers[0]!)).to.deep.equal([0, 1, 2]);
    await followChanges();
    const me = ids[0]!.split('|')[0]!;
    const registry = await AnalyticsInstanceModel.collection.findOne({ _id: me as never });
    expect(registry?.oldest).to.be.at.most(numbers[0]!);
  });
});
