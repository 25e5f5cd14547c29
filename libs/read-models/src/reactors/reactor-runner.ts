import type { EventStore, RecordedEvent } from '@ledger/event-store';
import type { ReadDb } from '../read-db';
import { Checkpoints, type Checkpoint } from '../runner/checkpoints';
import {
  LiveLoop,
  serialiser,
  type LoopState,
  type RunnerFailure,
  type RunnerLogger,
} from '../runner/live-loop';
import { dispatchesFor, type CommandDispatcher, type Reactor } from './reactor';

export interface ReactorRunnerOptions {
  /** Events per batch (default 100): a crash before a batch's checkpoint asks its commands again. */
  batchSize?: number;
  logger?: RunnerLogger;
  onFailure?(failure: RunnerFailure | undefined): void;
}

export interface ReactorStatus {
  name: string;
  version: number;
  state: LoopState;
  position: number;
  dispatched: number;
  lastError?: string;
}

/**
 * Follows the log for reactors and dispatches the commands its events call for. A batch
 * is dispatched first, then its checkpoint moves: a crash in between dispatches the batch
 * again on restart, and each command's idempotency key (see `dispatchesFor`) makes the
 * second dispatch return the first one's result without applying anything.
 */
export class ReactorRunner {
  private readonly checkpoints: Checkpoints;
  private readonly exclusive = serialiser();
  private readonly loop: LiveLoop;
  private readonly batchSize: number;
  private readonly runtime = new Map<string, { state: LoopState; dispatched: number; lastError?: string }>();
  private readonly types: string[];
  private loaded = new Map<string, Checkpoint>();

  constructor(
    private readonly store: EventStore,
    private readonly read: ReadDb,
    readonly reactors: Reactor[],
    private readonly dispatcher: CommandDispatcher,
    options: ReactorRunnerOptions = {},
  ) {
    this.checkpoints = new Checkpoints(read);
    this.batchSize = options.batchSize ?? 100;
    for (const r of reactors) this.runtime.set(r.name, { state: 'idle', dispatched: 0 });
    this.types = [...new Set(reactors.flatMap((r) => r.handles))];
    this.loop = new LiveLoop(
      store,
      {
        resume: async () => ({ after: await this.resume(), types: this.types }),
        commit: (events) => this.commit(events),
        setState: (state, error) => {
          for (const runtime of this.runtime.values()) {
            runtime.state = state;
            if (error !== undefined) runtime.lastError = error;
          }
        },
      },
      {
        kind: 'reactor',
        batchSize: this.batchSize,
        logger: options.logger,
        onFailure: options.onFailure,
        exclusive: this.exclusive,
      },
    );
  }

  /** Creates the checkpoints of reactors new to this read database. */
  async install(): Promise<void> {
    if (this.reactors.length === 0) return;
    await this.checkpoints.installing(async () => {
      await this.checkpoints.createTables();
      for (const reactor of this.reactors) {
        if (await this.checkpoints.find(reactor.name)) continue;
        const position = reactor.startAt === 'head' ? await this.store.headPosition() : 0;
        await this.read.db
          .transaction()
          .execute((trx) => this.checkpoints.insert(trx, reactor.name, reactor.version, position));
      }
    });
  }

  /** Follows the log (catch-up, then live); does nothing without reactors. */
  start(): void {
    if (this.reactors.length > 0) this.loop.start();
  }

  /** Stops following; the batch in flight is dispatched and checkpointed first. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Dispatches what the log up to its head calls for, then returns. */
  async catchUp(): Promise<void> {
    if (this.reactors.length === 0) return;
    const { types } = this;
    await this.exclusive(async () => {
      for (;;) {
        const events = await this.store.readAll({
          after: await this.resume(),
          types,
          maxCount: this.batchSize,
        });
        if (events.length === 0) return;
        await this.commit(events);
      }
    });
  }

  failing(): RunnerFailure | undefined {
    return this.loop.failing();
  }

  async status(): Promise<ReactorStatus[]> {
    const out: ReactorStatus[] = [];
    for (const reactor of this.reactors) {
      const checkpoint = await this.checkpoints.require(reactor.name);
      out.push({
        name: reactor.name,
        version: checkpoint.version,
        position: checkpoint.position,
        ...this.runtime.get(reactor.name)!,
      });
    }
    return out;
  }

  private async resume(): Promise<number> {
    this.loaded = await this.checkpoints.load(this.reactors.map((r) => r.name));
    return Math.min(...[...this.loaded.values()].map((c) => c.position));
  }

  /** Dispatches, event by event in log order, then moves every reactor's checkpoint past the batch. */
  private async commit(events: RecordedEvent[]) {
    const last = events[events.length - 1].position;
    const dispatched = new Map<string, number>();
    for (const reactor of this.reactors) {
      const { position } = this.loaded.get(reactor.name)!;
      const handles = new Set(reactor.handles);
      let count = 0;
      for (const event of events) {
        if (event.position <= position || !handles.has(event.type)) continue;
        for (const { command, context } of dispatchesFor(reactor, event)) {
          await this.dispatcher.dispatch(command, context);
          count += 1;
        }
      }
      dispatched.set(reactor.name, count);
    }
    await this.read.db.transaction().execute(async (trx) => {
      for (const reactor of this.reactors) {
        const checkpoint = this.loaded.get(reactor.name)!;
        await this.checkpoints.lockUnchanged(trx, reactor.name, checkpoint);
        if (checkpoint.position < last) await this.checkpoints.advance(trx, reactor.name, last);
      }
    });
    for (const [name, count] of dispatched) {
      const checkpoint = this.loaded.get(name)!;
      checkpoint.position = Math.max(checkpoint.position, last);
      const runtime = this.runtime.get(name)!;
      runtime.dispatched += count;
      runtime.lastError = undefined;
    }
  }
}
