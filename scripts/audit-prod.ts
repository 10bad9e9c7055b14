// `npm run audit:prod`: `npm audit --omit=dev --audit-level=high`, failing on a high or critical
// advisory in a production dependency. When the registry (or a mirror) cannot answer the audit
// request at all, it prints a warning and exits 0: an unreachable audit service says nothing
// about the dependencies. Any other failure keeps npm's exit code.
import { spawnSync } from 'node:child_process';

const args = ['audit', '--omit=dev', '--audit-level=high'];
const run = spawnSync('npm', [...args, '--json'], { encoding: 'utf8', shell: process.platform === 'win32' });
let report: { statusCode?: number; code?: string; error?: { code?: string; summary?: string }; message?: string; metadata?: { vulnerabilities?: Record<string, number> } } = {};
try {
  report = JSON.parse(run.stdout || '{}');
} catch {
  report = {};
}

const NETWORK = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOAUDIT', 'E400', 'E404', 'E405', 'E500', 'E502', 'E503', 'E504']);
const code = report.error?.code ?? report.code ?? (report.statusCode ? `E${report.statusCode}` : undefined);
const unreachable = !report.metadata && ((code !== undefined && NETWORK.has(code)) || /audit endpoint returned an error|network|ENOTFOUND|EAI_AGAIN/i.test(`${run.stderr} ${report.message ?? ''}`));

if (run.status === 0) {
  console.log('npm audit: no high or critical advisories in production dependencies.');
  process.exit(0);
}
if (unreachable) {
  console.warn(`WARNING: npm audit could not reach the advisory service (${code ?? 'network error'}${report.message ? `: ${report.message}` : ''}).`);
  console.warn('WARNING: production dependencies were NOT audited. Run `npm run audit:prod` where the registry answers audit requests.');
  process.exit(0);
}
// Real findings (or an unknown failure): show npm's own report and keep its exit code.
const human = spawnSync('npm', args, { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(human.status ?? run.status ?? 1);
