// Runs each analytics step in its own child process (bench/analytics-step.ts) with a time limit.
import { sizeLabel } from './lib/args.js';
import { forkTs, nextMessage, stopChild } from './lib/child.js';
import type { AnalyticsStep, StepResult } from './analytics-step.js';
import { BENCH_SLUG } from './data.js';
import { fromRoot } from '../server/paths.js';

export const STEPS: AnalyticsStep[] = ['copy', 'ranking', 'filtered', 'views', 'dashboard', 'openText', 'pdf', 'duplicate'];

/** The analytical copy the steps share at one size (filled by the `copy` step). */
const copyFile = (size: number): string => fromRoot('bench', '.data', `analytics-${sizeLabel(size)}.duckdb`);

export type StepOutcome = StepResult | { type: 'failed'; step: AnalyticsStep; reason: string; afterS: number };

export async function runAnalytics(uri: string, size: number, stepTimeoutS: number, log: (msg: string) => void, only?: readonly string[]): Promise<Record<AnalyticsStep, StepOutcome>> {
  const unknown = only?.filter((s) => !STEPS.includes(s as AnalyticsStep)) ?? [];
  if (unknown.length) throw new Error(`--steps: unknown ${unknown.join(', ')} (steps: ${STEPS.join(', ')})`);
  const out = {} as Record<AnalyticsStep, StepOutcome>;
  for (const step of STEPS.filter((s) => !only || only.includes(s))) {
    const started = Date.now();
    const child = forkTs('analytics-step.ts', { BENCH_URI: uri, BENCH_SLUG, BENCH_STEP: step, BENCH_STEP_TIMEOUT_S: String(stepTimeoutS), BENCH_COPY_FILE: copyFile(size) }, { execArgv: ['--expose-gc'] });
    try {
      const result = await nextMessage<StepResult>(child, 'result', stepTimeoutS * 1000);
      out[step] = result;
      log(`  ${sizeLabel(size)} ${step}: ${result.ms.toFixed(1)} ms, peak RSS ${result.peakRssMb.toFixed(0)} MB`);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      out[step] = { type: 'failed', step, reason, afterS: (Date.now() - started) / 1000 };
      log(`  ${sizeLabel(size)} ${step}: FAILED after ${Math.round((Date.now() - started) / 1000)} s: ${reason}`);
    } finally {
      await stopChild(child);
    }
  }
  return out;
}
