import { databaseKnownAway, markDatabaseAway, readWithin } from '../server/db/availability.js';
import { AppError, GoneError, NotFoundError, UnavailableError } from '../server/errors.js';
import { onSurveysChanged } from './survey-changes.js';
import { findSurvey, listOpenSurveys, type SurveySnapshot } from './survey.service.js';

/**
 * Respondent pages keep working while the database is away: every survey read successfully
 * is remembered (and the list of open surveys), and when the database is known to be away, or
 * a read fails, answers something unexpected or takes too long, the last copy is used (a survey
 * is rarely edited during an outage, and its version number travels with each response). Only
 * a survey never read since start gets the "try again" page (503), never a 500.
 */
const lastKnown = new Map<string, SurveySnapshot>();
let lastOpenList: SurveySnapshot[] | null = null;

function isDatabaseDown(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return /^Mongo(ose)?(ServerSelection|Network|NotConnected|NetworkTimeout|PoolCleared|Topology|UnexpectedServerResponse)/.test(e?.name ?? '') || /buffering timed out|before initial connection|connection .* closed|ECONNREFUSED/i.test(e?.message ?? '');
}

/** How long a respondent page waits for the database when it has a copy to show instead. */
const READ_WAIT_MS = 600;

type ReadProblemListener = (err: unknown, what: string) => void;
let reportProblem: ReadProblemListener = () => undefined;

/** Where a read that failed (and was answered from memory) is reported: the app's log. */
export function onSurveyReadProblem(listener: ReadProblemListener): void {
  reportProblem = listener;
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
        if (survey) lastKnown.set(slug, survey);
        else lastKnown.delete(slug);
        return survey;
      })
      .finally(() => reading.delete(slug));
    reading.set(slug, pending);
  }
  return pending;
}

/** A refusal the page should show as such (404, 410...), as opposed to the database failing. */
const isRefusal = (err: unknown): boolean => err instanceof AppError && err.status < 500;

/**
 * Reads through `read`, or answers `fallback` when the database is known to be away, the read
 * fails in any way other than a refusal, or it takes longer than READ_WAIT_MS while a fallback
 * exists. Without a fallback the database's failure becomes a 503.
 */
async function readOrLastKnown<T>(what: string, read: () => Promise<T>, fallback: () => T | undefined): Promise<T> {
  const known = fallback();
  if (databaseKnownAway()) {
    if (known !== undefined) return known;
    throw new UnavailableError('unavailable');
  }
  try {
    const pending = read();
    if (known === undefined) return await pending;
    const result = await readWithin(pending, READ_WAIT_MS);
    return 'value' in result ? result.value : known;
  } catch (err) {
    if (isRefusal(err)) throw err;
    if (isDatabaseDown(err)) markDatabaseAway(err instanceof Error ? err.message : String(err));
    reportProblem(err, what);
    const now = fallback();
    if (now !== undefined) return now;
    throw new UnavailableError('unavailable', undefined, { cause: err });
  }
}

/**
 * A survey for the analysis views (dashboard, JSON API, board summary), whatever its status,
 * through the same short cache: reading its document was most of a JSON view's time at 10k
 * responses (FerretDB decodes it whole). Saves in this process clear it; another instance's
 * edit shows within FRESH_MS, while the answers themselves follow within 2 s.
 */
export function getSurveyForAnalysis(slug: string): Promise<SurveySnapshot | null> {
  return readSurvey(slug);
}

/** The survey a respondent may answer (404 unknown, 410 closed), from the database or, when it is away, the last copy. */
export async function getOpenSurveyCached(slug: string): Promise<SurveySnapshot> {
  const survey = await readOrLastKnown(`survey ${slug}`, () => readSurvey(slug), () => lastKnown.get(slug));
  if (!survey) throw new NotFoundError('surveyNotFound');
  const closed = survey.status !== 'open' || (survey.closesAt !== undefined && new Date(survey.closesAt).getTime() <= Date.now());
  if (closed) throw new GoneError('surveyClosed');
  return survey;
}

/** The open surveys for the home page, from the database or, when it is away, the last list read. */
export async function listOpenSurveysCached(): Promise<SurveySnapshot[]> {
  const list = await readOrLastKnown(
    'open surveys',
    async () => {
      const surveys = await listOpenSurveys();
      lastOpenList = surveys;
      // Each open survey is known from now on too, so its pages work even if it was never opened before an outage.
      for (const s of surveys) if (!lastKnown.has(s.slug)) lastKnown.set(s.slug, s);
      return surveys;
    },
    () => lastOpenList ?? undefined,
  );
  const now = Date.now();
  return list.filter((s) => s.status === 'open' && (s.closesAt === undefined || new Date(s.closesAt).getTime() > now));
}

export { isDatabaseDown };
