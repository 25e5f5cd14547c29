import type { AppendResult, EventStore, StreamAppend } from './port';

export type Append = (appends: StreamAppend[]) => Promise<AppendResult>;

/**
 * The same store with every append passed through `around`, which calls the store's own
 * `append` and may act before and after it; the other methods are the store's.
 */
export function aroundAppend(
  store: EventStore,
  around: (appends: StreamAppend[], append: Append) => Promise<AppendResult>,
): EventStore {
  const append: Append = (appends) => store.append(appends);
  return {
    kind: store.kind,
    append: (appends) => around(appends, append),
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    readAllPages: (...args) => store.readAllPages(...args),
    subscribe: (...args) => store.subscribe(...args),
    headPosition: () => store.headPosition(),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

/**
 * The same store, calling `onAppended` after each append it committed; a refused or failed
 * append calls nothing. Readers in other threads or processes learn of a write this way
 * without waiting for their next poll.
 */
export function withAppendHook(store: EventStore, onAppended: (result: AppendResult) => void): EventStore {
  return aroundAppend(store, async (appends, append) => {
    const result = await append(appends);
    onAppended(result);
    return result;
  });
}
