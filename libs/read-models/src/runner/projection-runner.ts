import type { EventStore, RecordedEvent } from '@ledger/event-store';
import { sql } from 'kysely';
import type { ReadDb } from '../read-db';
import { Checkpoints, type Checkpoint } from './checkpoints';
import { writesFor } from './dialect-writes';
import { LiveLoop, serialiser, type LoopConsumer, type RunnerFailure, type RunnerLogger } from './live-loop';
import { tablesOf, type Projection, type RetiredReadModel } from './projection';
import {
  Rebuilder,
  type FillResult,
  type RebuildHelper,
  type RebuildProgress,
  type RebuildResult,
} from './rebuild';
import { createPhysicalTable, physicalName, pointViewAt } from './tables';
import { applyEvents } from './write-buffers';

export type { RunnerFailure, RunnerLogger } from './live-loop';
export type { FillResult, RebuildHelper, RebuildProgress, RebuildResult } from './rebuild';

export interface ProjectionStatus {
  name: string;
  version: number;
  generation: number;
  state: 'idle' | 'running' | 'rebuilding' | 'failed';
  /** Global position of the last event this read model has taken into account. */
  position: number;
  /** Global position of the last event in the log. */
  head: number;
  /** True when no event this projection handles lies after its position. */
  caughtUp: boolean;
  /** head − position, in the store's position units (0 when caught up). */
  lag: number;
  eventsApplied: number;
  lastError?: string;
}

export interface RunnerOptions {
  batchSize?: number;
  logger?: RunnerLogger;
  /** Called after each committed batch (metrics). */
  onBatch?(projection: string, events: number, position: number): void;
  /**
   * Events a rebuild reads and applies per transaction (default 2,000). Rows and sums stay
   * in memory across batches anyway, so small pages cost few extra commits, and their
   * decoded events die young instead of piling up for the garbage collector.
   */
  rebuildBatchSize?: number;
  /** Rows, or summed keys, a rebuild keeps in memory per read model before writing them (default 250,000). */
  rebuildRowLimit?: number;
  /** Read models removed from the code, dropped at install. */
  retired?: RetiredReadModel[];
  /** Fills part of a rebuild on another thread (SQLite: see RebuildHelper). */
  rebuildHelper?: RebuildHelper;
  /** Called when the live loop starts failing (with why) and when it works again (undefined). */
  onFailure?(failure: RunnerFailure | undefined): void;
  /** Told when rebuilds start and end and what each batch applied (metrics). */
  onRebuild?: RebuildProgress;
}

/** The read models cannot answer for this event log; the message names why and the repair. */
export class ReadModelMismatchError extends Error {
  constructor(problem: string) {
    super(`${problem}; repair: npm run cli -- projections rebuild all`);
    this.name = 'ReadModelMismatchError';
  }
}

type Runtime = Pick<ProjectionStatus, 'state' | 'eventsApplied' | 'lastError'>;

/**
 * Feeds projections from the event store into the read database. Each batch's rows and
 * the projection's checkpoint are written in one transaction, so a crash at any moment
 * leaves the read model exactly at a checkpoint: nothing applied twice, nothing lost.
 */
export class ProjectionRunner {
  private readonly byName: Map<string, Projection>;
  private readonly batchSize: number;
  private readonly runtime = new Map<string, Runtime>();
  private readonly checkpoints: Checkpoints;
  /** Serialises batches, catch-ups and rebuild switches within this process. */
  private readonly exclusive = serialiser();
  private readonly loop: LiveLoop;
  private readonly rebuilder: Rebuilder;

  constructor(
    private readonly store: EventStore,
    private readonly read: ReadDb,
    readonly projections: Projection[],
    private readonly options: RunnerOptions = {},
  ) {
    this.byName = new Map(projections.map((p) => [p.name, p]));
    // Large batches amortise each commit's page writes during catch-up; live batches are small anyway.
    this.batchSize = options.batchSize ?? 10_000;
    for (const p of projections) this.runtime.set(p.name, { state: 'idle', eventsApplied: 0 });
    this.checkpoints = new Checkpoints(read);
    this.loop = new LiveLoop(store, this.follower(projections), {
      kind: 'projection',
      batchSize: this.batchSize,
      logger: options.logger,
      onFailure: options.onFailure,
      exclusive: this.exclusive,
    });
    this.rebuilder = new Rebuilder(
      store,
      read,
      this.checkpoints,
      {
        rebuildBatchSize: options.rebuildBatchSize ?? 2_000,
        rebuildRowLimit: options.rebuildRowLimit ?? 250_000,
        rebuildHelper: options.rebuildHelper,
        logger: options.logger,
        progress: options.onRebuild,
      },
      this.exclusive,
      () => this.logIdentity(),
    );
  }

  /** Creates tables and checkpoints of new projections; rebuilds those whose version changed. */
  install(): Promise<void> {
    return this.checkpoints.installing(() => this.installUnlocked());
  }

