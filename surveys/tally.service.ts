import type { SurveyDefinition } from './definition.schema.js';
import { ResponseModel } from './response.model.js';
import { getSurveyVersion } from './survey.service.js';
import { TallyModel } from './tally.model.js';
import { tallyIncrements, type TallyMap, type TallySource } from './tally.js';

/** Adds one stored response to the survey's counters: one unordered bulk of `$inc` upserts. */
export async function applyTallies(slug: string, increments: TallyMap): Promise<void> {
  if (increments.size === 0) return;
  await TallyModel.bulkWrite(
    [...increments].map(([key, n]) => ({
      updateOne: { filter: { _id: `${slug}|${key}` }, update: { $inc: { n }, $setOnInsert: { survey: slug, key } }, upsert: true },
    })),
    { ordered: false },
  );
}

/** The live counters of a survey. */
export async function readTallies(slug: string): Promise<TallyMap> {
  const docs = await TallyModel.find({ survey: slug }, { key: 1, n: 1 }).lean();
  return new Map(docs.map((d) => [d.key, d.n]));
}

/**
 * Recomputes the counters from the raw responses (each with the definition version it
 * answered) and replaces the stored ones. Used by `npm run tallies:rebuild` and reconciliation.
 */
export async function rebuildTallies(slug: string, current: SurveyDefinition): Promise<TallyMap> {
  const totals: TallyMap = new Map();
  const versions = new Map<number, SurveyDefinition>();
  const cursor = ResponseModel.find({ surveySlug: slug }, { answers: 1, lang: 1, channel: 1, location: 1, submittedAt: 1, surveyVersion: 1 }).lean().cursor({ batchSize: 1000 });
  for await (const doc of cursor) {
    let def = versions.get(doc.surveyVersion);
    if (!def) {
      def = (await getSurveyVersion(slug, doc.surveyVersion)) ?? current;
      versions.set(doc.surveyVersion, def);
    }
    tallyIncrements(def, doc as unknown as TallySource, totals);
  }
  await TallyModel.deleteMany({ survey: slug });
  const docs = [...totals].filter(([, n]) => n !== 0).map(([key, n]) => ({ _id: `${slug}|${key}`, survey: slug, key, n }));
  for (let i = 0; i < docs.length; i += 1000) await TallyModel.insertMany(docs.slice(i, i + 1000), { ordered: false });
  return totals;
}
