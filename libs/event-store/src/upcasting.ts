import type {
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
} from './port';

/**
 * Turns an event written under an older schema version into the current shape.
 * Old events are upcast when read and never rewritten in the store.
 */
export type Upcaster = (event: RecordedEvent) => RecordedEvent;

/** Registry keyed by event type: each entry lifts `schemaVersion` n to n+1. */
export type UpcasterTable = Record<string, Record<number, (data: unknown) => unknown>>;

export function upcasterFrom(table: UpcasterTable): Upcaster {
  return (event) => {
    const steps = table[event.type];
    if (!steps) return event;
    let version = event.metadata.schemaVersion ?? 1;
    let data = event.data;
    while (steps[version]) {
      data = steps[version](data);
      version += 1;
    }
    if (version === event.metadata.schemaVersion) return event;
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
  };
}

/** Wraps a store so every read path (stream, log, subscription) returns upcast events. */
export function withUpcasting(store: EventStore, upcast: Upcaster): EventStore {
  const all = (events: RecordedEvent[]) => events.map(upcast);
  return {
    kind: store.kind,
    append: (appends: StreamAppend[]) => store.append(appends),
    readStream: async (id: string, o?: ReadStreamOptions) => all(await store.readStream(id, o)),
    readAll: async (o?: ReadAllOptions) => all(await store.readAll(o)),
    readAllPages: (o?: ReadAllOptions) => ({
      async *[Symbol.asyncIterator]() {
        for await (const page of store.readAllPages(o)) yield all(page);
      },
    }),
    subscribe: (o: SubscribeOptions) => ({
      async *[Symbol.asyncIterator]() {
        for await (const batch of store.subscribe(o)) yield all(batch);
      },
    }),
    headPosition: () => store.headPosition(),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
