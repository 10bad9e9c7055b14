/**
 * What `npm run audit:prod` concludes from `npm audit --omit=dev --json`: a pure function of
 * npm's JSON report, its exit status and its stderr, so the decision is tested with saved
 * reports (test/fixtures/npm-audit/) and no network.
 */

export type AuditSeverity = 'info' | 'low' | 'moderate' | 'high' | 'critical';

export interface AuditFinding {
  name: string;
  severity: AuditSeverity;
  /** Advisory titles and addresses, where npm gives them. */
  advisories: { title: string; url: string }[];
}

export type AuditOutcome =
  /** The advisory service answered: no high or critical advisory in production dependencies. */
  | { kind: 'clean'; counts: Partial<Record<AuditSeverity, number>> }
  /** The advisory service answered with high or critical advisories: fail. */
  | { kind: 'findings'; counts: Partial<Record<AuditSeverity, number>>; findings: AuditFinding[] }
  /** The advisory service could not be reached or refused the request: nothing was audited. */
  | { kind: 'unaudited'; reason: string }
  /** Anything else (npm crashed, an unreadable report): fail with npm's status. */
  | { kind: 'failed'; reason: string };

export interface AuditDecision {
  outcome: AuditOutcome;
  exitCode: number;
  /** What to print, one line each; warnings and failures are framed so a CI log cannot hide them. */
  lines: string[];
}

/** npm's error codes (and HTTP statuses as `E<status>`) that mean "no answer from the audit service". */
const UNREACHABLE = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOAUDIT', 'E400', 'E401', 'E403', 'E404', 'E405', 'E429', 'E500', 'E502', 'E503', 'E504']);
const SEVERITIES: readonly AuditSeverity[] = ['info', 'low', 'moderate', 'high', 'critical'];
const FAILING: readonly AuditSeverity[] = ['high', 'critical'];

interface NpmVia {
  title?: unknown;
  url?: unknown;
}

interface NpmReport {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
  error?: { code?: unknown; summary?: unknown };
  metadata?: { vulnerabilities?: Record<string, unknown> };
  /** Report version 2 (npm 7 and later). */
  vulnerabilities?: Record<string, { name?: unknown; severity?: unknown; via?: unknown }>;
  /** Report version 1 (npm 6). */
  advisories?: Record<string, { module_name?: unknown; severity?: unknown; title?: unknown; url?: unknown }>;
}

const isSeverity = (v: unknown): v is AuditSeverity => typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);

function countsOf(raw: Record<string, unknown>): Partial<Record<AuditSeverity, number>> {
  const counts: Partial<Record<AuditSeverity, number>> = {};
  for (const s of SEVERITIES) if (typeof raw[s] === 'number') counts[s] = raw[s] as number;
  return counts;
}

function findingsOf(report: NpmReport): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const [key, v] of Object.entries(report.vulnerabilities ?? {})) {
    if (!isSeverity(v.severity) || !FAILING.includes(v.severity)) continue;
    const via = (Array.isArray(v.via) ? v.via : []).filter((x): x is NpmVia => typeof x === 'object' && x !== null);
    out.push({ name: typeof v.name === 'string' ? v.name : key, severity: v.severity, advisories: via.map((x) => ({ title: String(x.title ?? ''), url: String(x.url ?? '') })).filter((a) => a.title || a.url) });
  }
  for (const a of Object.values(report.advisories ?? {})) {
    if (!isSeverity(a.severity) || !FAILING.includes(a.severity)) continue;
    out.push({ name: String(a.module_name ?? '?'), severity: a.severity, advisories: [{ title: String(a.title ?? ''), url: String(a.url ?? '') }] });
  }
  return out.sort((x, y) => FAILING.indexOf(y.severity) - FAILING.indexOf(x.severity) || x.name.localeCompare(y.name));
}