  /**
   * Refuses read models that cannot belong to this event log: a checkpoint beyond the log's
   * head (the log was restored to an older copy), or read models built from another log
   * (their log identity, recorded beside the checkpoints, is not this log's). Read models
   * without a recorded identity get this log's. Throws one line naming the problem and the repair.
   */
  async verifyAgainstLog(): Promise<void> {
    const head = await this.store.headPosition();
    const identity = await this.logIdentity();
    const recorded = await this.checkpoints.logIdentities();
    for (const projection of this.projections) {
      const checkpoint = await this.checkpoints.require(projection.name);
      if (checkpoint.position > head)
        throw new ReadModelMismatchError(
          `read model ${projection.name} is at position ${checkpoint.position}, beyond the event log's head ${head} ` +
            `(was the event log restored to an older copy?)`,
        );
      const theirs = recorded.get(projection.name);
      if (theirs !== undefined && theirs !== (identity ?? ''))
        throw new ReadModelMismatchError(
          `read model ${projection.name} was built from another event log ` +
            `(${identity ? 'its first event differs' : 'this one is empty'})`,
        );
    }
    const missing = this.projections.filter((p) => !recorded.has(p.name)).map((p) => p.name);
    if (identity && missing.length > 0)
      await this.checkpoints.recordLogIdentity(this.read.db, missing, identity);
  }

  /**
   * Starts following the log: one loop reads it once for every projection (catch up from the
   * lowest checkpoint, then live) and applies each batch to all of them in one transaction.
   */
  start(): void {
    this.loop.start();
  }

  /** Stops following; the batch in flight is finished and committed first. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Applies everything up to the current head, then returns (CLI, tests, benchmarks). */
  async catchUp(names: string[] = [...this.byName.keys()]): Promise<void> {
    const follower = this.follower(names.map((name) => this.get(name)));
    await this.exclusive(async () => {
      for (;;) {
        const { after, types } = await follower.resume();
        const events = await this.store.readAll({ after, types, maxCount: this.batchSize });
        if (events.length === 0) return;
        await follower.commit(events);
      }
    });
  }

  /**
   * Rebuilds a read model from the whole log into fresh tables while the current ones keep
   * answering queries, then switches the views over in one transaction and drops the old tables.
   */
  async rebuild(name: string): Promise<RebuildResult> {
    return this.rebuildMany([name]);
  }

  /**
   * Rebuilds several read models in one pass over the log: each batch is applied to every
   * one of them, into fresh tables, while the current tables keep answering; then all their
   * views move over in one transaction and the old tables are dropped.
   */
  async rebuildMany(names: string[]): Promise<RebuildResult> {
    const group = names.map((name) => this.get(name));
    const runtimes = group.map((p) => this.runtime.get(p.name)!);
    const before = runtimes.map((r) => r.state);
    for (const runtime of runtimes) runtime.state = 'rebuilding';
    try {
      return await this.rebuilder.rebuild(group);
    } finally {
      runtimes.forEach((runtime, i) => (runtime.state = before[i] === 'rebuilding' ? 'idle' : before[i]));
    }
  }

  /**
   * One thread's part of a split rebuild, in a database of its own: creates the tables of
   * every projection of this runner at the given generations and fills them from the start
   * of the log.
   */
  fillFresh(generations: Record<string, number>): Promise<FillResult> {
    return this.rebuilder.fillFresh(this.projections, generations);
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    const out: ProjectionStatus[] = [];
    for (const projection of this.projections) {
      const checkpoint = (await this.checkpoints.find(projection.name)) ?? {
        position: 0,
        generation: 0,
        version: 0,
      };
      const caughtUp = await this.isCaughtUp(projection, checkpoint.position, head);
      out.push({
        name: projection.name,
        version: checkpoint.version,
        generation: checkpoint.generation,
        ...this.runtime.get(projection.name)!,
        position: checkpoint.position,
        head,
        caughtUp,
        lag: caughtUp ? 0 : Math.max(0, head - checkpoint.position),
      });
    }
    return out;
  }

