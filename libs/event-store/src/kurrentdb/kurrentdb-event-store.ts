import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
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
  isTransientClientError,
  mapClientError,
  multiStreamAppendUnsupported,
  reasonOf,
} from './kurrentdb-errors';
import {
  type LogEntry,
  advance,
  checkAppendResult,
  checkpointBeyondLog,
  takePage,
  toEventData,
  toLogEntry,
  validateKurrentAppends,
} from './kurrentdb-events';
import {
  type LogFilterPlan,
  buildLogFilter,
  positionToNumber,
  revisionToNumber,
  toReadPosition,
  toStreamState,
} from './kurrentdb-mapping';
import {
  connectionSettings,
} from './kurrentdb-connection';

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
/** A subscriber gets what has arrived once the server has been quiet this long. */
const IDLE_FLUSH_MS = 5;
/** A dropped subscription is resumed from its checkpoint this many times in a row before the error surfaces. */
const RESUBSCRIBE_ATTEMPTS = 5;
const RESUBSCRIBE_BASE_DELAY_MS = 200;
const RESUBSCRIBE_MAX_DELAY_MS = 5_000;

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
      for await (const resolved of this.bounded(read, operation)) {
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
    return this.subscription(options);
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
      for await (const resolved of this.bounded(this.client.readAll(options), operation, signal)) {
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
   * The records of a client read, each within the deadline. The client's reads go through its
   * native bridge, which takes neither a deadline nor a cancellation: a read that missed its
   * deadline is abandoned (its late result or failure is ignored).
   */
  private async *bounded<T>(
    read: AsyncIterable<T>,
    operation: string,
    signal: AbortSignal = this.closing.signal,
  ): AsyncGenerator<T> {
    const iterator = read[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<T>> | undefined;
    let finished = false;
    try {
      for (;;) {
        pending = iterator.next();
        const next = await this.step(pending, operation, signal);
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

  /**
   * Catch-up by reads, then live delivery from a `subscribeToAll` catch-up subscription started
   * where the reads ended. Reads are bounded step by step, which a server subscription's
   * catch-up cannot be (it may rightly be quiet once live). Events are batched: a live batch
   * goes out when it is full or when the server has been quiet for IDLE_FLUSH_MS. If the
   * connection drops, delivery resumes from the last position seen (after delivering what had
   * arrived), so nothing is skipped or repeated; after RESUBSCRIBE_ATTEMPTS failures in a row
   * the error surfaces. Closing the store or aborting `signal` ends the iteration quietly.
   */
  private async *subscription(options: SubscribeOptions): AsyncGenerator<RecordedEvent[]> {
    this.assertOpen();
    const { batchSize = DEFAULT_PAGE, types, categories } = options;
    const signal = options.signal
      ? AbortSignal.any([options.signal, this.closing.signal])
      : this.closing.signal;
    const filter = buildLogFilter(options);
    if (filter.matchesNothing) {
      await pause(Number.POSITIVE_INFINITY, signal);
      return;
    }
    let checkpoint = options.after;
    if (checkpoint > 0) {
      const beyond = checkpointBeyondLog(checkpoint, await this.logEnd('check the checkpoint'), this.target);
      if (beyond) throw beyond;
    }
    const operation = 'subscribe to $all';
    let failures = 0;
    while (!signal.aborted) {
      let outcome: SubscriptionEnd | undefined;
      try {
        for (;;) {
          const page = await this.readAllUntil(
            { after: checkpoint, maxCount: batchSize, types, categories },
            signal,
          );
          if (signal.aborted) return;
          if (page.length > 0) {
            failures = 0;
            checkpoint = page[page.length - 1].position;
            yield page;
          }
          if (page.length < batchSize) break;
        }
      } catch (error) {
        if (signal.aborted) return;
        outcome = { kind: 'failed', error, checkpoint };
      }
      if (!outcome) {
        const run = this.subscribeOnce(checkpoint, filter, batchSize, signal);
        try {
          for (;;) {
            const next = await run.next();
            if (next.done) {
              outcome = next.value;
              break;
            }
            failures = 0;
            checkpoint = next.value.checkpoint;
            yield next.value.events;
          }
        } finally {
          // Also when the consumer stops early: ends the server subscription.
          await run.return({ kind: 'aborted', checkpoint });
        }
      }
      if (outcome.kind === 'aborted' || signal.aborted) return;
      // Events seen but filtered out since the last batch still move the checkpoint on.
      if (outcome.checkpoint > checkpoint) failures = 0;
      checkpoint = Math.max(checkpoint, outcome.checkpoint);
      failures += 1;
      if (outcome.kind === 'failed' && !isTransientClientError(outcome.error)) {
        throw mapClientError(outcome.error, { operation, target: this.target });
      }
      if (failures > RESUBSCRIBE_ATTEMPTS) {
        throw outcome.kind === 'failed'
          ? mapClientError(outcome.error, { operation, target: this.target })
          : new StoreUnavailableError(`KurrentDB at ${this.target} keeps ending the $all subscription`);
      }
      await pause(
        Math.min(RESUBSCRIBE_BASE_DELAY_MS * 2 ** (failures - 1), RESUBSCRIBE_MAX_DELAY_MS),
        signal,
      );
    }
  }

  /**
   * One server subscription. Yields non-empty batches with the checkpoint they reach (the last
   * position seen, matching or not, KurrentDB's own records included) and returns why it ended
   * and where; it never throws, so the caller decides whether to resume. The server must
   * confirm the subscription within the deadline. Whatever arrived before a failure is yielded
   * first. An abort destroys the subscription stream, which settles the pending read.
   */
  private async *subscribeOnce(
    after: number,
    filter: LogFilterPlan,
    batchSize: number,
    signal: AbortSignal,
  ): AsyncGenerator<{ events: RecordedEvent[]; checkpoint: number }, SubscriptionEnd> {
    const subscription = this.client.subscribeToAll({
      fromPosition: toReadPosition(after),
      filter: filter.server,
    });
    // Errors also reach the iterator; this keeps a late one from crashing the process as "unhandled".
    subscription.on('error', () => undefined);
    const confirmed = new Promise<void>((resolve, reject) => {
      subscription.once('confirmation', () => resolve());
      subscription.once('error', reject);
      // Ended before confirming: the iterator says how.
      subscription.once('close', () => resolve());
    });
    const onAbort = () => subscription.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    const iterator: AsyncIterator<AllStreamResolvedEvent> = subscription[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<AllStreamResolvedEvent>> | undefined;
    let checkpoint = after;
    let batch: RecordedEvent[] = [];
    const flush = () => {
      const events = batch;
      batch = [];
      return { events, checkpoint };
    };
    try {
      try {
        await this.step(confirmed, 'subscribe to $all', signal);
      } catch (error) {
        return signal.aborted ? { kind: 'aborted', checkpoint } : { kind: 'failed', error, checkpoint };
      }
      for (;;) {
        if (signal.aborted) return { kind: 'aborted', checkpoint };
        pending ??= iterator.next();
        let step: IteratorResult<AllStreamResolvedEvent> | 'idle';
        let entry: LogEntry | undefined;
        try {
          step = await nextOrIdle(pending, batch.length > 0 ? IDLE_FLUSH_MS : undefined);
          if (step !== 'idle' && !step.done) entry = toLogEntry(step.value);
        } catch (error) {
          if (signal.aborted) return { kind: 'aborted', checkpoint };
          if (batch.length > 0) yield flush();
          return { kind: 'failed', error, checkpoint };
        }
        if (signal.aborted) return { kind: 'aborted', checkpoint };
        if (step === 'idle') {
          yield flush();
          continue;
        }
        pending = undefined;
        if (step.done) {
          if (batch.length > 0) yield flush();
          return { kind: 'ended', checkpoint };
        }
        if (!entry) continue;
        const moved = advance(entry, checkpoint, filter);
        checkpoint = moved.checkpoint;
        if (!moved.event) continue;
        batch.push(moved.event);
        if (batch.length >= batchSize) yield flush();
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      pending?.catch(() => undefined);
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    }
  }
}

/** Why one server subscription ended, and the last position it saw. */
type SubscriptionEnd = { checkpoint: number } & (
  { kind: 'aborted' } | { kind: 'ended' } | { kind: 'failed'; error: unknown }
);

/**
 * The next event, or 'idle' when none arrives within `idleMs` (if given). After an idle the
 * same pending read is raced again, so nothing is lost; the race also observes its rejection.
 */
async function nextOrIdle<T>(
  pending: Promise<IteratorResult<T>>,
  idleMs: number | undefined,
): Promise<IteratorResult<T> | 'idle'> {
  if (idleMs === undefined) return pending;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      pending,
      new Promise<'idle'>((resolve) => (timer = setTimeout(() => resolve('idle'), idleMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits `ms` (forever for Infinity) or until `signal` aborts, leaving no timer or listener behind. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
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
function withDeadline<T>(
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
