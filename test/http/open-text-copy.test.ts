import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'chai';
import { OpenTextAnalyzer, type OpenTextAnalysis } from '../../analytics/open-text.js';
import { seedDemoSurvey } from '../../surveys/demo.service.js';
import { filterQuery, type ResponseFilter } from '../../surveys/filters.js';
import { closeAnalyticsCopy, configureAnalyticsCopy, copyCounts } from '../../surveys/insights/analytics-copy.js';
import { EngineStore, SCHEMA_VERSION } from '../../surveys/insights/engine-store.js';
import { getOpenTextResources } from '../../surveys/open-text-data.service.js';
import { openTextInsights, OPEN_TEXT_PAGE_SIZE } from '../../surveys/open-text.service.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { newSubmissionId, submitResponse } from '../../surveys/response.service.js';
import { findSurvey, type SurveySnapshot } from '../../surveys/survey.service.js';
import { clearDatabase } from '../helpers/db.js';

const L = (t: Record<string, string> | undefined): string => t?.en ?? '';
const f = (extra: Partial<ResponseFilter>): ResponseFilter => ({ answers: {}, weighted: false, ...extra });

/** The analysis as the open answers page computed it before the copy kept features: every matching answer read from MongoDB, newest first, through the analyzer. */
async function streamedFromMongo(survey: SurveySnapshot, filter: ResponseFilter): Promise<{ analysis: OpenTextAnalysis; texts: string[] }> {
  const analyzer = new OpenTextAnalyzer(getOpenTextResources());
  const textQuestions = survey.definition.questions.filter((q) => !q.demographic && (q.type === 'shortText' || q.type === 'longText'));
  const texts: string[] = [];
  for (const doc of await ResponseModel.find(filterQuery(survey.slug, filter)).sort({ submittedAt: -1 }).lean()) {
    const add = (text: unknown): void => {
      if (typeof text !== 'string' || !text.trim()) return;
      analyzer.add({ text, lang: doc.lang });
      texts.push(text);
    };
    for (const q of textQuestions) add((doc.answers as Record<string, unknown>)?.[q.id]);
    for (const text of Object.values((doc.other ?? {}) as Record<string, unknown>)) add(text);
  }
  return { analysis: analyzer.result(), texts };
}

