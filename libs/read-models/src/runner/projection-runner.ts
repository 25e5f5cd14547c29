import { readAhead, storeFault, type EventStore, type RecordedEvent, type StoreFaultKind } from '@ledger/event-store';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Dialect, ReadDb } from '../read-db';
import type { Database as SqliteDatabase, Statement as SqliteStatement } from 'better-sqlite3';
import {
  tablesOf,
  type ColumnType,
  type Projection,
  type RetiredReadModel,
  type RowProjection,
  type SumProjection,
  type TableSpec,
} from './projection';
import {
  createIndexes,
  createPhysicalTable,
  dropPhysicalTable,
  fromDbRow,
  physicalName,
  pointViewAt,
  toDbRow,
} from './tables';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

interface Checkpoint {
  position: number;
  generation: number;
  version: number;
}

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

export interface RunnerLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface RunnerOptions {
  batchSize?: number;
  logger?: RunnerLogger;
  /** Called after each committed batch (metrics). */
  onBatch?(projection: string, events: number, position: number): void;
  /**
   * Events a rebuild reads and applies per transaction (default 2,000). Rows and sums stay
   * in memory across batches anyway, so small pages cost few extra commits, and their
   * decoded events die young: on the 1,000,000-participant ledger pages of 2,000 rebuilt
   * everything in 31-33 s, pages of 50,000 in 41 s (garbage collection).
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
}

/** Why the live loop fails; `fault` when the storage is at fault (see `storeFault`). */
export interface RunnerFailure {
  message: string;
  fault?: StoreFaultKind;
}

/**
 * Fills some read models of a rebuild on another thread, into a SQLite file of its own:
 * SQLite has one writer per file, so two threads filling the same file would take turns.
 * It creates the tables of the given generations in that file and fills them from the
 * start of the log (`ProjectionRunner.fillFresh`); the runner copies them over, then
 * calls `dispose` to remove the file.
 */
export type RebuildHelper = (
  names: string[],
  generations: Record<string, number>,
) => Promise<{
  file: string;
  position: number;
  /** Events read, by type. */
  counts: Record<string, number>;
  dispose(): Promise<void>;
}>;

export interface RebuildResult {
  /** Events of the log the rebuild read (each once, also when both threads read it). */
  events: number;
  /** Where the rebuilt read models stand. */
  position: number;
  /** 2 when half of the read models were filled on another thread (see RebuildHelper). */
  threads: 1 | 2;
}

/** Another writer (a rebuild, or a runner in another process) moved the checkpoint: reload. */
class StaleCheckpoint extends Error {}

const CHECKPOINTS = 'projection_checkpoints';
const LOG_IDS = 'projection_log_ids';

/** The read models cannot answer for this event log; the message names why and the repair. */
export class ReadModelMismatchError extends Error {
  constructor(problem: string) {
    super(`${problem}; repair: npm run cli -- projections rebuild all`);
    this.name = 'ReadModelMismatchError';
  }
}
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;

/**
 * Feeds projections from the event store into the read database. Each batch's rows and
 * the projection's checkpoint are written in one transaction, so a crash at any moment
 * leaves the read model exactly at a checkpoint: nothing applied twice, nothing lost.
 */
export class ProjectionRunner {
  private readonly byName: Map<string, Projection>;
  private readonly batchSize: number;
  private readonly rebuildRowLimit: number;
  private readonly rebuildBatchSize: number;
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private lock: Promise<unknown> = Promise.resolve();
  private failure?: RunnerFailure;
  private readonly runtime = new Map<
    string,
    Pick<ProjectionStatus, 'state' | 'eventsApplied' | 'lastError'>
  >();

  constructor(
    private readonly store: EventStore,
    private readonly read: ReadDb,
    readonly projections: Projection[],
    private readonly options: RunnerOptions = {},
  ) {
    this.byName = new Map(projections.map((p) => [p.name, p]));
    // Large batches amortise each commit's page writes during catch-up; live batches are small anyway.
    this.batchSize = options.batchSize ?? 10_000;
    this.rebuildRowLimit = options.rebuildRowLimit ?? 250_000;
    this.rebuildBatchSize = options.rebuildBatchSize ?? 2_000;
    for (const p of projections) this.runtime.set(p.name, { state: 'idle', eventsApplied: 0 });
  }

  private get db(): Db {
    return this.read.db;
  }

