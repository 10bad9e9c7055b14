import { GoneError, NotFoundError } from '../server/errors.js';
import { onSurveysChanged } from './survey-changes.js';
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

/**
 * How long a survey read for a respondent page is used without asking the database again. A
 * survey document carries every language (tens of KB), and FerretDB on SQLite takes ~25 ms to
 * read one, which was most of a form page's cost (`npm run bench`). Writes through the model in
 * this process clear it at once; other app instances see a change within this time. A closing
 * date is checked against the clock on every request.
 */
const FRESH_MS = 5000;
const fresh = new Map<string, { survey: SurveySnapshot | null; at: number }>();
const reading = new Map<string, Promise<SurveySnapshot | null>>();
let generation = 0;
onSurveysChanged(() => {
  generation += 1;
  fresh.clear();
});

/** One database read at a time per survey; requests arriving meanwhile share it. */
function readSurvey(slug: string): Promise<SurveySnapshot | null> {
  const hit = fresh.get(slug);
  if (hit && Date.now() - hit.at < FRESH_MS) return Promise.resolve(hit.survey);
  let pending = reading.get(slug);
  if (!pending) {
    const started = generation;
    pending = findSurvey(slug)
      .then((survey) => {
        if (started === generation) fresh.set(slug, { survey, at: Date.now() });
        return survey;
      })
      .finally(() => reading.delete(slug));
    reading.set(slug, pending);
  }
  return pending;
}

/** The survey a respondent may answer (404 unknown, 410 closed), from the database or, when it is down, the cache. */
export async function getOpenSurveyCached(slug: string): Promise<SurveySnapshot> {
  let survey: SurveySnapshot | null;
  try {
    survey = await readSurvey(slug);
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
