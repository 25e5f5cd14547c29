/**
 * The event store port. Every adapter (SQLite, PostgreSQL, KurrentDB) implements it and
 * passes the same conformance suite (`conformance/event-store.conformance.ts`).
 *
 * Positions and revisions are JavaScript numbers: SQLite and PostgreSQL positions are
 * 64-bit sequence values, KurrentDB positions are byte offsets in its transaction log;
 * both stay far below 2^53 for the lifetime of a ledger, and numbers keep the hot paths
 * free of BigInt conversions.
 */

/** Who did it: the authenticated subject, their role and the region their token is scoped to. */
export interface Actor {
  id: string;
  role: string;
  region?: string;
}

export interface EventMetadata {
  eventId: string;
  /** ISO-8601 instant at which the command was decided (comes from the command, not the store). */
  occurredAt: string;
  actor?: Actor;
  correlationId?: string;
  causationId?: string;
  schemaVersion: number;
  [extra: string]: unknown;
}

/** An event as the domain writes it: plain data, `type` a stable string never derived from a class name. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  metadata: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  streamId: string;
  /** 0-based position of the event within its stream. */
  revision: number;
  /** Position in the global log: strictly increasing in commit order. */
  position: number;
  /** ISO-8601 instant at which the store committed the event. */
  recordedAt: string;
}

/**
 * What the writer expects of a stream before appending:
 * - `any`: no check;
 * - `no_stream`: the stream must not exist;
 * - `exists`: the stream must have at least one event;
 * - a number: the revision of the stream's last event must be exactly this.
 */
export type ExpectedState = 'any' | 'no_stream' | 'exists' | number;

export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedState;
}

export interface AppendResult {
  /** Revision of the last event written to each stream, in the order of the request. */
  streams: { streamId: string; revision: number }[];
  /** Global position of the last event written: the consistency token of the write. */
  position: number;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: Direction;
  /** Inclusive. Defaults to the first event (forwards) or the last one (backwards). */
  fromRevision?: number;
  maxCount?: number;
}

export interface LogFilter {
  /** Only events of these types. */
  types?: readonly string[];
  /** Only events of streams in these categories (the part of the stream id before the first '-'). */
  categories?: readonly string[];
}

export interface ReadAllOptions extends LogFilter {
  /** Exclusive: events strictly after this position. 0 (the default) reads from the start. */
  after?: number;
  maxCount?: number;
}

export interface SubscribeOptions extends LogFilter {
  /** Exclusive checkpoint: delivery starts with the first event after it. */
  after: number;
  batchSize?: number;
  signal?: AbortSignal;
}

export interface EventStore {
  /** Which adapter this is, for logs, health and metrics. */
  readonly kind: StoreKind;

  /**
   * Appends to one or several streams atomically: if any stream's expectation fails,
   * nothing is written and `WrongExpectedVersionError` names that stream.
   */
  append(appends: StreamAppend[]): Promise<AppendResult>;

  /** Events of one stream; an unknown stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** A page of the global log in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /**
   * The global log after `after`, page by page (`maxCount` events each), until a page comes
   * back empty. The next page is read while the caller works on the current one, so a
   * rebuild's reads overlap its writes. Breaking out of the loop releases the reader.
   */
  readAllPages(options?: ReadAllOptions): AsyncIterable<RecordedEvent[]>;

  /**
   * Catch-up then live delivery of the global log in position order, batch by batch,
   * never skipping an event. The iteration ends when `signal` aborts.
   */
  subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent[]>;

  /** Position of the last committed event (0 for an empty log). */
  headPosition(): Promise<number>;

  /** Cheap reachability check for health endpoints. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

export type StoreKind = 'sqlite' | 'postgres' | 'kurrentdb';

/** Category of a stream id: `enrollment-7f3…` → `enrollment`. */
export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}