describe('open answers from the features kept in the analytical copy', function () {
  this.timeout(180000);
  let survey: SurveySnapshot;
  before(async () => {
    await clearDatabase();
    survey = await seedDemoSurvey({ count: 1200, seed: 23, days: 30, end: new Date('2026-06-01T00:00:00Z') });
    // "Other" answers through the submit path, with accents typed and left out (the shown form is the most written).
    for (const [i, text] of ['Un taller de costura', 'un taller de costura', 'Taller de costura, por favor', 'más talleres de costura'].entries()) {
      await submitResponse({ survey, body: { 'q:interests': ['job-skills', 'other'], 'other:interests': text, 'rank:priorities:1': 'job-skills', 'q:age': '35-44', 'q:children': 'yes' }, submissionId: newSubmissionId(), contactKey: 'k', lang: 'es', channel: 'kiosk', location: 'Eastside', now: new Date(`2026-05-2${i}T12:00:00Z`) });
    }
    survey = (await findSurvey(survey.slug))!;
  });

  const filters: [string, ResponseFilter][] = [
    ['no filter', f({})],
    ['lang=es', f({ lang: 'es' })],
    ['lang=zh-Hans', f({ lang: 'zh-Hans' })],
    ['lang=ar', f({ lang: 'ar' })],
    ['channel=kiosk', f({ channel: 'kiosk' })],
    ['age 65-plus or 55-64', f({ answers: { age: ['65-plus', '55-64'] } })],
    ['Spanish, 35-54, with children, since May 10', f({ answers: { age: ['35-44', '45-54'], children: ['yes'] }, lang: 'es', from: '2026-05-10' })],
    ['a week', f({ from: '2026-05-15', to: '2026-05-21' })],
    ['nobody (location nowhere)', f({ location: 'nowhere' })],
  ];
  for (const [name, filter] of filters) {
    it(`${name}: the words, phrases, topics and new ideas equal the answers read from MongoDB and analysed one by one, and the first page is the newest answers`, async () => {
      const got = await openTextInsights(survey, filter, 'en', L as never, 1);
      const want = await streamedFromMongo(survey, filter);
      expect(got.total).to.equal(want.texts.length);
      expect({
        languages: got.languages.map(({ lang, answers, words, phrases }) => ({ lang, answers, words, phrases })),
        topics: got.topics.map(({ topic, count, langs }) => ({ topic, count, langs })),
        newIdeas: got.newIdeas.map(({ lang, term, count }) => ({ lang, term, count })),
      }).to.deep.equal(want.analysis);
      expect(got.answers.map((a) => a.text).sort()).to.deep.equal(want.texts.slice(0, OPEN_TEXT_PAGE_SIZE).sort());
    });
  }

  it('sends four Spanish "other" answers about sewing and gets "costura" in 4 answers and the phrase in 3, shown as most often written (with its "de")', async () => {
    const es = (await openTextInsights(survey, f({ lang: 'es', channel: 'kiosk' }), 'en', L as never, 1)).languages.find((l) => l.lang === 'es');
    expect(es?.phrases).to.deep.include({ term: 'taller de costura', count: 3 });
    expect(es?.words).to.deep.include({ term: 'costura', count: 4 });
  });

  it('a page past the end shows the last page, as before', async () => {
    const first = await openTextInsights(survey, f({ lang: 'es' }), 'en', L as never, 1);
    const past = await openTextInsights(survey, f({ lang: 'es' }), 'en', L as never, first.pages + 5);
    expect(past.page).to.equal(first.pages);
    expect(past.answers.length).to.equal(first.total % OPEN_TEXT_PAGE_SIZE || OPEN_TEXT_PAGE_SIZE);
  });

  describe('a copy file written by the previous version (open answers without features)', () => {
    let dir = '';
    before(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cn-copy-schema-'));
    });
    after(async () => {
      closeAnalyticsCopy();
      configureAnalyticsCopy({ file: ':memory:', memoryLimitMb: 256 });
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('opens it, starts a new file and fills it from MongoDB: the open answers equal a recount, and a current file is kept as it is', async () => {
      const file = path.join(dir, 'old.duckdb');
      // The layout before this change, with one survey's rows in it.
      const old = await DuckDBInstance.create(file);
      const c = await old.connect();
      await c.run('CREATE TABLE surveys (slug VARCHAR PRIMARY KEY, n INTEGER)');
      await c.run('CREATE TABLE key_columns (n INTEGER, key VARCHAR, col INTEGER)');
      await c.run('CREATE TABLE r1 (id VARCHAR, version INTEGER, lang VARCHAR, channel VARCHAR, location VARCHAR, tag VARCHAR, ts TIMESTAMP, vals VARCHAR[])');
      await c.run('CREATE TABLE t1 (id VARCHAR, ord INTEGER, question VARCHAR, lang VARCHAR, ts TIMESTAMP, text VARCHAR)');
      await c.run(`INSERT INTO surveys VALUES ('${survey.slug}', 1)`);
      await c.run("INSERT INTO r1 VALUES ('x', 1, 'en', 'web', NULL, NULL, now()::TIMESTAMP, [])");
      await c.run("INSERT INTO t1 VALUES ('x', 0, 'ideas', 'en', now()::TIMESTAMP, 'an answer from the old file')");
      c.closeSync();
      old.closeSync();

      const store = new EngineStore({ file, memoryLimitMb: 64, threads: 1 });
      await store.open();
      expect(store.recreated).to.equal('schema');
      expect(store.slugs()).to.deep.equal([]);
      store.close();
      const again = new EngineStore({ file, memoryLimitMb: 64, threads: 1 });
      await again.open();
      expect(again.recreated).to.equal(false);
      again.close();

      await fs.rm(file, { force: true });
      await fs.rm(`${file}.wal`, { force: true });
      const older = await DuckDBInstance.create(file);
      const c2 = await older.connect();
      await c2.run('CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)');
      await c2.run(`INSERT INTO meta VALUES ('schema', '${SCHEMA_VERSION - 1}')`);
      await c2.run('CREATE TABLE surveys (slug VARCHAR PRIMARY KEY, n INTEGER)');
      await c2.run(`INSERT INTO surveys VALUES ('${survey.slug}', 1)`);
      c2.closeSync();
      older.closeSync();
      closeAnalyticsCopy();
      configureAnalyticsCopy({ file, memoryLimitMb: 128 });
      const filter = f({ lang: 'vi' });
      const got = await openTextInsights(survey, filter, 'en', L as never, 1);
      expect(got.languages.map(({ lang, answers, words, phrases }) => ({ lang, answers, words, phrases }))).to.deep.equal((await streamedFromMongo(survey, filter)).analysis.languages);
      expect((await copyCounts()).get(survey.slug)).to.equal(await ResponseModel.countDocuments({ surveySlug: survey.slug }));
    });
  });
});
