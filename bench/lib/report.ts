import fs from 'node:fs/promises';
import path from 'node:path';
import type { Machine } from './machine.js';

export type Verdict = 'pass' | 'miss' | 'info' | 'skipped';

/** One line of the results table. */
export interface ResultRow {
  figure: string;
  /** Data set size the figure was measured at ('' when it does not depend on one). */
  size: string;
  target: string;
  measured: string;
  verdict: Verdict;
  /** The number behind `measured`, for the JSON file. */
  value?: number;
  unit?: string;
}

export function row(figure: string, size: string, measured: string, verdict: Verdict, target = '', extra: { value?: number; unit?: string } = {}): ResultRow {
  return { figure, size, target, measured, verdict, ...extra };
}

/** A figure with a target: `ok` says whether the value meets it. */
export function checked(figure: string, size: string, value: number, unit: string, target: string, ok: (v: number) => boolean, digits = 0): ResultRow {
  const measured = Number.isFinite(value) ? `${formatNumber(value, digits)} ${unit}`.trim() : 'not measured';
  return row(figure, size, measured, Number.isFinite(value) ? (ok(value) ? 'pass' : 'miss') : 'skipped', target, { value, unit });
}

export function formatNumber(v: number, digits = 0): string {
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const VERDICT: Record<Verdict, string> = { pass: 'pass', miss: '**MISS**', info: '', skipped: 'skipped' };

/** The results as a Markdown table (printed, and pasted into README's Performance section). */
export function markdownTable(rows: ResultRow[]): string {
  const header = ['figure', 'size', 'target', 'measured', 'result'];
  const lines = rows.map((r) => [r.figure, r.size, r.target, r.measured, VERDICT[r.verdict]]);
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...lines.map((l) => `| ${l.map(esc).join(' | ')} |`)].join('\n');
}

export function machineLine(m: Machine): string {
  return `${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB RAM, Node ${m.node}, ${m.database}, load average ${m.loadBefore.join(' / ')} before and ${m.loadAfter.join(' / ')} after (1/5/15 min)`;
}

/** Writes the results as `bench/results/<prefix><timestamp>.json` and returns the path. */
export async function writeResults(dir: string, report: Record<string, unknown>, prefix = ''): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `${prefix}${stamp}.json`);
  await fs.writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
