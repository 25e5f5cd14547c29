import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  excludeSystemEvents,
  type AppendStreamRequest,
  type ReadAllOptions as ClientReadAllOptions,
} from '@kurrent/kurrentdb-client';
import { StoreUnavailableError, validateAppends } from '../errors';
import { readAhead } from '../read-ahead';
import type {
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
} from '../port';
import {
  StoreDeadlineError,
  isMultiStreamAppendUnsupported,
  isStreamNotFound,
  mapClientError,
  multiStreamAppendUnsupported,
  reasonOf,
} from './kurrentdb-errors';
import {
  type LogEntry,
  checkAppendResult,
  takePage,
  toEventData,
  toLogEntry,
  validateKurrentAppends,
} from './kurrentdb-events';
import {
  buildLogFilter,
  positionToNumber,
  revisionToNumber,
  toReadPosition,
  toStreamState,
} from './kurrentdb-mapping';
import { connectionSettings } from './kurrentdb-connection';
import { withDeadline, withDeadlines } from './kurrentdb-deadlines';
import { followAll, type SubscriptionSource } from './kurrentdb-subscription';

export interface KurrentDbEventStoreOptions {
  /**
   * e.g. `kurrentdb://localhost:2113?tls=false`; credentials, TLS and `defaultDeadline` (the
   * deadline of every step, 10 s by default) as the client documents them.
   */
  connectionString: string;
  /** How long `create` waits for the server to answer a first read before giving up. */
  connectTimeoutMs?: number;
}

const CONNECT_TIMEOUT_MS = 5_000;
/** Default page of `readAll` and batch of `subscribe`, the same as the SQL adapters. */
const DEFAULT_PAGE = 1000;

/**
 * The event store on KurrentDB (formerly EventStoreDB). Streams are KurrentDB streams, the
 * global log is `$all` and positions are commit positions in KurrentDB's transaction log,
 * which the server assigns in commit order: a subscriber can never see position N+1 before N.
 *
 * - Single-stream appends use the classic append (any server version); appends to several
 *   streams use the atomic multi-stream append of KurrentDB 25.1+ and are refused with
 *   MultiStreamAppendUnsupportedError on older servers, never split into separate appends.
 *   What the server would refuse ('$' streams, types outside its pattern, two streams equal
 *   ignoring case) is refused before sending; `throwOnAppendFailure=false` is refused at start.
 * - `$all` also carries KurrentDB's own records (types starting with '$': statistics, links,
 *   the tombstones of hard-deleted streams); reads, subscriptions and the head position leave
 *   them out, but paging and subscription checkpoints move past them.
 * - Every step of a read (each record), the start of a subscription, every append and ping
 *   waits at most the connection string's `defaultDeadline`. A live subscription may be quiet
 *   for as long as the log is; the gRPC keep-alive notices a dead connection.
 * - Subscriptions keep no server-side state: the caller's checkpoint is the position. A
 *   checkpoint beyond the end of the log (a reset or restored server) is refused.
 * - A log holding explicit transactions of the legacy TCP API (events sharing one commit
 *   position) is refused when such an event is read: see toLogEntry.
 */
