// `npm run seed:demo [-- --count 1200 --seed 42 --days 60]`: a demo survey full of realistic,
// reproducible responses and a local partner directory, so a newcomer sees a complete dashboard at
// /staff/surveys/community-needs-demo.
import { DEMO_SLUG, seedDemoPartners, seedDemoSurvey } from '../surveys/demo.service.js';
import { argument, withDatabase } from './cli.js';

await withDatabase(async () => {
  const count = Number(argument('count') ?? 1200);
  const seed = Number(argument('seed') ?? 42);
  const days = Number(argument('days') ?? 60);
  const started = Date.now();
  const survey = await seedDemoSurvey({ slug: argument('survey') ?? DEMO_SLUG, count, seed, days, end: new Date(), onProgress: (n) => n % 20000 === 0 && console.log(`  ${n} responses...`) });
  console.log(`Seeded ${count} demo responses into "${survey.slug}" in ${Date.now() - started} ms.`);
  console.log(`Added or updated ${await seedDemoPartners(new Date())} organizations in the demo partner directory (/staff/partners).`);
  console.log(`Dashboard: http://localhost:3000/staff/surveys/${survey.slug} (create an account first: npm run create-admin, or open /setup).`);
});
