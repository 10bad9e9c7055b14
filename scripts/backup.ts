// `npm run backup [-- --out FILE] [--with-contacts]`: writes the whole database (follow-up
// contacts only when asked) to one archive, by default backups/community-needs-<time>.jsonl.gz.
// Safe while the app runs. See docs/backups.md.
import { readFileSync } from 'node:fs';
import { createBackup, defaultBackupFile } from '../surveys/transfer/backup.service.js';
import { NOT_ARCHIVED } from '../surveys/transfer/collections.js';
import { argument, withDatabase } from './cli.js';
import { progressPrinter } from './transfer-progress.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

await withDatabase(async () => {
  const withContacts = process.argv.includes('--with-contacts');
  const file = argument('out') ?? defaultBackupFile('backups');
  const progress = progressPrinter('backed up');
  const result = await createBackup({ file, withContacts, appVersion: version, onProgress: (n, c) => progress(n, undefined, c) });
  for (const [name, count] of Object.entries(result.counts)) console.log(`  ${name}: ${count}`);
  console.log(`Wrote ${result.documents} documents in ${progress.seconds()} s to ${result.file} (${(result.bytes / 1024 / 1024).toFixed(1)} MB, SHA-256 of the content ${result.sha256}).`);
  console.log(withContacts ? 'Follow-up contacts are included.' : 'Follow-up contacts are not included (add --with-contacts to include them).');
  console.log(`Not archived: ${Object.keys(NOT_ARCHIVED).join(', ')} (secrets, or rebuilt after a restore).`);
  if (result.unknown.length) console.warn(`Warning: not archived because this version of the app does not know them: ${result.unknown.join(', ')}.`);
  console.log('Keep this file as safe as the database itself: it holds every answer and the staff password hashes.');
});
