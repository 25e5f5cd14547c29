import type { RecordedEvent } from '@ledger/event-store';
import type { Dialect } from '../read-db';
import type { DynamicDb } from './dynamic-tables';

export type ColumnType = 'text' | 'integer' | 'real' | 'json';

export interface TableSpec {
  /** Logical name: what queries read (a view over the current physical table). */
  name: string;
  columns: Record<string, { type: ColumnType; nullable?: boolean }>;
  primaryKey: string[];
  indexes?: string[][];
  /**
   * SQLite: store rows in primary-key order (WITHOUT ROWID; the default). Tables of wide,
   * append-only rows do better as rowid tables with the key as a narrow unique index:
   * new rows are appended at the end instead of splitting pages in the middle of the tree.
   */
  clustered?: boolean;
}

interface ProjectionBase {
  /** Stable name: checkpoint key and CLI argument. */
  name: string;
  /** Bump when the projection's logic or tables change: the runner rebuilds it. */
  version: number;
  /** Event types it reads; the subscription is filtered by them. */
  handles: readonly string[];
}

/**
 * The common case: one row per key. `evolve` is pure, like a decider's: it gets the
 * current row (or null) and one event, and returns the next row (or null to delete it).
 */
export interface RowProjection<
  Row extends Record<string, unknown> = Record<string, unknown>,
> extends ProjectionBase {
  kind: 'rows';
  table: TableSpec;
  /** Primary key value of the row an event concerns; null when it concerns none. */
  keyOf(event: RecordedEvent): string | null;
  evolve(row: Row | null, event: RecordedEvent): Row | null;
}

/**
 * Counters: each event adds to a number in rows by key, and nothing else changes. The
 * runner sums the deltas in memory and writes each key once per batch when following the
 * log, and once per many batches during a rebuild (additions need no reading back).
 */
export interface SumProjection extends ProjectionBase {
  kind: 'sums';
  /** Key columns, and one integer column that holds the sum. */
  table: TableSpec;
  /** The column the deltas add to. */
  sum: string;
  /** Calls `add` for each delta the event brings, with the key's values in `table.primaryKey` order. */
  deltas(event: RecordedEvent, add: (key: readonly string[], delta: number) => void): void;
}

/**
 * The writes a batch makes, in the SQL of the read database's dialect, inside the runner's
 * transaction; for SQLite through statements prepared on the writer connection under it.
 */
export interface TableWrites {
  readonly dialect: Dialect;
  /** Multi-row upsert; `onConflict` defaults to replacing every non-key column. */
  upsert(table: string, spec: TableSpec, rows: Record<string, unknown>[], onConflict?: string): Promise<void>;
  /** The rows whose `key` column is one of `keys` (those that exist). */
  selectByKeys(table: string, key: string, keys: string[]): Promise<Record<string, unknown>[]>;
  deleteByKeys(table: string, key: string, keys: string[]): Promise<void>;
}

/** For read models that are neither (several tables, SQL of their own). */
export interface CustomProjection extends ProjectionBase {
  kind: 'custom';
  tables: TableSpec[];
  /**
   * Applies a batch inside the runner's transaction. `table` maps a logical table name
   * to the physical table being written (the live one, or a rebuild's fresh one); `writes`
   * runs the multi-row statements in the same transaction.
   */
  apply(
    events: RecordedEvent[],
    trx: DynamicDb,
    table: (logical: string) => string,
    writes: TableWrites,
  ): Promise<void>;
}

export type Projection = RowProjection | SumProjection | CustomProjection;

export function tablesOf(projection: Projection): TableSpec[] {
  return projection.kind === 'custom' ? projection.tables : [projection.table];
}

/** A read model removed from the code: what install drops from an existing read database. */
export interface RetiredReadModel {
  name: string;
  /** Logical table names (the views); their physical tables are found by the checkpoint's generation. */
  tables: string[];
}
