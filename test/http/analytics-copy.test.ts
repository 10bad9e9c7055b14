import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { hasOptions, type SurveyDefinition } from '../../surveys/definition.schema.js';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
import type { ResponseFilter } from '../../surveys/filters.js';
import { checkCopy } from '../../surveys/insights/analytics-changes.js';
import { closeAnalyticsCopy, configureAnalyticsCopy, copyCells, copyCounts, copyStore, copyTexts, indexCopy } from '../../surveys/insights/analytics-copy.js';
import { tallyFor } from '../../surveys/insights.service.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { newSubmissionId, submitResponse } from '../../surveys/response.service.js';
import { publishSurvey, findSurvey, type SurveySnapshot } from '../../surveys/survey.service.js';
import { tallyIncrements, type TallySource } from '../../surveys/tally.js';
import { clearDatabase } from '../helpers/db.js';
import { NO_FILTER, recount, sortedTallies } from '../helpers/recount.js';

const sorted = sortedTallies;
const none = NO_FILTER;

/** Every filter the dashboard offers, built from the data: each answer of each question with options, each channel, language and location, dates, two answers of one question, several at once. */
function filters(def: SurveyDefinition): [string, ResponseFilter][] {
  const out: [string, ResponseFilter][] = [['no filter', none]];
  for (const q of def.questions) {
    if (!hasOptions(q)) continue;
    for (const o of q.options) out.push([`${q.id}=${o.id}`, { answers: { [q.id]: [o.id] }, weighted: false }]);
    if (q.options.length > 1) out.push([`${q.id}=${q.options[0]!.id} or ${q.options[1]!.id}`, { answers: { [q.id]: [q.options[0]!.id, q.options[1]!.id] }, weighted: false }]);
  }
  for (const channel of ['web', 'kiosk', 'paper']) out.push([`channel=${channel}`, { answers: {}, channel, weighted: false }]);
  for (const lang of ['en', 'es', 'zh-Hans', 'vi', 'ar', 'ht']) out.push([`lang=${lang}`, { answers: {}, lang, weighted: false }]);
  for (const location of ['Main Branch', 'Eastside', 'nowhere']) out.push([`location=${location}`, { answers: {}, location, weighted: false }]);
  out.push(['from 2026-05-10', { answers: {}, from: '2026-05-10', weighted: false }]);
  out.push(['to 2026-05-10', { answers: {}, to: '2026-05-10', weighted: false }]);
  out.push(['a day', { answers: {}, from: '2026-05-20', to: '2026-05-20', weighted: false }]);
  out.push(['Spanish, 35-54, with children, since May 10', { answers: { age: ['35-44', '45-54'], children: ['yes'] }, lang: 'es', from: '2026-05-10', weighted: false }]);
  out.push(['household of 3 (a number)', { answers: { household: ['3'] }, weighted: false }]);
  out.push(['household written 03', { answers: { household: ['03'] }, weighted: false }]);
  return out;
}

