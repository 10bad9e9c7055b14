import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { decideAudit } from '../../../scripts/audit-report.js';
import { fromRoot } from '../../../server/paths.js';

/** Saved `npm audit --omit=dev --json` output (registry-405.json is this registry's real answer). */
const saved = (name: string): string => readFileSync(fromRoot('test', 'fixtures', 'npm-audit', name), 'utf8');
const NPM_405_STDERR = 'npm warn audit 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk\nnpm error audit endpoint returned an error\n';

describe('npm run audit:prod decision (scripts/audit-report.ts), from saved npm audit reports', () => {
  it('a report with 2 critical and 1 high advisories fails (exit 1), naming each package, its advisory and address', () => {
    const d = decideAudit({ stdout: saved('high-and-critical.json'), stderr: '', status: 1 });
    expect(d.outcome.kind).to.equal('findings');
    expect(d.exitCode).to.equal(1);
    const text = d.lines.join('\n');
    expect(text).to.contain('FAILED: npm audit found 2 critical and 1 high advisories');
    expect(text).to.contain('CRITICAL: minimist');
    expect(text).to.contain('https://github.com/advisories/GHSA-xvch-5gv4-984h');
    expect(text).to.contain('HIGH: path-to-regexp');
    if (d.outcome.kind === 'findings') expect(d.outcome.findings.map((f) => f.name)).to.deep.equal(['minimist', 'mkdirp', 'path-to-regexp']);
  });

  it('a high advisory fails even when npm itself exited 0 (the counts decide, not npm\'s --audit-level)', () => {
    expect(decideAudit({ stdout: saved('high-and-critical.json'), stderr: '', status: 0 }).exitCode).to.equal(1);
  });

  it('an npm 6 report (version 1, "advisories") with a high advisory fails too', () => {
    const v1 = JSON.stringify({ advisories: { 1523: { module_name: 'lodash', severity: 'high', title: 'Prototype Pollution', url: 'https://npmjs.com/advisories/1523' } }, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 1, critical: 0 } } });
    const d = decideAudit({ stdout: v1, stderr: '', status: 1 });
    expect(d.exitCode).to.equal(1);
    expect(d.lines.join('\n')).to.contain('HIGH: lodash');
  });

  it('only a moderate advisory passes (exit 0) and says how many lower-severity ones there are, though npm exited 1', () => {
    const d = decideAudit({ stdout: saved('moderate-only.json'), stderr: '', status: 1 });
    expect(d.outcome.kind).to.equal('clean');
    expect(d.exitCode).to.equal(0);
    expect(d.lines.join('\n')).to.contain('1 lower-severity, not failing');
  });

  it('a clean report passes (exit 0)', () => {
    const d = decideAudit({ stdout: saved('clean.json'), stderr: '', status: 0 });
    expect(d).to.deep.include({ exitCode: 0 });
    expect(d.outcome.kind).to.equal('clean');
  });

  it("this registry's 405 on the bulk advisory endpoint is 'unaudited': exit 0 with a framed WARNING that nothing was audited", () => {
    const d = decideAudit({ stdout: saved('registry-405.json'), stderr: NPM_405_STDERR, status: 1 });
    expect(d.outcome.kind).to.equal('unaudited');
    expect(d.exitCode).to.equal(0);
    expect(d.lines[0]).to.match(/^#+$/);
    expect(d.lines[1]).to.contain('WARNING: PRODUCTION DEPENDENCIES WERE NOT AUDITED.');
    expect(d.lines.join('\n')).to.contain('E405');
    expect(d.lines.at(-1)).to.match(/^#+$/);
  });

  it('with AUDIT_STRICT (strict: true) the same 405 fails (exit 1)', () => {
    const d = decideAudit({ stdout: saved('registry-405.json'), stderr: NPM_405_STDERR, status: 1 }, { strict: true });
    expect(d.exitCode).to.equal(1);
    expect(d.lines[1]).to.contain('FAILED: PRODUCTION DEPENDENCIES WERE NOT AUDITED');
  });

  it('a DNS failure (ENOTFOUND) is unaudited; an unknown npm failure without a report fails with npm\'s status', () => {
    const dns = decideAudit({ stdout: JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'getaddrinfo ENOTFOUND registry.npmjs.org' } }), stderr: '', status: 1 });
    expect([dns.outcome.kind, dns.exitCode]).to.deep.equal(['unaudited', 0]);
    const broken = decideAudit({ stdout: '', stderr: 'npm error code ELOCKVERIFY\nnpm error Errors were found in your package-lock.json\n', status: 2 });
    expect([broken.outcome.kind, broken.exitCode]).to.deep.equal(['failed', 2]);
    expect(broken.lines.join('\n')).to.contain('package-lock.json');
  });
});