  /**
   * Read-your-writes: waits until every named read model has taken into account all events
   * up to `token` (a write's global position), polling at most `timeoutMs`. Works across
   * processes because it reads the checkpoints from the read database.
   */
  async waitFor(names: string[], token: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // A token beyond the head names a write this store has not seen: not reached.
      let reached = token <= (await this.store.headPosition());
      for (const name of reached ? names : []) {
        const checkpoint = await this.checkpoints.find(name);
        if (!checkpoint || !(await this.isCaughtUp(this.get(name), checkpoint.position, token))) {
          reached = false;
          break;
        }
      }
      if (reached) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Why the live loop is failing at the moment, if it is. */
  failing(): RunnerFailure | undefined {
    return this.loop.failing();
  }

  // ---------------------------------------------------------------------------------------

  private async installUnlocked(): Promise<void> {
    await this.checkpoints.createTables();
    for (const retired of this.options.retired ?? []) await this.drop(retired);
    for (const projection of this.projections) {
      const checkpoint = await this.checkpoints.find(projection.name);
      if (!checkpoint) {
        await this.read.db.transaction().execute(async (trx) => {
          for (const spec of tablesOf(projection)) {
            await createPhysicalTable(trx, this.read.dialect, spec, 1);
            await pointViewAt(trx, spec, 1);
          }
          await this.checkpoints.insert(trx, projection.name, projection.version);
        });
      } else if (checkpoint.version !== projection.version) {
        this.options.logger?.info('projection version changed: rebuilding', {
          projection: projection.name,
          from: checkpoint.version,
          to: projection.version,
        });
        await this.rebuild(projection.name);
      }
    }
  }

  /** Drops a retired read model's views, tables and checkpoint, if they are still there. */
  private async drop(retired: RetiredReadModel): Promise<void> {
    const checkpoint = await this.checkpoints.find(retired.name);
    if (!checkpoint) return;
    await this.read.db.transaction().execute(async (trx) => {
      for (const table of retired.tables) {
        await sql.raw(`DROP VIEW IF EXISTS ${table}`).execute(trx);
        // A rebuild that was cut off may have left the next generation behind.
        for (const generation of [checkpoint.generation, checkpoint.generation + 1])
          await sql.raw(`DROP TABLE IF EXISTS ${physicalName(table, generation)}`).execute(trx);
      }
      await this.checkpoints.remove(trx, retired.name);
    });
    this.options.logger?.info('retired read model dropped', { projection: retired.name });
  }

  /** The log's identity: the id of its first event (none while the log is empty). */
  private async logIdentity(): Promise<string | undefined> {
    const [first] = await this.store.readAll({ after: 0, maxCount: 1 });
    return first?.metadata.eventId;
  }

  private get(name: string): Projection {
    const projection = this.byName.get(name);
    if (!projection)
      throw new Error(`unknown projection ${name}; known: ${[...this.byName.keys()].join(', ')}`);
    return projection;
  }

  /** A read model is at `target` when it passed it, or when no event it handles lies in between. */
  private async isCaughtUp(projection: Projection, position: number, target: number): Promise<boolean> {
    if (position >= target) return true;
    const [next] = await this.store.readAll({ after: position, types: projection.handles, maxCount: 1 });
    return !next || next.position > target;
  }

  /**
   * Batches for a group of projections, from the lowest of their checkpoints. Each batch is
   * one transaction for every projection of the group: lock and verify each checkpoint,
   * apply the events each one handles and has not seen, move every checkpoint to the end of
   * the batch (the batch holds every event any of them handles, so none of them skipped one
   * of its own).
   */
  private follower(group: Projection[]): LoopConsumer {
    const types = [...new Set(group.flatMap((p) => p.handles))];
    const handled = new Map(group.map((p) => [p.name, new Set(p.handles)]));
    let checkpoints = new Map<string, Checkpoint>();
    return {
      resume: async () => {
        checkpoints = await this.checkpoints.load(group.map((p) => p.name));
        return { after: Math.min(...[...checkpoints.values()].map((c) => c.position)), types };
      },
      commit: (events) => this.commitGroup(group, handled, checkpoints, events),
      setState: (state, error) => {
        for (const p of group) {
          const runtime = this.runtime.get(p.name)!;
          if (runtime.state !== 'rebuilding') runtime.state = state;
          if (error !== undefined) runtime.lastError = error;
        }
      },
    };
  }

  private async commitGroup(
    group: Projection[],
    handled: Map<string, Set<string>>,
    checkpoints: Map<string, Checkpoint>,
    events: RecordedEvent[],
  ) {
    const last = events[events.length - 1].position;
    const applied = new Map<string, number>();
    await this.read.db.transaction().execute(async (trx) => {
      const writes = writesFor(this.read, trx);
      for (const projection of group) {
        const checkpoint = checkpoints.get(projection.name)!;
        await this.checkpoints.lockUnchanged(trx, projection.name, checkpoint);
        if (checkpoint.position >= last) continue;
        const handles = handled.get(projection.name)!;
        const mine = events.filter((e) => e.position > checkpoint.position && handles.has(e.type));
        if (mine.length > 0) await applyEvents(trx, writes, projection, checkpoint.generation, mine);
        await this.checkpoints.advance(trx, projection.name, last);
        applied.set(projection.name, mine.length);
      }
    });
    for (const [name, count] of applied) {
      checkpoints.get(name)!.position = last;
      const runtime = this.runtime.get(name)!;
      runtime.eventsApplied += count;
      runtime.lastError = undefined;
      if (count > 0) this.options.onBatch?.(name, count, last);
    }
  }
}
