import { sql } from 'kysely';
import type { Dialect } from '../read-db';
import type { ColumnType, TableSpec } from './projection';
import type { DynamicDb } from './dynamic-tables';

/**
 * Physical tables carry a generation suffix; queries read the logical name, a view over
 * the current generation. A rebuild fills generation n+1 while n keeps serving, then
 * swaps the view in one transaction.
 */
export const physicalName = (logical: string, generation: number) => `${logical}__g${generation}`;

const SQL_TYPES: Record<Dialect, Record<ColumnType, string>> = {
  sqlite: { text: 'TEXT', integer: 'INTEGER', real: 'REAL', json: 'TEXT' },
  postgres: { text: 'TEXT', integer: 'BIGINT', real: 'DOUBLE PRECISION', json: 'TEXT' },
};

type Db = DynamicDb;

export async function createPhysicalTable(
  db: Db,
  dialect: Dialect,
  spec: TableSpec,
  generation: number,
  options: { withIndexes?: boolean } = {},
) {
  const table = physicalName(spec.name, generation);
  await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
  const columns = Object.entries(spec.columns).map(
    ([name, c]) => `${name} ${SQL_TYPES[dialect][c.type]}${c.nullable ? '' : ' NOT NULL'}`,
  );
  columns.push(`PRIMARY KEY (${spec.primaryKey.join(', ')})`);
  // Keyed tables in SQLite are clustered on their primary key (one B-tree instead of a
  // rowid table plus a unique index): upserts by key touch half the pages.
  const clustered = dialect === 'sqlite' && (spec.clustered ?? true) ? ' WITHOUT ROWID' : '';
  await sql.raw(`CREATE TABLE ${table} (${columns.join(', ')})${clustered}`).execute(db);
  if (options.withIndexes ?? true) await createIndexes(db, spec, generation);
}

/**
 * Secondary indexes. A rebuild fills its tables without them and creates them once at the
 * end: building an index from sorted data is far cheaper than maintaining it row by row.
 */
export async function createIndexes(db: Db, spec: TableSpec, generation: number) {
  const table = physicalName(spec.name, generation);
  for (const index of spec.indexes ?? []) {
    await sql
      .raw(`CREATE INDEX IF NOT EXISTS ${table}__${index.join('_')} ON ${table} (${index.join(', ')})`)
      .execute(db);
  }
}

export async function pointViewAt(db: Db, spec: TableSpec, generation: number) {
  await sql.raw(`DROP VIEW IF EXISTS ${spec.name}`).execute(db);
  await sql
    .raw(`CREATE VIEW ${spec.name} AS SELECT * FROM ${physicalName(spec.name, generation)}`)
    .execute(db);
}

export async function dropPhysicalTable(db: Db, spec: TableSpec, generation: number) {
  await sql.raw(`DROP TABLE IF EXISTS ${physicalName(spec.name, generation)}`).execute(db);
}

/** Row values as the database stores them: JSON as text, booleans as 0/1, undefined as NULL. */
export function toDbRow(spec: TableSpec, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(spec.columns)) {
    const value = row[name];
    if (value === undefined || value === null) out[name] = null;
    else if (column.type === 'json') out[name] = JSON.stringify(value);
    else if (typeof value === 'boolean') out[name] = value ? 1 : 0;
    else out[name] = value;
  }
  return out;
}

export function fromDbRow(spec: TableSpec, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const [name, column] of Object.entries(spec.columns)) {
    if (column.type === 'json' && typeof row[name] === 'string') out[name] = JSON.parse(row[name] as string);
  }
  return out;
}
