import { SurveyModel } from '../survey.model.js';
import { surveyResync } from '../insights/analytics-changes.js';

/**
 * After a restore, every survey's analytical copy is filled again from the restored responses:
 * a "resync" in the change log tells every running app instance (each reads the responses once
 * for all surveys that need it), and an instance started later finds its counts differ at its
 * first check. Nothing is counted here. Returns the slugs.
 */
export async function resyncAllSurveys(): Promise<string[]> {
  const slugs = (await SurveyModel.find({}, { slug: 1 }).lean()).map((s) => String(s.slug));
  for (const slug of slugs) await surveyResync(slug);
  return slugs;
}
