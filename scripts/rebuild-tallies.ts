// `npm run tallies:rebuild [-- --survey slug]`: recomputes every survey's counters from the raw responses.
import { SurveyModel } from '../surveys/survey.model.js';
import type { SurveyDefinition } from '../surveys/definition.schema.js';
import { rebuildTallies } from '../surveys/tally.service.js';
import { argument, withDatabase } from './cli.js';

await withDatabase(async () => {
  const only = argument('survey');
  const surveys = await SurveyModel.find(only ? { slug: only } : {}, { slug: 1, definition: 1 }).lean();
  for (const s of surveys) {
    const started = Date.now();
    const totals = await rebuildTallies(s.slug, s.definition as SurveyDefinition);
    console.log(`${s.slug}: ${totals.get('total') ?? 0} responses, ${totals.size} counters rebuilt in ${Date.now() - started} ms`);
  }
});
