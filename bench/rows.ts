// Turns the measurements into the results table: each figure, its target, the value, pass or miss.
import type { AnalyticsStep, StepResult } from './analytics-step.js';
import type { StepOutcome } from './analytics.js';
import type { FillResult } from './data.js';
import { sizeLabel, type BenchArgs } from './lib/args.js';
import type { LoadResult } from './lib/load.js';
import type { Machine } from './lib/machine.js';
import { checked, formatNumber, row, type ResultRow } from './lib/report.js';
import type { FormPageResults } from './form-pages.js';
import type { PageWeight } from './pages.js';
import type { SubmissionResults } from './submission.js';

export interface BenchResults {
  args: BenchArgs;
  machine: Machine;
  /** Seconds per phase. */
  phases: Record<string, number>;
  submission?: SubmissionResults;
  pages: { weight: PageWeight; load: LoadResult }[];
  formPages?: FormPageResults;
  bundle?: { bytes: number; encoding: string };
  fills: FillResult[];
  analytics: Record<string, Record<AnalyticsStep, StepOutcome>>;
}

const KB = 1024;
const ok = (o: StepOutcome | undefined): o is StepResult => o?.type === 'result';
const ms = (v: number): string => (v < 100 ? `${formatNumber(v, 1)} ms` : v < 10_000 ? `${formatNumber(v, 0)} ms` : `${formatNumber(v / 1000, 1)} s`);
const loadLine = (r: LoadResult): string => `${formatNumber(r.perSecond, 0)}/s, p50 ${formatNumber(r.p50Ms, 1)} ms, p99 ${formatNumber(r.p99Ms, 1)} ms`;

const cpuLine = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? 'n/a' : `${formatNumber(v, 2)} ms`);

const threeXx = (r: LoadResult): number => Object.entries(r.statusCodes).reduce((n, [code, count]) => n + (code.startsWith('3') ? count : 0), 0);

function submissionRows(s: SubmissionResults): ResultRow[] {
  // The target compares the app with the raw driver inserting the same documents: the app's
  // price for validation, rate limiting, idempotency (the submission key), the change log and
  // the analytical copy.
  const ratio = s.app.perSecond / s.rawInsert.perSecond;
  const acknowledged = threeXx(s.app);
  // Requests cut off when the load stops may still be stored, never the other way round.
  const storedOk = s.appStored >= acknowledged && s.appStored - acknowledged <= s.app.connections && s.appSpam === 0;
  return [
    row(`Submit: app, full HTTP form post (${s.app.connections} connections, ${Math.round(s.app.durationS)} s)`, '', loadLine(s.app), 'info', '', { value: s.app.perSecond, unit: 'req/s' }),
    checked('Submit: answers other than 2xx/3xx, errors, timeouts', '', s.app.bad, '', '0', (v) => v === 0),
    row(`Submit: raw driver, insert only (${s.rawInsert.connections} concurrent)`, '', loadLine(s.rawInsert), 'info', '', { value: s.rawInsert.perSecond, unit: 'ops/s' }),
    checked('Submit: ratio app / raw driver (insert of the same documents)', '', ratio, '', '≥ 0.9', (v) => v >= 0.9, 2),
    row('Submit: CPU per answer, app run (app process / database server / load generator)', '', `${cpuLine(s.cpu.app.appMs)} / ${cpuLine(s.cpu.app.dbMs)} / ${cpuLine(s.cpu.app.benchMs)}`, 'info', '', { value: s.cpu.app.dbMs, unit: 'ms database CPU per answer' }),
    row('Submit: CPU per insert, raw run (database server / driver loop)', '', `${cpuLine(s.cpu.rawInsert.dbMs)} / ${cpuLine(s.cpu.rawInsert.benchMs)}`, 'info', '', { value: s.cpu.rawInsert.dbMs, unit: 'ms database CPU per insert' }),
    row('Submit: app peak RSS under load', '', `${formatNumber(s.appPeakRssMb, 0)} MB`, 'info', '', { value: s.appPeakRssMb, unit: 'MB' }),
    row('Submit: responses stored vs 3xx answers (cut-off requests may add up to one per connection; none kept apart as spam)', '', `${formatNumber(s.appStored, 0)} stored, ${formatNumber(acknowledged, 0)} answered (spam ${s.appSpam})`, storedOk ? 'pass' : 'miss', 'stored ≥ answered, 0 spam'),
  ];
}

