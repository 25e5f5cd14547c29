/**
 * The `$all` subscription of the KurrentDB adapter: catch-up by bounded reads, then a server
 * subscription, resumed from its checkpoint when the connection drops.
 */
import type { AllStreamResolvedEvent, KurrentDBClient } from '@kurrent/kurrentdb-client';
import { StoreUnavailableError } from '../errors';
import type { ReadAllOptions, RecordedEvent, SubscribeOptions } from '../port';
import { pause } from './kurrentdb-deadlines';
import { isTransientClientError, mapClientError } from './kurrentdb-errors';
import { advance, checkpointBeyondLog, toLogEntry, type LogEntry } from './kurrentdb-events';
import { buildLogFilter, toReadPosition, type LogFilterPlan } from './kurrentdb-mapping';

/** What the subscription needs of the store. */
export interface SubscriptionSource {
  client: KurrentDBClient;
  /** The server without credentials, for messages. */
  target: string;
  /** Aborted when the store closes. */
  closing: AbortSignal;
  assertOpen(): void;
  readAllUntil(options: ReadAllOptions, signal: AbortSignal): Promise<RecordedEvent[]>;
  logEnd(operation: string): Promise<number>;
  step<T>(promise: Promise<T>, operation: string, signal?: AbortSignal): Promise<T>;
}

/** Default batch of `subscribe`, the same as the SQL adapters. */
const DEFAULT_PAGE = 1000;
/** A subscriber gets what has arrived once the server has been quiet this long. */
const IDLE_FLUSH_MS = 5;
/** A dropped subscription is resumed from its checkpoint this many times in a row before the error surfaces. */
const RESUBSCRIBE_ATTEMPTS = 5;
const RESUBSCRIBE_BASE_DELAY_MS = 200;
const RESUBSCRIBE_MAX_DELAY_MS = 5_000;

/**
 * Catch-up by reads, then live delivery from a `subscribeToAll` catch-up subscription started
 * where the reads ended. Reads are bounded step by step, which a server subscription's
 * catch-up cannot be (it may rightly be quiet once live). Events are batched: a live batch
 * goes out when it is full or when the server has been quiet for IDLE_FLUSH_MS. If the
 * connection drops, delivery resumes from the last position seen (after delivering what had
 * arrived), so nothing is skipped or repeated; after RESUBSCRIBE_ATTEMPTS failures in a row
 * the error surfaces. Closing the store or aborting `signal` ends the iteration quietly.
 */
export async function* followAll(
  source: SubscriptionSource,
  options: SubscribeOptions,
): AsyncGenerator<RecordedEvent[]> {
  source.assertOpen();
  const { batchSize = DEFAULT_PAGE, types, categories } = options;
  const signal = options.signal ? AbortSignal.any([options.signal, source.closing]) : source.closing;
  const filter = buildLogFilter(options);
  if (filter.matchesNothing) {
    await pause(Number.POSITIVE_INFINITY, signal);
    return;
  }
  let checkpoint = options.after;
  if (checkpoint > 0) {
    const beyond = checkpointBeyondLog(
      checkpoint,
      await source.logEnd('check the checkpoint'),
      source.target,
    );
    if (beyond) throw beyond;
  }
  const operation = 'subscribe to $all';
  let failures = 0;
  while (!signal.aborted) {
    let outcome: SubscriptionEnd | undefined;
    try {
      for (;;) {
        const page = await source.readAllUntil(
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
      const run = subscribeOnce(source, checkpoint, filter, batchSize, signal);
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
      throw mapClientError(outcome.error, { operation, target: source.target });
    }
    if (failures > RESUBSCRIBE_ATTEMPTS) {
      throw outcome.kind === 'failed'
        ? mapClientError(outcome.error, { operation, target: source.target })
        : new StoreUnavailableError(`KurrentDB at ${source.target} keeps ending the $all subscription`);
    }
    await pause(Math.min(RESUBSCRIBE_BASE_DELAY_MS * 2 ** (failures - 1), RESUBSCRIBE_MAX_DELAY_MS), signal);
  }
}

/**
 * One server subscription. Yields non-empty batches with the checkpoint they reach (the last
 * position seen, matching or not, KurrentDB's own records included) and returns why it ended
 * and where; it never throws, so the caller decides whether to resume. The server must
 * confirm the subscription within the deadline. Whatever arrived before a failure is yielded
 * first. An abort destroys the subscription stream, which settles the pending read.
 */
async function* subscribeOnce(
  source: SubscriptionSource,
  after: number,
  filter: LogFilterPlan,
  batchSize: number,
  signal: AbortSignal,
): AsyncGenerator<{ events: RecordedEvent[]; checkpoint: number }, SubscriptionEnd> {
  const subscription = source.client.subscribeToAll({
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
      await source.step(confirmed, 'subscribe to $all', signal);
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