export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb' as const;
  private closed = false;
  /** Aborted by close(): ends pending steps and paused or live subscriptions. */
  private readonly closing = new AbortController();

  private constructor(
    private readonly client: KurrentDBClient,
    /** The server without credentials, for messages. */
    private readonly target: string,
    private readonly deadlineMs: number,
  ) {}

  /**
   * A store over the connection string without contacting the server (the client connects
   * on first use). Invalid connection strings and `throwOnAppendFailure=false` are refused here.
   */
  static open({ connectionString }: KurrentDbEventStoreOptions): KurrentDbEventStore {
    const { target, deadlineMs } = connectionSettings(connectionString);
    let client: KurrentDBClient;
    try {
      client = KurrentDBClient.connectionString(connectionString);
    } catch (error) {
      const reason = `invalid KurrentDB connection string for ${target}: ${reasonOf(error)}`;
      throw new StoreUnavailableError(reason, { cause: error });
    }
    return new KurrentDbEventStore(client, target, deadlineMs);
  }

  /** Connects and verifies the server answers within `connectTimeoutMs`, so startup fails loudly, not the first request. */
  static async create(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const store = KurrentDbEventStore.open(options);
    const timeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    try {
      await withDeadline(
        store.logEnd('connect'),
        timeoutMs,
        undefined,
        () => new StoreDeadlineError('connect', store.target, timeoutMs, 'connectTimeoutMs'),
      );
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async append(appends: StreamAppend[]): Promise<AppendResult> {
    validateAppends(appends);
    validateKurrentAppends(appends);
    this.assertOpen();
    return appends.length === 1 ? this.appendToOne(appends[0]) : this.appendToMany(appends);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const { fromRevision, maxCount = Number.MAX_SAFE_INTEGER } = options;
    if (maxCount <= 0 || (backwards && fromRevision !== undefined && fromRevision < 0)) return [];
    const from =
      fromRevision === undefined || (!backwards && fromRevision <= 0)
        ? backwards
          ? END
          : START
        : BigInt(fromRevision);
    const operation = `read stream ${streamId}`;
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: from,
        maxCount,
      });
      for await (const resolved of withDeadlines(read, (next) => this.step(next, operation))) {
        const { event } = toLogEntry(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw mapClientError(error, { operation, target: this.target });
    }
    return events;
  }

  /**
   * A page of `$all` after a position. KurrentDB reads from a position inclusively, so the
   * event at exactly `after` is dropped. The server filters on one dimension and drops system
   * events; what it cannot filter (types when categories are given, tombstones when categories
   * are given) is filtered here, and further pages are read until `maxCount` events matched or
   * the log ends, so a short page always means "nothing more yet".
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllUntil(options, this.closing.signal);
  }

  readAllPages(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent[]> {
    return readAhead((page) => this.readAll(page), options);
  }

  subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent[]> {
    return followAll(this.subscriptionSource(), options);
  }

  /** Position of the last event that is not KurrentDB's own (0 when there is none). */
  async headPosition(): Promise<number> {
    this.assertOpen();
    const [last] = await this.readAllRecords(
      { direction: BACKWARDS, fromPosition: END, maxCount: 1, filter: excludeSystemEvents() },
      'read the head of $all',
      this.closing.signal,
    );
    return last?.event?.position ?? 0;
  }

  /** The last record of `$all`, whatever it is, read within the deadline. */
  async ping(): Promise<void> {
    this.assertOpen();
    await this.logEnd('ping');
  }

  /** Ends the client's streams, pending reads and every subscription (they end quietly); idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    await this.client.dispose();
  }

  // -------------------------------------------------------------------------------------------

  private async appendToOne(append: StreamAppend): Promise<AppendResult> {
    const { streamId, events, expected } = append;
    const data = events.map((event) => toEventData(streamId, event, 'json'));
    const operation = `append to ${streamId}`;
    let result;
    try {
      result = checkAppendResult(
        await this.step(
          this.client.appendToStream(streamId, data, { streamState: toStreamState(expected) }),
          operation,
        ),
        append,
      );
    } catch (error) {
      throw mapClientError(error, { operation, target: this.target, appends: [append] });
    }
    const revision = revisionToNumber(result.nextExpectedRevision);
    // The server answers with the position of the append's last event; a retried append whose
    // event ids were already written is acknowledged without one, so it is read back.
    const commit = result.position?.commit ?? -1n;
    const position = commit > 0n ? positionToNumber(commit) : await this.lastPositionOf([streamId]);
    return { streams: [{ streamId, revision }], position };
  }

  /**
   * The atomic multi-stream append (KurrentDB 25.1+, `multiStreamAppend` over the v2
   * AppendSession API): all streams are written in one transaction or none is. Its metadata
   * must be string-valued, hence the 'properties' encoding (see METADATA_PROPERTY).
   */
  private async appendToMany(appends: StreamAppend[]): Promise<AppendResult> {
    const requests: AppendStreamRequest[] = appends.map(({ streamId, events, expected }) => ({
      streamName: streamId,
      expectedState: toStreamState(expected),
      events: events.map((event) => toEventData(streamId, event, 'properties')),
    }));
    const operation = `append to ${appends.map((a) => a.streamId).join(', ')}`;
    let result;
    try {
      result = await this.step(this.client.multiStreamAppend(requests), operation);
    } catch (error) {
      if (isMultiStreamAppendUnsupported(error)) {
        throw multiStreamAppendUnsupported(this.target, await this.serverVersion());
      }
      throw mapClientError(error, { operation, target: this.target, appends });
    }
    const revisions = new Map(result.responses.map((r) => [r.streamName, revisionToNumber(r.revision)]));
    const streams: AppendResult['streams'] = [];
    for (const { streamId } of appends) {
      // The server answers for every stream of the request; reading back only covers a protocol surprise.
      const revision = revisions.get(streamId) ?? (await this.lastEventOf(streamId))?.revision ?? -1;
      streams.push({ streamId, revision });
    }
    // As for one stream: the position of the transaction's last event, read back when absent.
    const position =
      result.position > 0n
        ? positionToNumber(result.position)
        : await this.lastPositionOf(appends.map((a) => a.streamId));
    return { streams, position };
  }

  /**
   * The highest position among the last events of these streams. Only used when the server
   * acknowledged an append without a position; a concurrent append to one of the streams can
   * make it later than the caller's own write, which is still a valid consistency token.
   */
  private async lastPositionOf(streamIds: string[]): Promise<number> {
    let position = 0;
    for (const streamId of streamIds) {
      position = Math.max(position, (await this.lastEventOf(streamId))?.position ?? 0);
    }
    return position;
  }

  private async lastEventOf(streamId: string): Promise<RecordedEvent | undefined> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last;
  }

  /** readAll, with the steps also ended by `signal` (a subscription's). */
  private async readAllUntil(
    { after = 0, maxCount = DEFAULT_PAGE, ...logFilter }: ReadAllOptions,
    signal: AbortSignal,
  ): Promise<RecordedEvent[]> {
    this.assertOpen();
    const filter = buildLogFilter(logFilter);
    if (filter.matchesNothing || maxCount <= 0) return [];
    const events: RecordedEvent[] = [];
    let from = after;
    while (events.length < maxCount) {
      // One more than needed when starting at an event: the server returns that event first.
      const requested = maxCount - events.length + (from > 0 ? 1 : 0);
      const entries = await this.readAllRecords(
        { fromPosition: toReadPosition(from), maxCount: requested, filter: filter.server },
        'read $all',
        signal,
      );
      const page = takePage(entries, from, filter, maxCount - events.length);
      events.push(...page.events);
      // Skipped records (tombstones, KurrentDB's own) count: the next page starts after them.
      if (entries.length < requested || page.next <= from) break;
      from = page.next;
    }
    return events;
  }

  /** One read of `$all` as log entries. */
  private async readAllRecords(
    options: ClientReadAllOptions,
    operation: string,
    signal: AbortSignal,
  ): Promise<LogEntry[]> {
    const entries: LogEntry[] = [];
    try {
      for await (const resolved of withDeadlines(this.client.readAll(options), (next) =>
        this.step(next, operation, signal),
      )) {
        entries.push(toLogEntry(resolved));
      }
    } catch (error) {
      throw mapClientError(error, { operation, target: this.target });
    }
    return entries;
  }

  /** Position of the last record of `$all`, KurrentDB's own included (0 for an empty log). */
  private async logEnd(operation: string): Promise<number> {
    const [last] = await this.readAllRecords(
      { direction: BACKWARDS, fromPosition: END, maxCount: 1 },
      operation,
      this.closing.signal,
    );
    return last?.position ?? 0;
  }

  /** One step of a client call: at most `deadlineMs`, and over when the store closes or `signal` aborts. */
  private step<T>(
    promise: Promise<T>,
    operation: string,
    signal: AbortSignal = this.closing.signal,
  ): Promise<T> {
    return withDeadline(
      promise,
      this.deadlineMs,
      signal,
      () => new StoreDeadlineError(operation, this.target, this.deadlineMs),
      () =>
        new StoreUnavailableError(
          `${operation} at ${this.target} ended: the store is closing or the caller stopped`,
        ),
    );
  }

  /**
   * The server's version, only to make the multi-stream refusal actionable. The client keeps
   * it behind a protected getter (already fetched by the failed call's feature check).
   */
  private async serverVersion(): Promise<string | undefined> {
    try {
      const capabilities = (this.client as unknown as { capabilities?: Promise<{ serverVersion?: string }> })
        .capabilities;
      const version = (
        await withDeadline(Promise.resolve(capabilities), 2_000, undefined, () => new Error('timeout'))
      )?.serverVersion;
      return version && version !== 'unknown' ? version : undefined;
    } catch {
      return undefined;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError(`the KurrentDB store for ${this.target} is closed`);
  }

  /** What the subscription needs of the store (see kurrentdb-subscription.ts). */
  private subscriptionSource(): SubscriptionSource {
    return {
      client: this.client,
      target: this.target,
      closing: this.closing.signal,
      assertOpen: () => this.assertOpen(),
      readAllUntil: (options, signal) => this.readAllUntil(options, signal),
      logEnd: (operation) => this.logEnd(operation),
      step: (promise, operation, signal) => this.step(promise, operation, signal),
    };
  }
}
