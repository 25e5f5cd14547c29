import { readAhead, type EventStore, type RecordedEvent } from '@ledger/event-store';
import { sql } from 'kysely';
import type { ReadDb } from '../read-db';
import type { Checkpoints } from './checkpoints';
import { writesFor } from './dialect-writes';
import { tablesOf, type Projection } from './projection';
import { createIndexes, createPhysicalTable, dropPhysicalTable, physicalName, pointViewAt } from './tables';
import { applyEvents, bufferFor, flushBuffer } from './write-buffers';
import type { RunnerLogger } from './live-loop';

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
) => Promise<FillResult & { file: string; dispose(): Promise<void> }>;

export interface FillResult {
  /** Where the fill stopped. */
  position: number;
  /** Events read, by type. */
  counts: Record<string, number>;
  /** Milliseconds spent applying events, by read model (what the next split weighs). */
  costs?: Record<string, number>;
  /** Events applied, by read model. */
  applied?: Record<string, number>;
}

/** Told how a rebuild goes (metrics), without the runner knowing who listens. */
export interface RebuildProgress {
  started(projections: string[]): void;
  /** After each batch: events applied to one read model; a helper thread's part comes in one call when it ends. */
  applied(projection: string, events: number): void;
  /** Also when the rebuild failed. */
  ended(projections: string[]): void;
}

export interface RebuildResult {
  /** Events of the log the rebuild read (each once, also when both threads read it). */
  events: number;
  /** Where the rebuilt read models stand. */
  position: number;
  /** 2 when half of the read models were filled on another thread (see RebuildHelper). */
  threads: 1 | 2;
}

export interface RebuildOptions {
  rebuildBatchSize: number;
  rebuildRowLimit: number;
  rebuildHelper?: RebuildHelper;
  logger?: RunnerLogger;
  progress?: RebuildProgress;
}

type Generations = Map<string, number>;

/**
 * Blue/green rebuilds: read models are filled from the whole log into tables of the next
 * generation while the current ones keep answering, then their views move over in one
 * transaction and the old tables are dropped.
 */
export class Rebuilder {
  constructor(
    private readonly store: EventStore,
    private readonly read: ReadDb,
    private readonly checkpoints: Checkpoints,
    private readonly options: RebuildOptions,
    /** Holds the live loop of this process while a rebuild's last events are applied and its views move. */
    private readonly exclusive: <T>(work: () => Promise<T>) => Promise<T>,
    private readonly logIdentity: () => Promise<string | undefined>,
  ) {}

  async rebuild(group: Projection[]): Promise<RebuildResult> {
    const names = group.map((p) => p.name);
    this.options.progress?.started(names);
    try {
      return await this.rebuildGroup(group, names);
    } finally {
      this.options.progress?.ended(names);
    }
  }

  private async rebuildGroup(group: Projection[], names: string[]): Promise<RebuildResult> {
    const current = await this.checkpoints.load(names);
    const generations: Generations = new Map(group.map((p) => [p.name, current.get(p.name)!.generation + 1]));
    await this.createTables(group, generations);
    const threads = this.options.rebuildHelper && this.read.dialect === 'sqlite' && group.length > 1 ? 2 : 1;
    const filled =
      threads === 2 ? await this.fillSplit(group, generations) : await this.fill(group, generations, 0);
    let { position } = filled;
    let events = total(filled.counts);
    await this.createIndexes(group, generations);
    await this.exclusive(async () => {
      // Everything up to the head is applied by the pass below, so the checkpoints can say so,
      // even when the last events of the log are of types these read models ignore.
      const head = await this.store.headPosition();
      const identity = await this.logIdentity();
      const tail = await this.fill(group, generations, position);
      position = Math.max(tail.position, head);
      events += total(tail.counts);
      await this.read.db.transaction().execute(async (trx) => {
        for (const projection of group) {
          const generation = generations.get(projection.name)!;
          await this.checkpoints.lock(trx, projection.name);
          for (const spec of tablesOf(projection)) await pointViewAt(trx, spec, generation);
          await this.checkpoints.set(trx, projection.name, {
            position,
            generation,
            version: projection.version,
          });
        }
        // Rebuilt from this log: from now on they are this log's read models.
        await this.checkpoints.forgetLogIdentity(trx, names);
        if (identity) await this.checkpoints.recordLogIdentity(trx, names, identity);
        await this.checkpoints.recordRebuildCosts(trx, addUp(filled.costs, tail.costs));
      });
    });
    for (const projection of group) {
      for (const spec of tablesOf(projection))
        await dropPhysicalTable(this.read.db, spec, current.get(projection.name)!.generation);
    }
    this.options.logger?.info('read models rebuilt', { projections: names, events, position, threads });
    return { events, position, threads };
  }

