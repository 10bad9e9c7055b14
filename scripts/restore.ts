// `npm run restore -- FILE [--merge]`: checks a backup archive from end to end, then restores it
// into an empty database (or, with --merge, adds only what is missing) and rebuilds the counters.
// A damaged or foreign file, or a database that is not empty, changes nothing. See docs/backups.md.
import { ArchiveError, RestoreRefusedError } from '../surveys/transfer/archive-format.js';
import { restoreBackup } from '../surveys/transfer/restore.service.js';
import { withDatabase } from './cli.js';
import { progressPrinter } from './transfer-progress.js';

const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!file) {
  console.error('Usage: npm run restore -- FILE [--merge]');
  process.exit(2);
}

try {
  await withDatabase(async () => {
    const printers = { check: progressPrinter('checked'), restore: progressPrinter('restored') };
    const result = await restoreBackup(file, { merge: process.argv.includes('--merge'), onProgress: (phase, n, total, c) => printers[phase](n, phase === 'restore' ? total : undefined, c) });
    console.log(`Backup of ${result.header.createdAt} (app ${result.header.appVersion}): ${result.documents} documents checked in ${printers.check.seconds()} s, restored in ${printers.restore.seconds()} s.`);
    for (const [name, o] of Object.entries(result.collections)) {
      const conflicts = o.conflicts ? ` (${o.conflicts} of them a different document with the same slug, email or submission id)` : '';
      console.log(`  ${name}: ${o.inserted} added${o.skipped ? `, ${o.skipped} already there${conflicts}` : ''}`);
    }
    console.log(`Running app instances fill their analytics copies again for ${result.rebuilt.length} survey(s); one started later does so at its first check. Staff sign in again (sessions are not in backups).`);
  });
} catch (err) {
  if (!(err instanceof ArchiveError || err instanceof RestoreRefusedError)) throw err;
  console.error(`Nothing was restored. ${err.message}`);
  process.exitCode = 1;
}