describe('the analytical copy (DuckDB) counts what MongoDB holds', function () {
  this.timeout(120000);
  let survey: SurveySnapshot;
  before(async () => {
    await clearDatabase();
    survey = await seedDemoSurvey({ count: 600, seed: 11, days: 30, end: new Date('2026-06-01T00:00:00Z') });
    // Answers through the submit path too: kiosk locations, "other" answers, a second version.
    const v2 = await publishSurvey({ ...survey.definition, intro: { en: 'Second version' } } as never);
    for (const [i, location] of ['Main Branch', 'Eastside', 'Eastside'].entries()) {
      await submitResponse({ survey: v2, body: { 'q:interests': ['job-skills', 'other'], 'other:interests': `a maker space ${i}`, 'rank:priorities:1': 'job-skills', 'q:age': '35-44', 'q:children': 'yes' }, submissionId: newSubmissionId(), contactKey: 'k', lang: 'es', channel: 'kiosk', location, now: new Date(`2026-05-2${i}T12:00:00Z`) });
    }
    survey = (await findSurvey(survey.slug))!;
  });

  it('every filter combination: the counters equal a recount of the matching responses in MongoDB', async () => {
    const wrong: string[] = [];
    for (const [name, f] of filters(survey.definition)) {
      const [got, want] = [sorted(await tallyFor(survey, f)), sorted(await recount(survey, f))];
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${name}: copy ${JSON.stringify(got).slice(0, 300)} vs MongoDB ${JSON.stringify(want).slice(0, 300)}`);
    }
    expect(wrong).to.deep.equal([]);
    expect((await tallyFor(survey, none)).get('total')).to.equal(603);
  });

  it('every filter combination again, from the in-memory counter index: equal to a recount, and DuckDB left only the filters on answers without counters', async () => {
    await indexCopy(survey.slug);
    const s = await copyStore();
    const table = s.table(survey.slug)!;
    const index = table.index!;
    expect(index.size).to.equal(603);
    const wrong: string[] = [];
    const toDuckDb: string[] = [];
    for (const [name, f] of filters(survey.definition)) {
      if (!index.tallies(f)) toDuckDb.push(name);
      const [got, want] = [sorted(await tallyFor(survey, f)), sorted(await recount(survey, f))];
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${name}: index ${JSON.stringify(got).slice(0, 300)} vs MongoDB ${JSON.stringify(want).slice(0, 300)}`);
    }
    expect(wrong).to.deep.equal([]);
    expect(toDuckDb.every((name) => /^(priorities|household)/.test(name)), toDuckDb.join(', ')).to.equal(true);
    // Raking cells: the index's equal DuckDB's grouping, cell by cell, for every filter.
    const cellsWrong: string[] = [];
    for (const questions of [['age'], ['age', 'homeLanguage'], ['children', 'visits', 'age']]) {
      for (const [name, f] of filters(survey.definition)) {
        const viaIndex = index.tallies(f) ? index.cells(questions, f) : null;
        if (!viaIndex) continue;
        table.index = undefined;
        const viaDuckDb = await copyCells(survey.slug, questions, f);
        table.index = index;
        const plain = (cells: typeof viaDuckDb): string => JSON.stringify(cells.map((c) => ({ ...c, interested: Object.entries(c.interested).sort(), bordaPoints: Object.entries(c.bordaPoints).sort() })));
        if (plain(viaIndex) !== plain(viaDuckDb)) cellsWrong.push(`${questions.join('+')} ${name}: ${plain(viaIndex).slice(0, 200)} vs ${plain(viaDuckDb).slice(0, 200)}`);
      }
    }
    expect(cellsWrong).to.deep.equal([]);
    // Appended rows join the index; a removal drops it until it is built again.
    await submitResponse({ survey, body: { 'q:interests': ['job-skills'], 'q:age': '65-plus' }, submissionId: newSubmissionId(), contactKey: 'k', lang: 'vi', channel: 'web', now: new Date('2026-05-30T12:00:00Z') });
    const seniors = { answers: { age: ['65-plus'] }, weighted: false };
    expect(sorted(await tallyFor(survey, seniors))).to.deep.equal(sorted(await recount(survey, seniors)));
    await indexCopy(survey.slug);
    expect(table.index?.size, 'the index holds the appended row').to.equal(604);
  });

  it('raking cells: one per combination of population answers, with the respondents, interest and points a recount gives', async () => {
    const cells = await copyCells(survey.slug, ['age'], none);
    const byAge = new Map<string, { n: number; t: number }>();
    for (const doc of await ResponseModel.find({ surveySlug: survey.slug }).lean()) {
      const age = typeof doc.answers.age === 'string' ? doc.answers.age : '';
      const cell = byAge.get(age) ?? { n: 0, t: 0 };
      cell.n += 1;
      cell.t += tallyIncrements(survey.definition, doc as unknown as TallySource).get('t:job-skills') ?? 0;
      byAge.set(age, cell);
    }
    expect(Object.fromEntries(cells.map((c) => [c.key[0], { n: c.count, t: c.interested['job-skills'] ?? 0 }]))).to.deep.equal(Object.fromEntries(byAge));
  });

  it('open answers: the total, newest first, a page past the end shows the last page, and every answer passes through the analysis once', async () => {
    let seen = 0;
    const first = await copyTexts(survey.slug, none, 0, 50, () => void seen++);
    const stored = await ResponseModel.find({ surveySlug: survey.slug }).lean();
    const texts = stored.flatMap((d) => Object.values((d.other ?? {}) as Record<string, string>).concat(Object.entries(d.answers ?? {}).filter(([q, v]) => survey.definition.questions.some((x) => x.id === q && !x.demographic && (x.type === 'shortText' || x.type === 'longText')) && typeof v === 'string' && v.trim()).map(([, v]) => String(v))));
    expect(first.total).to.equal(texts.length);
    expect(seen).to.equal(texts.length);
    const times = first.page.map((t) => t.at.getTime());
    expect(times).to.deep.equal([...times].sort((a, b) => b - a));
    const past = await copyTexts(survey.slug, none, 100000, 50, () => undefined);
    expect(past.page).to.deep.equal([]);
    expect(past.lastPage.length).to.equal(texts.length % 50 || 50);
  });

  it('responses written behind the app\'s back (inserted, deleted) are found by the check, which copies the survey again', async () => {
    const [doc, other] = await ResponseModel.collection.find({ surveySlug: survey.slug }).limit(2).toArray();
    await ResponseModel.collection.insertOne({ ...doc!, _id: 'written-outside-the-app-1' as never, submissionId: 'written-outside-the-app-1' });
    await ResponseModel.collection.insertOne({ ...doc!, _id: 'written-outside-the-app-2' as never, submissionId: 'written-outside-the-app-2' });
    await ResponseModel.collection.deleteOne({ _id: doc!._id });
    await ResponseModel.collection.deleteOne({ _id: other!._id });
    await ResponseModel.collection.deleteOne({ _id: 'written-outside-the-app-2' as never });
    const { rebuilt } = await checkCopy();
    expect(rebuilt).to.include(survey.slug);
    expect(sorted(await tallyFor(survey, none))).to.deep.equal(sorted(await recount(survey, none)));
    expect((await copyCounts()).get(survey.slug)).to.equal(await ResponseModel.countDocuments({ surveySlug: survey.slug }));
  });

  describe('the copy\'s file', () => {
    let dir = '';
    before(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cn-copy-'));
    });
    after(async () => {
      closeAnalyticsCopy();
      configureAnalyticsCopy({ file: ':memory:', memoryLimitMb: 256 });
      await fs.rm(dir, { recursive: true, force: true });
    });
    for (const [what, damage] of [
      ['deleted', (f: string) => fs.rm(f, { force: true })],
      ['truncated', async (f: string) => fs.truncate(f, Math.floor((await fs.stat(f)).size / 3))],
      ['overwritten with garbage', (f: string) => fs.writeFile(f, Buffer.alloc(64 * 1024, 0x5a))],
    ] as const) {
      it(`${what} while the app was stopped: the next start fills it again from MongoDB and its counts equal a recount`, async () => {
        const file = path.join(dir, `copy-${what.replace(/\W/g, '')}.duckdb`);
        closeAnalyticsCopy();
        configureAnalyticsCopy({ file, memoryLimitMb: 128 });
        expect(sorted(await tallyFor(survey, none))).to.deep.equal(sorted(await recount(survey, none)));
        closeAnalyticsCopy();
        await damage(file);
        await fs.rm(`${file}.wal`, { force: true });
        configureAnalyticsCopy({ file, memoryLimitMb: 128 });
        const f: ResponseFilter = { answers: { age: ['65-plus'] }, lang: 'en', weighted: false };
        expect(sorted(await tallyFor(survey, f))).to.deep.equal(sorted(await recount(survey, f)));
        expect((await copyCounts()).get(survey.slug)).to.equal(await ResponseModel.countDocuments({ surveySlug: survey.slug }));
      });
    }
  });
});
