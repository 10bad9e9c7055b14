import type { SurveyDefinition } from '../../surveys/definition.schema.js';
import { filterQuery, type ResponseFilter } from '../../surveys/filters.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { getSurveyVersion, type SurveySnapshot } from '../../surveys/survey.service.js';
import { tallyIncrements, type TallyMap, type TallySource } from '../../surveys/tally.js';

export const NO_FILTER: ResponseFilter = { answers: {}, weighted: false };

/** A tally map as sorted pairs, zeros left out: two equal maps give equal lists. */
export const sortedTallies = (m: TallyMap): [string, number][] => [...m].filter(([, v]) => v !== 0).sort(([a], [b]) => a.localeCompare(b));

/** The counters for a filter computed the slow, obvious way: every matching response read from MongoDB, each under the version it answered. */
export async function recount(survey: SurveySnapshot, filter: ResponseFilter = NO_FILTER): Promise<TallyMap> {
  const totals: TallyMap = new Map();
  const defs = new Map<number, SurveyDefinition>();
  for (const doc of await ResponseModel.find(filterQuery(survey.slug, filter)).lean()) {
    const v = Number(doc.surveyVersion);
    if (!defs.has(v)) defs.set(v, (await getSurveyVersion(survey.slug, v)) ?? survey.definition);
    tallyIncrements(defs.get(v)!, doc as unknown as TallySource, totals);
  }
  return totals;
}
