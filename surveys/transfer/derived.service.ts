import type { SurveyDefinition } from '../definition.schema.js';
import { ResponseModel } from '../response.model.js';
import { getSurveyVersion } from '../survey.service.js';
import { SurveyModel } from '../survey.model.js';
import type { TallySource } from '../tally.js';
import { countResponse, newCounts, type SurveyCounts } from '../tally-segments.js';
import { replaceTallies } from '../tally.service.js';

/**
 * Rebuilds every survey's counters from the stored responses, as `rebuildTallies` does for one
 * survey, but reading the responses once for all surveys: on FerretDB a filter on the survey is
 * not pushed down, so one survey at a time would read every response once per survey. Returns
 * the slugs rebuilt.
 */
export async function rebuildAllTallies(): Promise<string[]> {
  const surveys = await SurveyModel.find({}, { slug: 1, definition: 1 }).lean();
  const current = new Map(surveys.map((s) => [s.slug, s.definition as SurveyDefinition | undefined]));
  const counts = new Map<string, SurveyCounts>(surveys.map((s) => [s.slug, newCounts()]));
  const versions = new Map<string, SurveyDefinition | undefined>();
  const cursor = ResponseModel.find({}, { surveySlug: 1, answers: 1, lang: 1, channel: 1, location: 1, submittedAt: 1, surveyVersion: 1 }).lean().cursor({ batchSize: 1000 });
  for await (const doc of cursor) {
    const into = counts.get(doc.surveySlug);
    if (!into) continue; // responses of a survey that is gone: nothing shows them
    const key = `${doc.surveySlug}\n${doc.surveyVersion}`;
    if (!versions.has(key)) versions.set(key, (await getSurveyVersion(doc.surveySlug, doc.surveyVersion)) ?? current.get(doc.surveySlug));
    const def = versions.get(key);
    if (def) countResponse(def, doc as unknown as TallySource, into);
  }
  for (const [slug, c] of counts) await replaceTallies(slug, c);
  return [...counts.keys()];
}
