import fs from 'node:fs';

/** Milliseconds since an arbitrary point, with sub-millisecond resolution. */
export const now = (): number => Number(process.hrtime.bigint()) / 1e6;

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);

const MB = 1024 * 1024;

function statusKb(field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Resets this process's peak RSS to its current RSS (Linux ≥ 4.0); false where that is not possible. */
function resetPeak(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export interface MemoryWindow {
  /** RSS when the window opened, MB. */
  startRssMb: number;
  /** The process's highest RSS while the window was open, MB. */
  peakRssMb: number;
  /** How the peak was taken: the kernel's high-water mark (exact) or 10 ms samples (misses peaks inside synchronous work). */
  method: 'VmHWM' | 'sampled';
}

/**
 * Measures this process's peak RSS while `fn` runs: the kernel's high-water mark, reset just
 * before (exact, also inside synchronous code), else `process.memoryUsage().rss` every 10 ms.
 */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; memory: MemoryWindow }> {
  const startRss = process.memoryUsage().rss;
  const exact = resetPeak() && statusKb('VmHWM') !== null;
  let sampled = startRss;
  const timer = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 10);
  try {
    const result = await fn();
    sampled = Math.max(sampled, process.memoryUsage().rss);
    const peak = exact ? (statusKb('VmHWM') ?? 0) * 1024 : sampled;
    return { result, memory: { startRssMb: startRss / MB, peakRssMb: Math.max(peak, sampled) / MB, method: exact ? 'VmHWM' : 'sampled' } };
  } finally {
    clearInterval(timer);
  }
}
