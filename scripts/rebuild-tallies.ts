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
    const counts = await rebuildTallies(s.slug, s.definition as SurveyDefinition);
    console.log(`${s.slug}: ${counts.all.get('total') ?? 0} responses, ${counts.all.size} counters and ${counts.segments.size} segments rebuilt in ${Date.now() - started} ms`);
  }
});