function pageRows(pages: BenchResults['pages']): ResultRow[] {
  return pages.flatMap(({ weight, load }) => {
    const biggest = weight.largestScript;
    return [
      row(`Page ${weight.path}: requests/s (view cache on, gzip)`, '', loadLine(load), load.bad ? 'miss' : 'info', '', { value: load.perSecond, unit: 'req/s' }),
      checked(`Page ${weight.path}: first visit, gzip (${weight.assets.filter((a) => a.status < 400).map((a) => a.kind).join(' + ')})`, '', weight.totalBytes / KB, 'KB', '≤ 30 KB', (v) => v <= 30, 1),
      checked(`Page ${weight.path}: largest script${biggest ? ` (${biggest.url})` : ''}`, '', (biggest?.bytes ?? 0) / KB, 'KB gzip', '≤ 20 KB', (v) => v <= 20, 1),
      row(`Page ${weight.path}: scripts mentioning "chart"`, '', weight.chartScripts.join(', ') || 'none', weight.chartScripts.length ? 'miss' : 'pass', 'none'),
    ];
  });
}

function formPageRows(f: FormPageResults): ResultRow[] {
  const n = f.form.connections;
  const ramp = (r: FormPageResults['form']): string =>
    `all answered after ${Number.isNaN(r.rampMs) ? 'more than the ramp limit' : ms(r.rampMs)}; first answer p50 ${ms(r.firstAnswer.p50Ms)}, p99 ${ms(r.firstAnswer.p99Ms)}, max ${ms(r.firstAnswer.maxMs)}`;
  return [
    checked(`Form ${f.path} under load (${n} connections, gzip): pages/s`, '', f.form.perSecond, 'pages/s', '≥ 1,000', (v) => v >= 1000),
    checked(`Form ${f.path} under load (${n} connections): p99 once all are connected (p50 ${formatNumber(f.form.p50Ms, 1)} ms)`, '', f.form.p99Ms, 'ms', '< 500 ms', (v) => v < 500),
    checked(`Form ${f.path} under load: answers other than 2xx, errors, timeouts`, '', f.form.bad, '', '0', (v) => v === 0),
    row(`Form ${f.path}: ${n} clients connecting at once`, '', ramp(f.form), 'info', '', { value: f.form.firstAnswer.p99Ms, unit: 'ms first-answer p99' }),
    row(`Form ${f.path}: two pages carry different submission ids, each with a form token`, '', f.distinctPerRequestParts ? 'yes' : 'no', f.distinctPerRequestParts ? 'pass' : 'miss', 'yes'),
    row(`Bare Express "hello" route, same process, same run (${f.hello.connections} connections)`, '', `${loadLine(f.hello)}; ${ramp(f.hello)}`, 'info', '', { value: f.hello.perSecond, unit: 'req/s' }),
    row('Ratio form pages/s ÷ hello answers/s', '', formatNumber(f.ratio, 2), 'info', '', { value: f.ratio }),
  ];
}