  /**
   * Creates tables and checkpoints of new projections; rebuilds those whose version changed.
   * In PostgreSQL under an advisory lock of the schema: `CREATE … IF NOT EXISTS` of two
   * processes starting together still collides on the catalog (pg_type's unique index).
   */
  async install(): Promise<void> {
    if (this.read.dialect !== 'postgres') return this.installUnlocked();
    await this.db.connection().execute(async (connection) => {
      await sql`SELECT pg_advisory_lock(hashtext('ledger.read-models:' || current_schema()))`.execute(connection);
      try {
        await this.installUnlocked();
      } finally {
        await sql`SELECT pg_advisory_unlock(hashtext('ledger.read-models:' || current_schema()))`.execute(connection);
      }
    });
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
    const recorded = new Map(
      (await this.read.query.selectFrom(LOG_IDS).select(['name', 'log_id']).execute()).map((r) => [
        String(r.name),
        String(r.log_id),
      ]),
    );
    for (const projection of this.projections) {
      const checkpoint = await this.requireCheckpoint(projection.name);
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
    const missing = this.projections.filter((p) => !recorded.has(p.name));
    if (identity && missing.length > 0) await this.recordLogIdentity(this.db, missing, identity);
  }

  /** The log's identity: the id of its first event (none while the log is empty). */
  private async logIdentity(): Promise<string | undefined> {
    const [first] = await this.store.readAll({ after: 0, maxCount: 1 });
    return first?.metadata.eventId;
  }

  private async recordLogIdentity(db: Db, group: Projection[], identity: string) {
    for (const projection of group)
      await db
        .insertInto(LOG_IDS)
        .values({ name: projection.name, log_id: identity })
        .onConflict((oc) => oc.column('name').doUpdateSet({ log_id: identity }))
        .execute();
  }

  private async installUnlocked(): Promise<void> {
    await this.createCheckpointsTable();
    for (const retired of this.options.retired ?? []) await this.drop(retired);
    for (const projection of this.projections) {
      const checkpoint = await this.checkpoint(projection.name);
      if (!checkpoint) {
        await this.db.transaction().execute(async (trx) => {
          for (const spec of tablesOf(projection)) {
            await createPhysicalTable(trx, this.read.dialect, spec, 1);
            await pointViewAt(trx, spec, 1);
          }
          await trx
            .insertInto(CHECKPOINTS)
            .values({
              name: projection.name,
              position: 0,
              generation: 1,
              version: projection.version,
              updated_at: now(),
            })
            .onConflict((oc) => oc.column('name').doNothing())
            .execute();
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

  /**
   * Starts following the log: one loop reads it once for every projection (catch up from the
   * lowest checkpoint, then live) and applies each batch to all of them in one transaction.
   */
  start(): void {
    this.loops.push(this.follow());
  }

  /** Stops following; the batch in flight is finished and committed first. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
    this.loops.length = 0;
  }

  /** Applies everything up to the current head, then returns (CLI, tests, benchmarks). */
  async catchUp(names: string[] = [...this.byName.keys()]): Promise<void> {
    const group = names.map((name) => this.get(name));
    await this.exclusive(async () => {
      for (;;) {
        const checkpoints = await this.loadCheckpoints(group);
        const events = await this.store.readAll({
          after: lowest(checkpoints),
          types: handledBy(group),
          maxCount: this.batchSize,
        });
        if (events.length === 0) return;
        await this.commitGroup(group, checkpoints, events);
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
      const current = await this.loadCheckpoints(group);
      const generations = new Map(group.map((p) => [p.name, current.get(p.name)!.generation + 1]));
      for (const projection of group) {
        for (const spec of tablesOf(projection)) {
          await createPhysicalTable(this.db, this.read.dialect, spec, generations.get(projection.name)!, {
            withIndexes: false,
          });
        }
      }
      const threads =
        this.options.rebuildHelper && this.read.dialect === 'sqlite' && group.length > 1 ? 2 : 1;
      const filled =
        threads === 2 ? await this.fillSplit(group, generations) : await this.fill(group, generations, 0);
      let { position } = filled;
      let events = total(filled.counts);
      await this.createIndexes(group, generations);
      // Hold the live loop of this process while the last events are applied and the views move.
      await this.exclusive(async () => {
        // Everything up to the head is applied by the pass below, so the checkpoints can say so,
        // even when the last events of the log are of types these read models ignore.
        const head = await this.store.headPosition();
        const identity = await this.logIdentity();
        const tail = await this.fill(group, generations, position);
        position = Math.max(tail.position, head);
        events += total(tail.counts);
        await this.db.transaction().execute(async (trx) => {
          for (const projection of group) {
            const generation = generations.get(projection.name)!;
            await this.lockCheckpoint(trx, projection.name);
            for (const spec of tablesOf(projection)) await pointViewAt(trx, spec, generation);
            await trx
              .updateTable(CHECKPOINTS)
              .set({ position, generation, version: projection.version, updated_at: now() })
              .where('name', '=', projection.name)
              .execute();
          }
          // Rebuilt from this log: from now on they are this log's read models.
          await trx.deleteFrom(LOG_IDS).where('name', 'in', names).execute();
          if (identity) await this.recordLogIdentity(trx, group, identity);
        });
      });
      for (const projection of group) {
        for (const spec of tablesOf(projection)) {
          await dropPhysicalTable(this.db, spec, current.get(projection.name)!.generation);
        }
      }
      this.options.logger?.info('read models rebuilt', { projections: names, events, position, threads });
      return { events, position, threads };
    } finally {
      runtimes.forEach((runtime, i) => (runtime.state = before[i] === 'rebuilding' ? 'idle' : before[i]));
    }
  }

  /**
   * One thread's part of a split rebuild, in a database of its own: creates the tables of
   * every projection of this runner at the given generations and fills them from the start
   * of the log.
   */
  async fillFresh(
    generations: Record<string, number>,
  ): Promise<{ position: number; counts: Record<string, number> }> {
    await this.createCheckpointsTable(); // fill takes the write lock through it
    const byName = new Map(Object.entries(generations));
    for (const projection of this.projections) {
      for (const spec of tablesOf(projection))
        await createPhysicalTable(this.db, this.read.dialect, spec, byName.get(projection.name)!, {
          withIndexes: false,
        });
    }
    return this.fill(this.projections, byName, 0, { inTurn: true });
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    const out: ProjectionStatus[] = [];
    for (const projection of this.projections) {
      const checkpoint = (await this.checkpoint(projection.name)) ?? {
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
        const checkpoint = await this.checkpoint(name);
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
    return this.failure;
  }

  private setFailure(failure: RunnerFailure | undefined) {
    if (failure?.message === this.failure?.message) return;
    this.failure = failure;
    this.options.onFailure?.(failure);
  }

  // ---------------------------------------------------------------------------------------

  /** Drops a retired read model's views, tables and checkpoint, if they are still there. */
  private async drop(retired: RetiredReadModel): Promise<void> {
    const checkpoint = await this.checkpoint(retired.name);
    if (!checkpoint) return;
    await this.db.transaction().execute(async (trx) => {
      for (const table of retired.tables) {
        await sql.raw(`DROP VIEW IF EXISTS ${table}`).execute(trx);
        // A rebuild that was cut off may have left the next generation behind.
        for (const generation of [checkpoint.generation, checkpoint.generation + 1])
          await sql.raw(`DROP TABLE IF EXISTS ${physicalName(table, generation)}`).execute(trx);
      }
      await trx.deleteFrom(CHECKPOINTS).where('name', '=', retired.name).execute();
    });
    this.options.logger?.info('retired read model dropped', { projection: retired.name });
  }

  /** Secondary indexes of a rebuild's fresh tables (those already built are kept). */
  private async createIndexes(group: Projection[], generations: Map<string, number>) {
    for (const projection of group) {
      for (const spec of tablesOf(projection))
        await createIndexes(this.db, spec, generations.get(projection.name)!);
    }
  }

  private async createCheckpointsTable() {
    await sql
      .raw(
        `CREATE TABLE IF NOT EXISTS ${CHECKPOINTS} (name TEXT PRIMARY KEY, position BIGINT NOT NULL, ` +
          `generation INTEGER NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL)`,
      )
      .execute(this.db);
    // Which event log each read model was built from (see verifyAgainstLog).
    await sql.raw(`CREATE TABLE IF NOT EXISTS ${LOG_IDS} (name TEXT PRIMARY KEY, log_id TEXT NOT NULL)`).execute(this.db);
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

  private async follow(): Promise<void> {
    const { signal } = this.abort;
    const group = this.projections;
    const setState = (state: ProjectionStatus['state'], error?: string) => {
      for (const p of group) {
        const runtime = this.runtime.get(p.name)!;
        if (runtime.state !== 'rebuilding') runtime.state = state;
        if (error !== undefined) runtime.lastError = error;
      }
    };
    let backoff = FIRST_BACKOFF_MS;
    while (!signal.aborted) {
      try {
        const checkpoints = await this.loadCheckpoints(group);
        setState('running');
        // The database answers again; a disk fault is cleared only by a batch that commits.
        if (this.failure?.fault === 'unavailable') this.setFailure(undefined);
        const subscription = this.store.subscribe({
          after: lowest(checkpoints),
          types: handledBy(group),
          batchSize: this.batchSize,
          signal,
        });
        for await (const events of subscription) {
          // The batch in flight is finished even when a stop was requested meanwhile.
          await this.exclusive(() => this.commitGroup(group, checkpoints, events));
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
        setState('failed', fault ? `${fault.kind}: ${message}` : message);
        this.setFailure({ message, fault: fault?.kind });
        this.options.logger?.error('projection batch failed; retrying', {
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
    setState('idle');
  }

  /**
   * One transaction for a batch and every projection of the group: lock and verify each
   * checkpoint, apply the events each one handles and has not seen, move every checkpoint
   * to the end of the batch (the batch holds every event any of them handles, so none of
   * them skipped one of its own).
   */
  private async commitGroup(
    group: Projection[],
    checkpoints: Map<string, Checkpoint>,
    events: RecordedEvent[],
  ) {
    const last = events[events.length - 1].position;
    const applied = new Map<string, number>();
    await this.db.transaction().execute(async (trx) => {
      for (const projection of group) {
        const checkpoint = checkpoints.get(projection.name)!;
        const stored = await this.lockCheckpoint(trx, projection.name);
        if (stored.generation !== checkpoint.generation || stored.position !== checkpoint.position) {
          throw new StaleCheckpoint();
        }
        if (checkpoint.position >= last) continue;
        const handles = handledSet(projection);
        const mine = events.filter((e) => e.position > checkpoint.position && handles.has(e.type));
        if (mine.length > 0) await this.applyEvents(trx, projection, checkpoint.generation, mine);
        await trx
          .updateTable(CHECKPOINTS)
          .set({ position: last, updated_at: now() })
          .where('name', '=', projection.name)
          .execute();
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

  private async loadCheckpoints(group: Projection[]): Promise<Map<string, Checkpoint>> {
    const out = new Map<string, Checkpoint>();
    for (const projection of group) out.set(projection.name, await this.requireCheckpoint(projection.name));
    return out;
  }

  /**
   * The first pass of a rebuild over two threads: the read models are split in two groups of
   * about equal weight; this thread fills one while the helper fills the other in a file of
   * its own, whose tables are then copied in. The group that read less far is brought up to
   * where the other one stopped, so both go on from one position.
   */
  private async fillSplit(group: Projection[], generations: Map<string, number>) {
    const [mine, theirs] = splitByWeight(group);
    const elsewhere = this.options.rebuildHelper!(
      theirs.map((p) => p.name),
      Object.fromEntries(theirs.map((p) => [p.name, generations.get(p.name)!])),
    );
    // This part's indexes are built as soon as it is filled, while the other part may still run.
    const filled = this.fill(mine, generations, 0, { inTurn: true }).then(async (done) => {
      await this.createIndexes(mine, generations);
      return done;
    });
    const [here, there] = await Promise.allSettled([filled, elsewhere]);
    if (there.status === 'fulfilled') {
      try {
        if (here.status === 'fulfilled') await this.copyTables(there.value.file, theirs, generations);
      } finally {
        await there.value.dispose();
      }
    }
    if (here.status === 'rejected') throw here.reason;
    if (there.status === 'rejected') throw there.reason;
    const position = Math.max(here.value.position, there.value.position);
    // Both parts read the types they share (approvals, say): count each event once.
    const counts: Record<string, number> = {};
    for (const [part, done] of [
      [mine, here.value],
      [theirs, there.value],
    ] as const) {
      const partCounts = { ...done.counts };
      if (done.position < position) {
        const more = await this.fill(part, generations, done.position, { until: position, inTurn: true });
        for (const [type, n] of Object.entries(more.counts)) partCounts[type] = (partCounts[type] ?? 0) + n;
      }
      for (const [type, n] of Object.entries(partCounts)) counts[type] = Math.max(counts[type] ?? 0, n);
    }
    return { position, counts };
  }

  /** Copies the rows of a group's fresh tables from another SQLite file, in key order. */
  private async copyTables(file: string, group: Projection[], generations: Map<string, number>) {
    const writer = this.read.sqliteWriter!;
    await this.exclusive(async () => {
      // ATTACH cannot run inside a transaction; `exclusive` keeps this process's batches out.
      writer.prepare('ATTACH DATABASE ? AS rebuilt').run(file);
      try {
        await this.db.transaction().execute(async (trx) => {
          await this.takeWriteLock(trx);
          for (const projection of group) {
            for (const spec of tablesOf(projection)) {
              const table = physicalName(spec.name, generations.get(projection.name)!);
              const columns = Object.keys(spec.columns).join(', ');
              await sql
                .raw(`INSERT INTO main.${table} (${columns}) SELECT ${columns} FROM rebuilt.${table}`)
                .execute(trx);
            }
          }
        });
      } finally {
        writer.exec('DETACH DATABASE rebuilt');
      }
    });
  }

  /**
   * Applies the log after `from` (up to `until`, when given) into rebuild tables, batch by
   * batch; returns where it stopped.
   */
  private async fill(
    group: Projection[],
    generations: Map<string, number>,
    from: number,
    { until = Infinity, inTurn = false }: { until?: number; inTurn?: boolean } = {},
  ) {
    let position = from;
    const counts: Record<string, number> = {}; // events read, by type
    const types = handledBy(group);
    // Rows and sums live in a buffer per read model until it fills up. From the start of the
    // log the tables are empty, so a row not in the buffer needs no lookup until the buffer
    // first overflows; the tail of a rebuild continues on rows already written.
    const buffers = new Map(group.map((p) => [p, bufferFor(p, this.rebuildRowLimit, from > 0)]));
    // Alone, a rebuild lets the store read the next batch while this one is applied (on a
    // thread of its own, for SQLite). Split over two threads it reads in turn: both cores
    // are busy already, and handing rows between threads costs more than reading them.
    const page = { after: from, types, maxCount: this.rebuildBatchSize };
    // (SQLite's readAll is synchronous: through `readAhead` it reads each page on this thread.)
    const batches = inTurn ? readAhead((o) => this.store.readAll(o), page) : this.store.readAllPages(page);
    for await (const read of batches) {
      const batch = read[read.length - 1].position > until ? read.filter((e) => e.position <= until) : read;
      if (batch.length === 0) break;
      await this.db.transaction().execute(async (trx) => {
        await this.takeWriteLock(trx);
        for (const projection of group) {
          const handles = handledSet(projection);
          const mine = batch.filter((e) => handles.has(e.type));
          if (mine.length > 0)
            await this.applyEvents(
              trx,
              projection,
              generations.get(projection.name)!,
              mine,
              buffers.get(projection),
            );
        }
      });
      position = batch[batch.length - 1].position;
      for (const e of batch) counts[e.type] = (counts[e.type] ?? 0) + 1;
      if (batch.length < read.length) break;
      // SQLite calls are synchronous: let requests of this process through between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.db.transaction().execute(async (trx) => {
      await this.takeWriteLock(trx);
      for (const projection of group)
        await this.flush(trx, projection, generations.get(projection.name)!, buffers.get(projection));
    });
    return { position, counts };
  }

  private async applyEvents(
    trx: Db,
    projection: Projection,
    generation: number,
    events: RecordedEvent[],
    buffer?: WriteBuffer,
  ) {
    if (this.read.sqliteWriter) sqliteWriters.set(trx, this.read.sqliteWriter);
    if (projection.kind === 'custom') {
      await projection.apply(events, trx, (logical) => physicalName(logical, generation), this.read.dialect);
      return;
    }
    const table = physicalName(projection.table.name, generation);
    if (projection.kind === 'sums')
      await applySums(trx, this.read.dialect, projection, table, events, buffer as SumBuffer);
    else await applyRowProjection(trx, this.read, projection, table, events, buffer as RowBuffer);
  }

  /** Writes what a rebuild's buffer still holds. */
  private async flush(trx: Db, projection: Projection, generation: number, buffer: WriteBuffer | undefined) {
    if (!buffer || projection.kind === 'custom') return;
    if (this.read.sqliteWriter) sqliteWriters.set(trx, this.read.sqliteWriter);
    const table = physicalName(projection.table.name, generation);
    if (buffer instanceof SumBuffer)
      await writeSums(trx, this.read.dialect, projection as SumProjection, table, buffer);
    else await writeRows(trx, this.read, projection.table, table, buffer);
  }

  /**
   * SQLite: takes the database's write lock at the start of a transaction. One that reads
   * first and writes later fails at once (SQLITE_BUSY_SNAPSHOT) when another connection
   * committed in between, such as the API's projection thread while the CLI rebuilds; one
   * that writes first waits for the lock (busy_timeout). The UPDATE matches no row.
   */
  private async takeWriteLock(trx: Db) {
    if (this.read.dialect === 'sqlite')
      await sql.raw(`UPDATE ${CHECKPOINTS} SET updated_at = updated_at WHERE 0`).execute(trx);
  }

  /**
   * Takes the checkpoint row's write lock first (an UPDATE: a row lock in PostgreSQL, the
   * database write lock in SQLite) so concurrent runners and rebuilds serialise on it.
   */
  private async lockCheckpoint(trx: Db, name: string): Promise<Checkpoint> {
    await trx.updateTable(CHECKPOINTS).set({ updated_at: now() }).where('name', '=', name).execute();
    const row = await trx
      .selectFrom(CHECKPOINTS)
      .select(['position', 'generation', 'version'])
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw new Error(`projection ${name} is not installed`);
    return {
      position: Number(row.position),
      generation: Number(row.generation),
      version: Number(row.version),
    };
  }

  private async checkpoint(name: string): Promise<Checkpoint | undefined> {
    const row = await this.read.query
      .selectFrom(CHECKPOINTS)
      .select(['position', 'generation', 'version'])
      .where('name', '=', name)
      .executeTakeFirst();
    return row
      ? { position: Number(row.position), generation: Number(row.generation), version: Number(row.version) }
      : undefined;
  }

  private async requireCheckpoint(name: string): Promise<Checkpoint> {
    const checkpoint = await this.checkpoint(name);
    if (!checkpoint) throw new Error(`projection ${name} is not installed`);
    return checkpoint;
  }

  /** Serialises batches, catch-ups and rebuild switches within this process. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.lock.then(work, work);
    this.lock = next.catch(() => undefined);
    return next;
  }
}

const handledSets = new WeakMap<Projection, Set<string>>();
function handledSet(projection: Projection): Set<string> {
  let set = handledSets.get(projection);
  if (!set) handledSets.set(projection, (set = new Set(projection.handles)));
  return set;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Two groups of about equal rebuild weight, heaviest first; this thread keeps the first. */
function splitByWeight(group: Projection[]): [Projection[], Projection[]] {
  const parts: [Projection[], Projection[]] = [[], []];
  const totals = [0, 0];
  const weight = (p: Projection) => p.rebuildWeight ?? 1;
  for (const projection of [...group].sort((a, b) => weight(b) - weight(a))) {
    const i = totals[0] <= totals[1] ? 0 : 1;
    parts[i].push(projection);
    totals[i] += weight(projection);
  }
  return parts;
}

const handledBy = (group: Projection[]) => [...new Set(group.flatMap((p) => p.handles))];
const lowest = (checkpoints: Map<string, Checkpoint>) =>
  Math.min(...[...checkpoints.values()].map((c) => c.position));

const CHUNK = 500;

type Row = Record<string, unknown>;

/**
 * The rows of one row projection between loading and writing. A live batch uses a fresh
 * buffer and writes it at once. A rebuild keeps one for its whole fill: an enrollment
 * proposed, approved and ended in different batches is evolved in memory and written once,
 * and the rows go out sorted by key, so they land in order in the fresh table's tree.
 * Past `limit` rows it writes what changed and forgets the least recently used half.
 */
class RowBuffer {
  /** Current rows by key; null: known to have no row. Map order is least recently used first. */
  readonly rows = new Map<string, Row | null>();
  readonly dirty = new Set<string>();

  constructor(
    readonly limit: number,
    /** Whether a key missing from `rows` may have a row in the table (false for a fresh table). */
    public inTable: boolean,
  ) {}
}

/**
 * Loads the rows a batch touches that the buffer lacks, folds every event through `evolve`
 * in memory, then writes what changed when the buffer is full (always, for a live batch).
 */
async function applyRowProjection(
  trx: Db,
  read: ReadDb,
  projection: RowProjection,
  table: string,
  events: RecordedEvent[],
  buffer = new RowBuffer(0, true),
) {
  const spec = projection.table;
  const [key] = spec.primaryKey;
  const keys: (string | null)[] = events.map((e) => projection.keyOf(e));
  const { rows } = buffer;
  if (buffer.inTable) {
    const wanted = [...new Set(keys.filter((k): k is string => k !== null && !rows.has(k)))];
    const sqlite = read.sqliteWriter;
    if (sqlite) {
      const select = prepared(sqlite, `SELECT * FROM ${table} WHERE ${key} = ?`);
      for (const k of wanted) {
        const row = select.get(k) as Row | undefined;
        rows.set(k, row ? fromDbRow(spec, row) : null);
      }
    } else {
      for (let i = 0; i < wanted.length; i += CHUNK) {
        const chunk = wanted.slice(i, i + CHUNK);
        const found = await selectByKeys(trx, read.dialect, table, key, chunk);
        const byKey = new Map(found.map((row) => [String(row[key]), fromDbRow(spec, row)]));
        for (const k of chunk) rows.set(k, byKey.get(k) ?? null);
      }
    }
  }
  events.forEach((event, i) => {
    const k = keys[i];
    if (k === null) return;
    const next = projection.evolve((rows.get(k) ?? null) as Row | null, event);
    rows.delete(k); // re-inserted last: most recently used
    rows.set(k, next);
    buffer.dirty.add(k);
  });
  if (rows.size > buffer.limit) {
    await writeRows(trx, read, spec, table, buffer);
    for (const k of rows.keys()) {
      if (rows.size <= buffer.limit / 2) break;
      rows.delete(k);
      buffer.inTable = true;
    }
  }
}

/** Writes a buffer's changed rows, sorted by key: upserts, and deletes of rows evolved to null. */
async function writeRows(trx: Db, read: ReadDb, spec: TableSpec, table: string, buffer: RowBuffer) {
  const [key] = spec.primaryKey;
  const upserts: Row[] = [];
  const deletes: string[] = [];
  for (const k of [...buffer.dirty].sort()) {
    const row = buffer.rows.get(k);
    if (row) upserts.push(toDbRow(spec, { ...row, [key]: k }));
    else deletes.push(k);
  }
  buffer.dirty.clear();
  await upsertRows(trx, read.dialect, table, spec, upserts);
  for (let i = 0; i < deletes.length; i += CHUNK) {
    await trx
      .deleteFrom(table)
      .where(key, 'in', deletes.slice(i, i + CHUNK))
      .execute();
  }
}

/**
 * Deltas summed by key, written as additions. A rebuild keeps adding across batches up to
 * `limit` keys. The sums sit in nested maps, one level per key column: the values of a
 * level repeat (regions, programs, days), so no key string is built per delta. On the
 * ledger's coverage (20 deltas per approval, 887,202 keys) this adds 4× faster than one
 * map of joined keys.
 */
class SumBuffer {
  private root = new Map<string, unknown>();
  size = 0;
  constructor(readonly limit: number) {}

  add(key: readonly string[], delta: number) {
    let level = this.root;
    const last = key.length - 1;
    for (let i = 0; i < last; i++) {
      let next = level.get(key[i]) as Map<string, unknown> | undefined;
      if (next === undefined) level.set(key[i], (next = new Map()));
      level = next;
    }
    const sum = level.get(key[last]) as number | undefined;
    if (sum === undefined) this.size += 1;
    level.set(key[last], (sum ?? 0) + delta);
  }

  /** Every key and its sum, in key order, then empties the buffer. */
  drain(): [string[], number][] {
    const out: [string[], number][] = [];
    const walk = (level: Map<string, unknown>, prefix: string[]) => {
      for (const value of [...level.keys()].sort()) {
        const child = level.get(value);
        if (typeof child === 'number') out.push([[...prefix, value], child]);
        else walk(child as Map<string, unknown>, [...prefix, value]);
      }
    };
    walk(this.root, []);
    this.root = new Map();
    this.size = 0;
    return out;
  }
}

type WriteBuffer = RowBuffer | SumBuffer;

function bufferFor(projection: Projection, limit: number, inTable: boolean): WriteBuffer | undefined {
  if (projection.kind === 'rows') return new RowBuffer(limit, inTable);
  if (projection.kind === 'sums') return new SumBuffer(limit);
  return undefined;
}

async function applySums(
  trx: Db,
  dialect: Dialect,
  projection: SumProjection,
  table: string,
  events: RecordedEvent[],
  buffer = new SumBuffer(0),
) {
  const add = (key: readonly string[], delta: number) => buffer.add(key, delta);
  for (const event of events) projection.deltas(event, add);
  if (buffer.size > buffer.limit) await writeSums(trx, dialect, projection, table, buffer);
}

/** Adds a buffer's sums to the table, in key order; keys whose deltas cancel out are skipped. */
async function writeSums(
  trx: Db,
  dialect: Dialect,
  projection: SumProjection,
  table: string,
  buffer: SumBuffer,
) {
  const { primaryKey } = projection.table;
  const rows: Row[] = [];
  for (const [key, delta] of buffer.drain()) {
    if (delta === 0) continue;
    const row: Row = { [projection.sum]: delta };
    primaryKey.forEach((column, i) => (row[column] = key[i]));
    rows.push(row);
  }
  const sum = projection.sum;
  const add = `ON CONFLICT (${primaryKey.join(', ')}) DO UPDATE SET ${sum} = ${table}.${sum} + excluded.${sum}`;
  await upsertRows(trx, dialect, table, projection.table, rows, add);
}

function onConflictClause(spec: TableSpec): string {
  const updates = Object.keys(spec.columns).filter((c) => !spec.primaryKey.includes(c));
  return (
    `ON CONFLICT (${spec.primaryKey.join(', ')}) DO ` +
    (updates.length ? `UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'NOTHING')
  );
}

// SQLite statements prepared once per connection and SQL text (a rebuild's tables get their own).
const statementCache = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();
function prepared(db: SqliteDatabase, text: string): SqliteStatement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = db.prepare(text)));
  return statement;
}

// The two statements below run for every batch of every row projection, so their SQL is
// written directly rather than built through the query builder: at 2,000 rows a batch the
// builder's per-value nodes cost more than the database work.

export async function selectByKeys(trx: Db, dialect: Dialect, table: string, key: string, keys: string[]) {
  const text =
    dialect === 'postgres'
      ? `SELECT * FROM ${table} WHERE ${key} = ANY($1::text[])`
      : `SELECT * FROM ${table} WHERE ${key} IN (${keys.map(() => '?').join(',')})`;
  const result = await trx.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(text, dialect === 'postgres' ? [keys] : keys),
  );
  return result.rows;
}

const PG_ARRAY_TYPES: Record<ColumnType, string> = {
  text: 'text[]',
  integer: 'int8[]',
  real: 'float8[]',
  json: 'text[]',
};

/**
 * The SQLite writer connection behind a runner transaction. Custom projections call
 * `upsertRows(trx, …)`; inside the runner's transaction the same connection's prepared
 * statements are the fast path, and they run in that transaction.
 */
const sqliteWriters = new WeakMap<Db, SqliteDatabase>();

/** Multi-row upsert: prepared row statements for SQLite, one array per column (unnest) for PostgreSQL. */
export async function upsertRows(
  trx: Db,
  dialect: Dialect,
  table: string,
  spec: TableSpec,
  rows: Record<string, unknown>[],
  onConflict = onConflictClause(spec),
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(spec.columns);
  const writer = sqliteWriters.get(trx);
  if (writer) {
    const upsert = prepared(
      writer,
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ${onConflict}`,
    );
    for (const row of rows) upsert.run(columns.map((c) => row[c]));
    return;
  }
  if (dialect === 'postgres') {
    const arrays = columns.map((c) => rows.map((r) => r[c]));
    const unnest = columns.map((c, i) => `$${i + 1}::${PG_ARRAY_TYPES[spec.columns[c].type]}`).join(', ');
    await trx.executeQuery(
      CompiledQuery.raw(
        `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${unnest}) ${onConflict}`,
        arrays,
      ),
    );
    return;
  }
  const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const tuple = `(${columns.map(() => '?').join(',')})`;
    const params: unknown[] = [];
    for (const row of chunk) for (const c of columns) params.push(row[c]);
    await trx.executeQuery(
      CompiledQuery.raw(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(',')} ${onConflict}`,
        params,
      ),
    );
  }
}

const now = () => new Date().toISOString();

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