/** A framed block: the first line is the headline, in capitals so it stands out in a long log. */
function banner(lines: string[]): string[] {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const rule = '#'.repeat(width + 2);
  return [rule, ...lines.map((l) => `## ${l.padEnd(width - 2)}##`), rule];
}

function parse(stdout: string): NpmReport | null {
  try {
    const value: unknown = JSON.parse(stdout || 'null');
    return typeof value === 'object' && value !== null ? (value as NpmReport) : null;
  } catch {
    return null;
  }
}

/**
 * Decides the outcome of an audit run. With audit data (report `metadata.vulnerabilities`),
 * any high or critical count fails (exit 1) whatever npm's own exit status; none passes. Without
 * audit data because the service did not answer, nothing was audited: a loud warning and exit 0,
 * or exit 1 when `strict` (AUDIT_STRICT=1). Anything else fails with npm's status.
 */
export function decideAudit(run: { stdout: string; stderr: string; status: number | null }, options: { strict?: boolean } = {}): AuditDecision {
  const report = parse(run.stdout);
  const vulnerabilities = report?.metadata?.vulnerabilities;
  if (report && vulnerabilities && typeof vulnerabilities === 'object') {
    const counts = countsOf(vulnerabilities);
    const failing = FAILING.reduce((n, s) => n + (counts[s] ?? 0), 0);
    if (failing === 0) {
      const below = (counts.moderate ?? 0) + (counts.low ?? 0) + (counts.info ?? 0);
      return { outcome: { kind: 'clean', counts }, exitCode: 0, lines: [`npm audit: no high or critical advisories in production dependencies${below ? ` (${below} lower-severity, not failing)` : ''}.`] };
    }
    const findings = findingsOf(report);
    const lines = banner([
      `FAILED: npm audit found ${counts.critical ?? 0} critical and ${counts.high ?? 0} high advisories in production dependencies.`,
      ...findings.flatMap((f) => [`${f.severity.toUpperCase()}: ${f.name}`, ...f.advisories.map((a) => `    ${a.title}${a.url ? ` ${a.url}` : ''}`)]),
      'Update the packages (npm audit fix --omit=dev), or replace them, before merging.',
    ]);
    return { outcome: { kind: 'findings', counts, findings }, exitCode: 1, lines };
  }

  const code = [report?.error?.code, report?.code, typeof report?.statusCode === 'number' ? `E${report.statusCode}` : undefined].find((c): c is string => typeof c === 'string');
  const message = typeof report?.message === 'string' ? report.message : '';
  const unreachable = (code !== undefined && UNREACHABLE.has(code)) || /audit endpoint returned an error|network|ENOTFOUND|EAI_AGAIN|ECONNREFUSED/i.test(`${run.stderr} ${message}`);
  if (unreachable) {
    const reason = `${code ?? 'network error'}${message ? `: ${message}` : ''}`;
    const lines = banner([
      options.strict ? 'FAILED: PRODUCTION DEPENDENCIES WERE NOT AUDITED (AUDIT_STRICT=1).' : 'WARNING: PRODUCTION DEPENDENCIES WERE NOT AUDITED.',
      `npm audit could not get an answer from the advisory service (${reason}).`,
      'This says nothing about the dependencies: high or critical advisories may exist.',
      'Run `npm run audit:prod` where the registry answers audit requests (npm\'s public registry does; some mirrors and proxies do not).',
    ]);
    return { outcome: { kind: 'unaudited', reason }, exitCode: options.strict ? 1 : 0, lines };
  }
  if (run.status === 0 && report) return { outcome: { kind: 'clean', counts: {} }, exitCode: 0, lines: ['npm audit: no advisories reported.'] };
  const reason = message || run.stderr.trim().split('\n').pop() || `npm audit exited with ${run.status}`;
  return { outcome: { kind: 'failed', reason }, exitCode: run.status || 1, lines: banner([`FAILED: npm audit did not complete (${reason}).`]) };
}