function sizeRows(label: string, steps: Record<AnalyticsStep, StepOutcome>, fill: FillResult | undefined): ResultRow[] {
  const out: ResultRow[] = [];
  if (fill && !fill.reused) out.push(row('Data: insert rate (seedDemoSurvey, unordered batches of 2,000)', label, `${formatNumber(fill.perSecond, 0)} responses/s (insert ${formatNumber(fill.insertMs / 1000, 0)} s)`, 'info', '', { value: fill.perSecond, unit: 'responses/s' }));
  const failed = (step: AnalyticsStep, figure: string, target = ''): ResultRow | null => {
    const o = steps[step];
    if (ok(o)) return null;
    return o ? row(figure, label, `over time or failed after ${formatNumber(o.afterS, 0)} s`, 'miss', target) : row(figure, label, 'not run (--steps)', 'skipped', target);
  };
  const c = steps.copy;
  const cFigure = 'Analytical copy: filled from MongoDB (a new instance or a lost file), responses/s, beside the raw driver reading the same documents';
  out.push(failed('copy', cFigure) ?? row(cFigure, label, ok(c) ? `${formatNumber(c.parts.perSecond!, 0)}/s (${formatNumber(c.ms / 1000, 1)} s for ${formatNumber(Number(c.detail.responses), 0)}); raw read ${formatNumber(c.parts.rawPerSecond!, 0)}/s (${formatNumber(c.parts.rawReadMs! / 1000, 1)} s); peak RSS ${formatNumber(c.peakRssMb, 0)} MB` : '', 'info', '', { value: ok(c) ? c.parts.perSecond! : NaN, unit: 'responses/s' }));
  const r = steps.ranking;
  out.push(failed('ranking', 'Unfiltered topic ranking (analytical copy), median of 100', '< 50 ms') ?? checked('Unfiltered topic ranking (analytical copy), median of 100', label, ok(r) ? r.ms : NaN, 'ms', '< 50 ms', (v) => v < 50, 1));
  if (ok(r) && r.parts.rawRead !== undefined) out.push(row('Raw driver: read one response by _id, median of 100 (the floor)', label, ms(r.parts.rawRead), 'info', '', { value: r.parts.rawRead, unit: 'ms' }));
  const v = steps.views;
  const vFigure = 'Every dashboard JSON view (topics, summary, group comparison, weighted) with lang=es, age 35–54, children, since 2026-03-15: the slowest view, median of 10';
  const vFailed = failed('views', vFigure, '< 100 ms');
  if (vFailed || !ok(v)) out.push(vFailed ?? row(vFigure, label, 'not run', 'skipped'));
  else out.push({ ...checked(vFigure, label, v.ms, 'ms', '< 100 ms', (x) => x < 100, 1), measured: `${ms(v.ms)} (topics ${ms(v.parts.topics!)}, summary ${ms(v.parts.summary!)}, compare ${ms(v.parts.compare!)}, weighted ${ms(v.parts.weighted!)}; unfiltered topics ${ms(v.parts.unfiltered!)}; ${formatNumber(Number(v.detail.n), 0)} matching)` });
  if (ok(v) && v.detail.indexBuildMs !== undefined) out.push(row('Counter index of the filtered views: built once the copy is whole (at each start, in the background)', label, ms(Number(v.detail.indexBuildMs)), 'info', '', { value: Number(v.detail.indexBuildMs), unit: 'ms' }));
  const f = steps.filtered;
  const fFigure = 'Filtered view lang=es: ranking + group comparison from the analytical copy, median of 10';
  const fTarget = '';
  const fFailed = failed('filtered', fFigure, fTarget);
  if (fFailed || !ok(f)) out.push(fFailed ?? row(fFigure, label, 'not run', 'skipped'));
  else {
    const detail = `${ms(f.ms)} (${formatNumber(Number(f.detail.n), 0)} matching)`;
    out.push(fTarget ? { ...checked(fFigure, label, f.ms / 1000, 's', fTarget, (v) => v < 1, 3), measured: detail } : row(fFigure, label, detail, 'info', '', { value: f.ms, unit: 'ms' }));
    if (f.parts.rawScan !== undefined) {
      out.push(row('Raw driver: read the same lang=es documents from MongoDB, no processing (the least counting there would cost)', label, ms(f.parts.rawScan!), 'info', '', { value: f.parts.rawScan!, unit: 'ms' }));
    }
  }
  const d = steps.dashboard;
  const dFigure = 'Dashboard page over HTTP (signed in, whole page), filtered (lang=es; three conditions and dates): the slower, median of 10';
  const dFailed = failed('dashboard', dFigure, '< 300 ms');
  if (dFailed || !ok(d)) out.push(dFailed ?? row(dFigure, label, 'not run', 'skipped'));
  else out.push({ ...checked(dFigure, label, d.ms, 'ms', '< 300 ms', (x) => x < 300, 1), measured: `${ms(d.ms)} (lang=es ${ms(d.parts.langEs!)}, three conditions ${ms(d.parts.threeConditions!)}, unfiltered ${ms(d.parts.unfiltered!)})` });
  const o = steps.openText;
  const oFigure = 'Open answers (unfiltered, first page, with the word and topic analysis of every answer)';
  out.push(failed('openText', oFigure, '< 200 ms') ?? { ...checked(oFigure, label, ok(o) ? o.ms : NaN, 'ms', '< 200 ms', (x) => x < 200, 1), measured: ok(o) ? `${ms(o.ms)} (${formatNumber(Number(o.detail.answers), 0)} answers)` : '' });
  const p = steps.pdf;
  out.push(failed('pdf', 'Board summary PDF (model + render), median of 3') ?? row('Board summary PDF (model + render), median of 3', label, ok(p) ? `${ms(p.ms)} (first, cold: ${ms(p.parts.coldModel! + p.parts.coldRender!)})` : '', 'info', '', { value: ok(p) ? p.ms : NaN, unit: 'ms' }));
  const dupFigure = 'Submission POST over HTTP: new vs duplicate (same sid and body, a retry), median of each, duplicate / new';
  const dup = steps.duplicate;
  const dupFailed = failed('duplicate', dupFigure, '≈ 1 (≤ 2)');
  if (dupFailed || !ok(dup)) out.push(dupFailed ?? row(dupFigure, label, 'not run', 'skipped'));
  else out.push({ ...checked(dupFigure, label, dup.parts.ratio!, '', '≈ 1 (≤ 2)', (v) => v <= 2, 2), measured: `new ${ms(dup.parts.newMs!)}, duplicate ${ms(dup.parts.duplicateMs!)}: ${formatNumber(dup.parts.ratio!, 2)} (${formatNumber(Number(dup.detail.pairs), 0)} pairs)` });
  const peaks = Object.values(steps).filter(ok);
  const top = peaks.reduce<StepResult | undefined>((m, s) => (!m || s.peakRssMb > m.peakRssMb ? s : m), undefined);
  if (top) out.push(checked(`App peak RSS, highest step (${peaks.map((s) => `${s.step} ${formatNumber(s.peakRssMb, 0)}`).join(', ')} MB)`, label, top.peakRssMb, 'MB', '< 512 MB', (v) => v < 512));
  return out;
}

