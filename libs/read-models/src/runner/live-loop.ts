import { storeFault, type EventStore, type RecordedEvent, type StoreFaultKind } from '@ledger/event-store';
import { StaleCheckpoint } from './checkpoints';

export interface RunnerLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Why the live loop fails; `fault` when the storage is at fault (see `storeFault`). */
export interface RunnerFailure {
  message: string;
  fault?: StoreFaultKind;
}

export type LoopState = 'running' | 'failed' | 'idle';

/** What a live loop feeds: projections of a read database, or reactors. */
export interface LoopConsumer {
  /** Loads the checkpoints; the loop follows the log from the lowest, reading these types. */
  resume(): Promise<{ after: number; types: string[] }>;
  /** Handles one batch and moves the checkpoints past it; throws StaleCheckpoint to be resumed. */
  commit(events: RecordedEvent[]): Promise<void>;
  setState(state: LoopState, error?: string): void;
}

export interface LiveLoopOptions {
  /** What the loop feeds, as its log lines name it: `projection`, `reactor`. */
  kind: string;
  batchSize: number;
  logger?: RunnerLogger;
  /** Called when the loop starts failing (with why) and when it works again (undefined). */
  onFailure?(failure: RunnerFailure | undefined): void;
  /** Serialises the loop's batches with the other work of its runner. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;

/**
 * Follows the log for one consumer: catches up from its lowest checkpoint, then goes on
 * live through the store's subscription. A failing batch is retried with a growing pause.
 */
export class LiveLoop {
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private failure?: RunnerFailure;

  constructor(
    private readonly store: EventStore,
    private readonly consumer: LoopConsumer,
    private readonly options: LiveLoopOptions,
  ) {}

  start(): void {
    this.loops.push(this.follow());
  }

  /** Stops following; the batch in flight is finished and committed first. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
    this.loops.length = 0;
  }

  /** Why the loop is failing at the moment, if it is. */
  failing(): RunnerFailure | undefined {
    return this.failure;
  }

  private setFailure(failure: RunnerFailure | undefined) {
    if (failure?.message === this.failure?.message) return;
    this.failure = failure;
    this.options.onFailure?.(failure);
  }

  private async follow(): Promise<void> {
    const { signal } = this.abort;
    const { consumer, options } = this;
    let backoff = FIRST_BACKOFF_MS;
    while (!signal.aborted) {
      try {
        const { after, types } = await consumer.resume();
        consumer.setState('running');
        // The database answers again; a disk fault is cleared only by a batch that commits.
        if (this.failure?.fault === 'unavailable') this.setFailure(undefined);
        const subscription = this.store.subscribe({ after, types, batchSize: options.batchSize, signal });
        for await (const events of subscription) {
          // The batch in flight is finished even when a stop was requested meanwhile.
          await options.exclusive(() => consumer.commit(events));
          backoff = FIRST_BACKOFF_MS;
          this.setFailure(undefined);
          // SQLite calls are synchronous, so a catch-up would chain promises without ever
          // returning to the event loop: a stop request (the projection thread's message, a
          // signal) would wait for the head. Between batches it gets its turn.
          await new Promise((resolve) => setImmediate(resolve));
        }
      } catch (error) {
        if (error instanceof StaleCheckpoint) continue;
        const message = (error as Error).message.split('\n')[0];
        const fault = storeFault(error);
        consumer.setState('failed', fault ? `${fault.kind}: ${message}` : message);
        this.setFailure({ message, fault: fault?.kind });
        options.logger?.error(`${options.kind} batch failed; retrying`, {
          error: message,
          fault: fault?.kind,
          code: fault?.code ?? (error as { code?: string }).code,
          retryInMs: backoff,
        });
        await sleep(backoff, signal);
        // A database that restarts or a disk that fills stays away for a while: back off to 10 s.
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
    consumer.setState('idle');
  }
}

/** Serialises async work within a process: each call runs after the previous one settled. */
export function serialiser(): <T>(work: () => Promise<T>) => Promise<T> {
  let lock: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const next = lock.then(work, work);
    lock = next.catch(() => undefined);
    return next;
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