  /** One thread's part of a split rebuild, in a database of its own, from the start of the log. */
  async fillFresh(group: Projection[], generations: Record<string, number>): Promise<FillResult> {
    await this.checkpoints.createTables(); // fill takes the write lock through them
    const byName: Generations = new Map(Object.entries(generations));
    await this.createTables(group, byName);
    return this.fill(group, byName, 0, { inTurn: true });
  }

  private async createTables(group: Projection[], generations: Generations) {
    for (const projection of group) {
      for (const spec of tablesOf(projection))
        await createPhysicalTable(this.read.db, this.read.dialect, spec, generations.get(projection.name)!, {
          withIndexes: false,
        });
    }
  }

  /** Secondary indexes of a rebuild's fresh tables (those already built are kept). */
  private async createIndexes(group: Projection[], generations: Generations) {
    for (const projection of group) {
      for (const spec of tablesOf(projection))
        await createIndexes(this.read.db, spec, generations.get(projection.name)!);
    }
  }

  /**
   * The first pass of a rebuild over two threads: the read models are split in two groups of
   * about equal cost; this thread fills one while the helper fills the other in a file of
   * its own, whose tables are then copied in. The group that read less far is brought up to
   * where the other one stopped, so both go on from one position.
   */
  private async fillSplit(group: Projection[], generations: Generations): Promise<FillResult> {
    const [mine, theirs] = splitByCost(group, await this.checkpoints.rebuildCosts());
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
      for (const [name, events] of Object.entries(there.value.applied ?? {}))
        this.options.progress?.applied(name, events);
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
    let costs = addUp(here.value.costs, there.value.costs);
    for (const [part, done] of [
      [mine, here.value],
      [theirs, there.value],
    ] as const) {
      const partCounts = { ...done.counts };
      if (done.position < position) {
        const more = await this.fill(part, generations, done.position, { until: position, inTurn: true });
        for (const [type, n] of Object.entries(more.counts)) partCounts[type] = (partCounts[type] ?? 0) + n;
        costs = addUp(costs, more.costs);
      }
      for (const [type, n] of Object.entries(partCounts)) counts[type] = Math.max(counts[type] ?? 0, n);
    }
    return { position, counts, costs };
  }

