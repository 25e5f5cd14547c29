import type { ReadAllOptions, RecordedEvent, SubscribeOptions } from './port';

/**
 * Catch-up then live delivery for stores whose global log can be paged by position
 * (SQLite, PostgreSQL). Correctness rests on one property each adapter guarantees:
 * an event becomes visible only after every event with a lower position is visible,
 * so "everything after my checkpoint" never misses a late commit.
 *
 * Between pages the loop sleeps until `wake` signals an append (in-process or via
 * LISTEN/NOTIFY) or `idleMs` passes, which also covers writers in other processes.
 */
export async function* pollingSubscription(
  readPage: (options: ReadAllOptions) => Promise<RecordedEvent[]>,
  wake: (signal: AbortSignal, idleMs: number) => Promise<void>,
  options: SubscribeOptions,
  idleMs = 100,
): AsyncGenerator<RecordedEvent[]> {
  const { signal, batchSize = 1000, types, categories } = options;
  let after = options.after;
  while (!signal?.aborted) {
    const page = await readPage({ after, maxCount: batchSize, types, categories });
    if (page.length > 0) {
      after = page[page.length - 1].position;
      yield page;
      continue;
    }
    await wake(signal ?? new AbortController().signal, idleMs);
  }
}

/** A wake-up signal fired by appends in this process; waiters time out after `idleMs`. */
export class AppendSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const resolve of waiters) resolve();
  }

  wait = (signal: AbortSignal, idleMs: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, idleMs);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
}
