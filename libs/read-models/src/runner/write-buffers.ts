import type { RecordedEvent } from '@ledger/event-store';
import type { Projection, RowProjection, SumProjection, TableSpec, TableWrites } from './projection';
import { fromDbRow, physicalName, toDbRow } from './tables';
import type { DynamicDb } from './dynamic-tables';

type Db = DynamicDb;
type Row = Record<string, unknown>;

/**
 * The rows of one row projection between loading and writing. A live batch uses a fresh
 * buffer and writes it at once. A rebuild keeps one for its whole fill: an enrollment
 * proposed, approved and ended in different batches is evolved in memory and written once,
 * and the rows go out sorted by key, so they land in order in the fresh table's tree.
 * Past `limit` rows it writes what changed and forgets the least recently used half.
 */
export class RowBuffer {
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
 * Deltas summed by key, written as additions. A rebuild keeps adding across batches up to
 * `limit` keys. The sums sit in nested maps, one level per key column: the values of a
 * level repeat (regions, programs, days), so no key string is built per delta.
 */
export class SumBuffer {
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

export type WriteBuffer = RowBuffer | SumBuffer;

/** A rebuild's buffer for a projection; custom projections write their own way, unbuffered. */
export function bufferFor(projection: Projection, limit: number, inTable: boolean): WriteBuffer | undefined {
  if (projection.kind === 'rows') return new RowBuffer(limit, inTable);
  if (projection.kind === 'sums') return new SumBuffer(limit);
  return undefined;
}

/**
 * Applies events to a projection's tables of `generation` inside the transaction `trx`.
 * Without a buffer (a live batch) everything is written before it returns.
 */
export async function applyEvents(
  trx: Db,
  writes: TableWrites,
  projection: Projection,
  generation: number,
  events: RecordedEvent[],
  buffer?: WriteBuffer,
) {
  if (projection.kind === 'custom') {
    await projection.apply(events, trx, (logical) => physicalName(logical, generation), writes);
    return;
  }
  const table = physicalName(projection.table.name, generation);
  if (projection.kind === 'sums') await applySums(writes, projection, table, events, buffer as SumBuffer);
  else await applyRows(writes, projection, table, events, buffer as RowBuffer);
}

/** Writes what a rebuild's buffer still holds. */
export async function flushBuffer(
  writes: TableWrites,
  projection: Projection,
  generation: number,
  buffer: WriteBuffer | undefined,
) {
  if (!buffer || projection.kind === 'custom') return;
  const table = physicalName(projection.table.name, generation);
  if (buffer instanceof SumBuffer) await writeSums(writes, projection as SumProjection, table, buffer);
  else await writeRows(writes, projection.table, table, buffer);
}

/**
 * Loads the rows a batch touches that the buffer lacks, folds every event through `evolve`
 * in memory, then writes what changed when the buffer is full (always, for a live batch).
 */
async function applyRows(
  writes: TableWrites,
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
    const found = await writes.selectByKeys(table, key, wanted);
    for (const row of found) rows.set(String(row[key]), fromDbRow(spec, row));
    for (const k of wanted) if (!rows.has(k)) rows.set(k, null);
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
    await writeRows(writes, spec, table, buffer);
    for (const k of rows.keys()) {
      if (rows.size <= buffer.limit / 2) break;
      rows.delete(k);
      buffer.inTable = true;
    }
  }
}

/** Writes a buffer's changed rows, sorted by key: upserts, and deletes of rows evolved to null. */
async function writeRows(writes: TableWrites, spec: TableSpec, table: string, buffer: RowBuffer) {
  const [key] = spec.primaryKey;
  const upserts: Row[] = [];
  const deletes: string[] = [];
  for (const k of [...buffer.dirty].sort()) {
    const row = buffer.rows.get(k);
    if (row) upserts.push(toDbRow(spec, { ...row, [key]: k }));
    else deletes.push(k);
  }
  buffer.dirty.clear();
  await writes.upsert(table, spec, upserts);
  await writes.deleteByKeys(table, key, deletes);
}

async function applySums(
  writes: TableWrites,
  projection: SumProjection,
  table: string,
  events: RecordedEvent[],
  buffer = new SumBuffer(0),
) {
  const add = (key: readonly string[], delta: number) => buffer.add(key, delta);
  for (const event of events) projection.deltas(event, add);
  if (buffer.size > buffer.limit) await writeSums(writes, projection, table, buffer);
}

/** Adds a buffer's sums to the table, in key order; keys whose deltas cancel out are skipped. */
async function writeSums(writes: TableWrites, projection: SumProjection, table: string, buffer: SumBuffer) {
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
  await writes.upsert(table, projection.table, rows, add);
}
