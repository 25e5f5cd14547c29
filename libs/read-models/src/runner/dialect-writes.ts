import type { Database as SqliteDatabase, Statement as SqliteStatement } from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import type { ReadDb } from '../read-db';
import type { ColumnType, TableSpec, TableWrites } from './projection';
import type { DynamicDb } from './dynamic-tables';

type Db = DynamicDb;
type Row = Record<string, unknown>;

/** Keys per statement: PostgreSQL and SQLite both take this many parameters comfortably. */
export const CHUNK = 500;

/** The writes of a transaction of this read database, through its SQLite writer connection if it has one. */
export function writesFor(read: ReadDb, trx: Db): TableWrites {
  if (read.dialect === 'postgres') return new PostgresWrites(trx);
  if (!read.sqliteWriter) throw new Error('a SQLite read database needs its writer connection');
  return new SqliteWrites(trx, read.sqliteWriter);
}

export function onConflictClause(spec: TableSpec): string {
  const updates = Object.keys(spec.columns).filter((c) => !spec.primaryKey.includes(c));
  return (
    `ON CONFLICT (${spec.primaryKey.join(', ')}) DO ` +
    (updates.length ? `UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'NOTHING')
  );
}

/**
 * SQLite: statements prepared on the writer connection under the Kysely transaction run in
 * that same transaction, and skip the query builder: at 2,000 rows a batch its per-value
 * nodes cost more than the database work.
 */
class SqliteWrites implements TableWrites {
  readonly dialect = 'sqlite' as const;

  constructor(
    private readonly trx: Db,
    private readonly writer: SqliteDatabase,
  ) {}

  async upsert(table: string, spec: TableSpec, rows: Row[], onConflict = onConflictClause(spec)) {
    if (rows.length === 0) return;
    const columns = Object.keys(spec.columns);
    const upsert = prepared(
      this.writer,
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ${onConflict}`,
    );
    for (const row of rows) upsert.run(columns.map((c) => row[c]));
  }

  async selectByKeys(table: string, key: string, keys: string[]) {
    const select = prepared(this.writer, `SELECT * FROM ${table} WHERE ${key} = ?`);
    const out: Row[] = [];
    for (const k of keys) {
      const row = select.get(k) as Row | undefined;
      if (row) out.push(row);
    }
    return out;
  }

  deleteByKeys(table: string, key: string, keys: string[]) {
    return deleteByKeys(this.trx, table, key, keys);
  }
}

const PG_ARRAY_TYPES: Record<ColumnType, string> = {
  text: 'text[]',
  integer: 'int8[]',
  real: 'float8[]',
  json: 'text[]',
};

/** PostgreSQL: one array parameter per column (unnest for upserts, ANY for lookups). */
class PostgresWrites implements TableWrites {
  readonly dialect = 'postgres' as const;

  constructor(private readonly trx: Db) {}

  async upsert(table: string, spec: TableSpec, rows: Row[], onConflict = onConflictClause(spec)) {
    if (rows.length === 0) return;
    const columns = Object.keys(spec.columns);
    const arrays = columns.map((c) => rows.map((r) => r[c]));
    const unnest = columns.map((c, i) => `$${i + 1}::${PG_ARRAY_TYPES[spec.columns[c].type]}`).join(', ');
    await this.trx.executeQuery(
      CompiledQuery.raw(
        `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${unnest}) ${onConflict}`,
        arrays,
      ),
    );
  }

  async selectByKeys(table: string, key: string, keys: string[]) {
    const out: Row[] = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const result = await this.trx.executeQuery<Row>(
        CompiledQuery.raw(`SELECT * FROM ${table} WHERE ${key} = ANY($1::text[])`, [
          keys.slice(i, i + CHUNK),
        ]),
      );
      out.push(...result.rows);
    }
    return out;
  }

  deleteByKeys(table: string, key: string, keys: string[]) {
    return deleteByKeys(this.trx, table, key, keys);
  }
}

async function deleteByKeys(trx: Db, table: string, key: string, keys: string[]) {
  for (let i = 0; i < keys.length; i += CHUNK)
    await trx
      .deleteFrom(table)
      .where(key, 'in', keys.slice(i, i + CHUNK))
      .execute();
}

// Prepared once per connection and SQL text (a rebuild's tables get their own).
const statementCache = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();
function prepared(db: SqliteDatabase, text: string): SqliteStatement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = db.prepare(text)));
  return statement;
}
