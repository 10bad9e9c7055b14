// `npm run audit:prod`: `npm audit --omit=dev --json`, decided by scripts/audit-report.ts: a high
// or critical advisory in a production dependency fails (exit 1). When the registry (or a mirror)
// cannot answer the audit request at all, it prints a framed warning that nothing was audited
// and exits 0 (exit 1 with AUDIT_STRICT=1): an unreachable audit service says nothing about the
// dependencies. Any other failure fails with npm's exit code.
import { spawnSync } from 'node:child_process';
import { decideAudit } from './audit-report.js';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', shell: process.platform === 'win32', maxBuffer: 64 * 1024 * 1024 });
const decision = decideAudit({ stdout: run.stdout ?? '', stderr: run.stderr ?? '', status: run.status }, { strict: process.env.AUDIT_STRICT === '1' });
// One stream, so the framed warning and the status line stay together in a CI log.
const print = decision.exitCode === 0 ? console.log : console.error;
for (const line of decision.lines) print(line);
// A one-line status for CI summaries (.ci/run prints it again at the end of the run).
print(`audit:prod result: ${decision.outcome.kind}`);
process.exit(decision.exitCode);