export function buildRows(r: BenchResults): ResultRow[] {
  const rows: ResultRow[] = [];
  if (r.submission) rows.push(...submissionRows(r.submission));
  rows.push(...pageRows(r.pages));
  if (r.formPages) rows.push(...formPageRows(r.formPages));
  if (r.bundle) rows.push(checked('Dashboard JavaScript (dashboard.bundle.js)', '', r.bundle.bytes / KB, 'KB gzip', '≤ 250 KB', (v) => v <= 250, 1));
  for (const [label, steps] of Object.entries(r.analytics)) rows.push(...sizeRows(label, steps, r.fills.find((f) => sizeLabel(f.size) === label)));
  const labels = Object.keys(r.analytics);
  const [firstViews, lastViews] = [r.analytics[labels[0]!]?.views, r.analytics[labels.at(-1)!]?.views];
  if (labels.length > 1 && ok(firstViews) && ok(lastViews)) rows.push(checked(`Filtered views time ratio ${labels.at(-1)} / ${labels[0]} (three conditions and dates, slowest view)`, '', lastViews.ms / firstViews.ms, '', '≤ 3', (v) => v <= 3, 2));
  const [first, last] = [r.analytics[labels[0]!]?.ranking, r.analytics[labels.at(-1)!]?.ranking];
  if (labels.length > 1 && ok(first) && ok(last)) {
    rows.push(checked(`Unfiltered ranking time ratio ${labels.at(-1)} / ${labels[0]} (must not grow)`, '', last.ms / first.ms, '', '≤ 1.5', (v) => v <= 1.5, 2));
    const [rawFirst, rawLast] = [first.parts.rawRead, last.parts.rawRead];
    if (rawFirst !== undefined && rawLast !== undefined) {
      rows.push(row(`Unfiltered ranking ${labels.at(-1)} / ${labels[0]}: raw driver reading one response by _id (the database's floor) / the ranking`, '', `${formatNumber(rawLast / rawFirst, 2)} (${ms(rawFirst)} → ${ms(rawLast)}) / ${formatNumber((last.ms - rawLast) / (first.ms - rawFirst), 2)} (${ms(first.ms - rawFirst)} → ${ms(last.ms - rawLast)})`, 'info', ''));
    }
  }
  return rows;
}