  /** Copies the rows of a group's fresh tables from another SQLite file, in key order. */
  private async copyTables(file: string, group: Projection[], generations: Generations) {
    const writer = this.read.sqliteWriter!;
    await this.exclusive(async () => {
      // ATTACH cannot run inside a transaction; `exclusive` keeps this process's batches out.
      writer.prepare('ATTACH DATABASE ? AS rebuilt').run(file);
      try {
        await this.read.db.transaction().execute(async (trx) => {
          await this.checkpoints.takeWriteLock(trx);
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
    generations: Generations,
    from: number,
    { until = Infinity, inTurn = false }: { until?: number; inTurn?: boolean } = {},
  ): Promise<FillResult> {
    let position = from;
    const counts: Record<string, number> = {};
    const costs: Record<string, number> = Object.fromEntries(group.map((p) => [p.name, 0]));
    const applied: Record<string, number> = Object.fromEntries(group.map((p) => [p.name, 0]));
    const types = [...new Set(group.flatMap((p) => p.handles))];
    const handled = new Map(group.map((p) => [p, new Set(p.handles)]));
    // Rows and sums live in a buffer per read model until it fills up. From the start of the
    // log the tables are empty, so a row not in the buffer needs no lookup until the buffer
    // first overflows; the tail of a rebuild continues on rows already written.
    const buffers = new Map(group.map((p) => [p, bufferFor(p, this.options.rebuildRowLimit, from > 0)]));
    const timed = async (projection: Projection, work: () => Promise<void>) => {
      const started = performance.now();
      await work();
      costs[projection.name] += performance.now() - started;
    };
    // Alone, a rebuild lets the store read the next batch while this one is applied (on a
    // thread of its own, for SQLite). Split over two threads it reads in turn: both cores
    // are busy already, and handing rows between threads costs more than reading them.
    const page = { after: from, types, maxCount: this.options.rebuildBatchSize };
    // (SQLite's readAll is synchronous: through `readAhead` it reads each page on this thread.)
    const batches = inTurn ? readAhead((o) => this.store.readAll(o), page) : this.store.readAllPages(page);
    for await (const read of batches) {
      const batch: RecordedEvent[] =
        read[read.length - 1].position > until ? read.filter((e) => e.position <= until) : read;
      if (batch.length === 0) break;
      const inBatch: [string, number][] = [];
      await this.read.db.transaction().execute(async (trx) => {
        await this.checkpoints.takeWriteLock(trx);
        const writes = writesFor(this.read, trx);
        for (const projection of group) {
          const handles = handled.get(projection)!;
          const mine = batch.filter((e) => handles.has(e.type));
          const generation = generations.get(projection.name)!;
          if (mine.length > 0) {
            await timed(projection, () =>
              applyEvents(trx, writes, projection, generation, mine, buffers.get(projection)),
            );
            inBatch.push([projection.name, mine.length]);
          }
        }
      });
      for (const [name, events] of inBatch) {
        applied[name] += events;
        this.options.progress?.applied(name, events);
      }
      position = batch[batch.length - 1].position;
      for (const e of batch) counts[e.type] = (counts[e.type] ?? 0) + 1;
      if (batch.length < read.length) break;
      // SQLite calls are synchronous: let requests of this process through between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.read.db.transaction().execute(async (trx) => {
      await this.checkpoints.takeWriteLock(trx);
      const writes = writesFor(this.read, trx);
      for (const projection of group)
        await timed(projection, () =>
          flushBuffer(writes, projection, generations.get(projection.name)!, buffers.get(projection)),
        );
    });
    return { position, counts, costs, applied };
  }
}

/**
 * Two groups of about equal cost, costliest first; this thread keeps the first. A read
 * model's cost is the time its last rebuild spent applying events, recorded with its
 * checkpoint: it follows the log's growth and the projection's code by itself, where a
 * figure written into the code would go stale. One never rebuilt counts as the average of
 * the others (1 when none is known), so a first rebuild splits by number.
 */
export function splitByCost(group: Projection[], costs: Map<string, number>): [Projection[], Projection[]] {
  const known = group.map((p) => costs.get(p.name)).filter((c): c is number => c !== undefined);
  const neutral = known.length > 0 ? Math.max(1, known.reduce((a, b) => a + b, 0) / known.length) : 1;
  const cost = (p: Projection) => costs.get(p.name) ?? neutral;
  const parts: [Projection[], Projection[]] = [[], []];
  const totals = [0, 0];
  for (const projection of [...group].sort((a, b) => cost(b) - cost(a))) {
    const i = totals[0] <= totals[1] ? 0 : 1;
    parts[i].push(projection);
    totals[i] += cost(projection);
  }
  return parts;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

function addUp(...parts: (Record<string, number> | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of parts)
    for (const [name, ms] of Object.entries(part ?? {})) out[name] = (out[name] ?? 0) + ms;
  return out;
}
