import mongoose from 'mongoose';
import { getCatalog } from './catalog.service.js';
import { generateResponses } from './demo-data.js';
import { DEMO_PARTNERS } from './demo-partners.js';
import { PartnerModel } from './partner.model.js';
import { checkPartner, nameKey } from './partner.schema.js';
import { ResponseModel } from './response.model.js';
import { surveyResync } from './insights/analytics-changes.js';
import { findSurvey, publishSurvey, type SurveySnapshot } from './survey.service.js';
import { SurveyModel } from './survey.model.js';
import { loadTemplate } from './templates/templates.js';

export const DEMO_SLUG = 'community-needs-demo';
/** Responses per `insertMany` (unordered): large enough to amortise round trips, small enough to stream. */
const BATCH = 2000;

export interface DemoSeedOptions {
  slug?: string;
  count: number;
  seed: number;
  days: number;
  /** The last day of the window (responses end the day before); the clock is passed in, never read. */
  end: Date;
  onProgress?: (inserted: number) => void;
  /** Called once every response is in, before the counters are written (the benchmark times the two apart). */
  onInserted?: (inserted: number) => void;
}

/**
 * Fills a demo copy of the built-in survey with seeded responses (bulk insert, counted on the way
 * with the same increments and segments as every submission, so nothing is read back), replacing any
 * earlier demo responses. `npm run seed:demo` and `npm run bench` both
 * fill surveys this way. Population shares for age are set so the "who answered vs the
 * community" view has something to show.
 */
export async function seedDemoSurvey(options: DemoSeedOptions): Promise<SurveySnapshot> {
  const slug = options.slug ?? DEMO_SLUG;
  let survey = await findSurvey(slug);
  if (!survey) {
    const template = loadTemplate('community-needs', getCatalog().topicIds);
    const title = Object.fromEntries(Object.entries(template.title).map(([lang, text]) => [lang, `${text} (demo)`]));
    survey = await publishSurvey({ ...template, slug, title });
  }
  await ResponseModel.deleteMany({ surveySlug: slug });
  const start = new Date(Date.UTC(options.end.getUTCFullYear(), options.end.getUTCMonth(), options.end.getUTCDate()) - options.days * 86400000);
  const generated = generateResponses({ definition: survey.definition, version: survey.version, count: options.count, seed: options.seed, start, days: options.days, idPrefix: `demo${options.seed}` });
  let inserted = 0;
  // One batch is written while the next is generated, so the generator's CPU time overlaps the database's.
  let pending: Promise<unknown> = Promise.resolve();
  let batch: unknown[] = [];
  const flush = async (): Promise<void> => {
    await pending;
    if (inserted) options.onProgress?.(inserted);
    const docs = batch;
    batch = [];
    pending = ResponseModel.insertMany(docs, { ordered: false, lean: true });
    inserted += docs.length;
  };
  for (const r of generated) {
    // `_id` is the submission id, as for every response (response.model.ts); a lean insert sets no defaults.
    batch.push({ _id: r.submissionId, ...r, surveySlug: slug });
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  await pending;
  if (inserted) options.onProgress?.(inserted);
  options.onInserted?.(inserted);
  await surveyResync(slug);
  await SurveyModel.updateOne(
    { slug },
    { $set: { 'analysis.population': [{ question: 'age', shares: { 'under-18': 0.21, '18-24': 0.09, '25-34': 0.14, '35-44': 0.13, '45-54': 0.12, '55-64': 0.13, '65-plus': 0.18 } }] } },
  );
  return (await findSurvey(slug))!;
}

/**
 * Adds the demo's local partner directory (demo-partners.ts) so the dashboard and the board summary
 * show organizations beside the partner types they suggest. Each is checked like a form entry and
 * written by name and type, so running it again updates the same organizations (their programs
 * replaced) and never touches anyone else's. Returns how many are in the demo directory.
 */
export async function seedDemoPartners(end: Date): Promise<number> {
  const day = Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate());
  const ops = DEMO_PARTNERS.map(({ programs, ...fields }) => {
    const checked = checkPartner(fields);
    if (!checked.ok) throw new Error(`demo partner ${fields.name}: ${JSON.stringify(checked.problems)}`);
    const history = (programs ?? []).map((p) => ({ _id: new mongoose.Types.ObjectId(), date: new Date(day - p.daysAgo * 86400000), title: p.title, notes: p.notes ?? '' }));
    const key = nameKey(checked.value.name);
    return { updateOne: { filter: { nameKey: key, type: checked.value.type }, update: { $set: { ...checked.value, nameKey: key, programs: history } }, upsert: true } };
  });
  await PartnerModel.bulkWrite(ops, { ordered: false });
  return DEMO_PARTNERS.length;
}
