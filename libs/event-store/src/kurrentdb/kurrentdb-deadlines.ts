// Time limits of the KurrentDB adapter's calls, leaving no timer or listener behind.

/** Waits `ms` (forever for Infinity) or until `signal` aborts, leaving no timer or listener behind. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * `promise`, or `onTimeout()` thrown after `ms`, or `onAbort()` thrown when `signal` aborts;
 * a late settlement of `promise` is ignored. Leaves no timer or listener behind.
 */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  signal: AbortSignal | undefined,
  onTimeout: () => Error,
  onAbort: () => Error = onTimeout,
): Promise<T> {
  promise.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(onAbort());
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
    };
    const aborted = () => {
      settle();
      reject(onAbort());
    };
    // setTimeout fires at once for anything above 2^31-1 ms.
    const timer = setTimeout(
      () => {
        settle();
        reject(onTimeout());
      },
      Math.min(ms, 2 ** 31 - 1),
    );
    signal?.addEventListener('abort', aborted, { once: true });
    promise.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

/**
 * The records of a client read, each within `step`'s deadline. The client's reads go through
 * its native bridge, which takes neither a deadline nor a cancellation: a read that missed its
 * deadline is abandoned (its late result or failure is ignored).
 */
export async function* withDeadlines<T>(
  read: AsyncIterable<T>,
  step: (next: Promise<IteratorResult<T>>) => Promise<IteratorResult<T>>,
): AsyncGenerator<T> {
  const iterator = read[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  let finished = false;
  try {
    for (;;) {
      pending = iterator.next();
      const next = await step(pending);
      pending = undefined;
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (pending) pending.catch(() => undefined);
    else if (!finished) await iterator.return?.().catch(() => undefined);
  }
}
