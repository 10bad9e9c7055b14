// `npm run contacts:purge`: deletes follow-up contacts older than CONTACT_RETENTION_DAYS
// (default 365), as the running app also does once a day.
import { purgeExpiredContacts } from '../surveys/contact-retention.service.js';
import { withDatabase } from './cli.js';

await withDatabase(async (config) => {
  const count = await purgeExpiredContacts(new Date(), config.CONTACT_RETENTION_DAYS);
  console.log(`Deleted ${count} follow-up contact(s) older than ${config.CONTACT_RETENTION_DAYS} days.`);
});
