/**
 * A write-behind queue per key (a survey): values handed in while a write is under way are
 * merged into the next write (a group commit), one write at a time per key, with a pause
 * between writes while values keep coming, so a burst of answers costs one write of what they
 * touch rather than one write each. `settled` starts any paused write at once and waits, so
 * readers in this process always see what was handed in before they asked.
 */
export interface WriteBehindOptions<T> {
  empty: () => T;
  merge: (into: T, from: T) => void;
  write: (key: string, value: T) => Promise<void>;
  /** The pause before the next write while busy. */
  busyPauseMs: number;
  onFailure?: (key: string, err: unknown) => void;
}

interface Batch<T> {
  value: T;
  done: Promise<void>;
  settle: (err?: unknown) => void;
}

interface Queue<T> {
  /** The write under way. */
  flight?: Promise<void>;
  /** The pause before the next write while values keep coming. */
  timer?: NodeJS.Timeout;
  /** Values waiting for it. */
  next?: Batch<T>;
}

export class WriteBehind<T> {
  private readonly queues = new Map<string, Queue<T>>();

  constructor(private readonly options: WriteBehindOptions<T>) {}

  /** Resolves once the value is written (merged with others), rejects when that write fails. */
  add(key: string, value: T): Promise<void> {
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = {}));
    const batch = (queue.next ??= this.newBatch());
    this.options.merge(batch.value, value);
    if (!queue.flight && !queue.timer) this.startNext(key, queue);
    return batch.done;
  }

  /** Resolves when every value added so far (for one key, or all) has been written or has failed. */
  async settled(key?: string): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      const queues = [...this.queues].filter(([k]) => key === undefined || k === key);
      for (const [k, q] of queues) this.hurry(k, q);
      // Only the writes under way: when one ends, the values that came meanwhile wait for the busy
      // pause, and the next round starts them at once (waiting for their batch would sit out the pause).
      const waiting = queues.map(([, q]) => q.flight ?? q.next?.done).filter(Boolean);
      if (!waiting.length) return;
      await Promise.allSettled(waiting);
    }
  }

  private newBatch(): Batch<T> {
    let settle: Batch<T>['settle'] = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      settle = (err) => (err === undefined ? resolve() : reject(err));
    });
    return { value: this.options.empty(), done, settle };
  }

  private startNext(key: string, queue: Queue<T>): void {
    const batch = queue.next;
    if (!batch) {
      this.queues.delete(key);
      return;
    }
    queue.next = undefined;
    queue.flight = this.options
      .write(key, batch.value)
      .then(
        () => batch.settle(),
        (err: unknown) => {
          this.options.onFailure?.(key, err);
          batch.settle(err ?? new Error('write failed'));
        },
      )
      .finally(() => {
        queue.flight = undefined;
        if (!queue.next) return this.startNext(key, queue);
        queue.timer = setTimeout(() => {
          queue.timer = undefined;
          this.startNext(key, queue);
        }, this.options.busyPauseMs);
        queue.timer.unref();
      });
  }

  private hurry(key: string, queue: Queue<T>): void {
    if (!queue.timer) return;
    clearTimeout(queue.timer);
    queue.timer = undefined;
    this.startNext(key, queue);
  }
}
