import { GoneError, NotFoundError } from '../server/errors.js';
import { findSurvey, type SurveySnapshot } from './survey.service.js';

/**
 * Respondent pages keep working while the database is away: every survey read successfully
 * is remembered, and when the database cannot be reached the last copy is used (a survey is
 * rarely edited during an outage, and its version number travels with each response).
 */
const lastKnown = new Map<string, SurveySnapshot>();

function isDatabaseDown(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return /^Mongo(ose)?(ServerSelection|Network|NotConnected|NetworkTimeout|PoolCleared|Topology)/.test(e?.name ?? '') || /buffering timed out|before initial connection|connection .* closed|ECONNREFUSED/i.test(e?.message ?? '');
}

/** The survey a respondent may answer (404 unknown, 410 closed), from the database or, when it is down, the cache. */
export async function getOpenSurveyCached(slug: string): Promise<SurveySnapshot> {
  let survey: SurveySnapshot | null;
  try {
    survey = await findSurvey(slug);
    if (survey) lastKnown.set(slug, survey);
    else lastKnown.delete(slug);
  } catch (err) {
    survey = lastKnown.get(slug) ?? null;
    if (!survey || !isDatabaseDown(err)) throw err;
  }
  if (!survey) throw new NotFoundError('surveyNotFound');
  const closed = survey.status !== 'open' || (survey.closesAt !== undefined && new Date(survey.closesAt).getTime() <= Date.now());
  if (closed) throw new GoneError('surveyClosed');
  return survey;
}

export { isDatabaseDown };
