import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Pool, types } from 'pg';
import { survivePoolErrors } from '@ledger/event-store';
import type { DynamicDb, DynamicTables } from './runner/dynamic-tables';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The read database: relational tables the projections write and the queries read,
 * behind one typed query layer (Kysely) that speaks SQLite and PostgreSQL.
 *
 * In embedded mode it is its own SQLite file beside the event log rather than the same
 * file: a projection batch is one asynchronous transaction, and it must never hold the
 * write lock that an append on the event log is waiting for.
 */
export interface ReadDb {
  readonly dialect: Dialect;
  /** The writer: the runner's tables and a generation's physical tables, named at run time. */
  readonly db: DynamicDb;
  /**
   * Where queries run. For SQLite a second connection, so reads never queue behind a
   * projection batch holding the writer; for PostgreSQL the same pool.
   */
  // Not ReadQuery: besides the read models' queries (each takes a ReadQuery), tests and the
  // bench read tables declared at run time through it, and typing it against the read schema
  // would import read-schema.ts here, which reaches this file again through every projection.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly query: Kysely<any>;
  /**
   * SQLite only: the writer connection under `db`. Inside a `db` transaction, statements
   * prepared on it run in that same transaction; the runner's hot path uses them.
   */
  readonly sqliteWriter?: Database.Database;
  close(): Promise<void>;
}

/**
 * On SQLITE_FULL, SQLITE_IOERR and a few others SQLite rolls the transaction back by itself;
 * Kysely's ROLLBACK after it then fails with "cannot rollback - no transaction is active",
 * and that error, not the disk's, is what the caller would see. Rolls back only what is open.
 */
class SqliteDialectKeepingErrors extends SqliteDialect {
  constructor(private readonly database: Database.Database) {
    super({ database });
  }

  override createDriver() {
    const driver = super.createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection) => {
      if (this.database.inTransaction) await rollback(connection);
    };
    return driver;
  }
}

/**
 * The query connection keeping its prepared statements, by their SQL: Kysely prepares every
 * query it runs, and preparing costs as much as running the small lookups of a participant's
 * history. Kysely runs one query at a time on the connection (a stream holds it to its end),
 * so a kept statement is never in use twice; SQLite prepares it again by itself when the
 * schema changed (a generation's views replaced). Bounded: the least recently used goes first.
 */
function keepingStatements(db: Database.Database, max = 500) {
  const kept = new Map<string, Database.Statement>();
  return {
    prepare(sql: string): Database.Statement {
      let statement = kept.get(sql);
      if (statement) kept.delete(sql);
      else statement = db.prepare(sql);
      kept.set(sql, statement);
      if (kept.size > max) kept.delete(kept.keys().next().value as string);
      return statement;
    },
    close: () => db.close(),
  };
}

/** `scratch`: a throwaway file (one thread's part of a rebuild), written without journal or syncs. */
export function openSqliteReadDb(file: string, options: { scratch?: boolean } = {}): ReadDb {
  const writer = new Database(file);
  writer.pragma(options.scratch ? 'journal_mode = OFF' : 'journal_mode = WAL');
  writer.pragma(options.scratch ? 'synchronous = OFF' : 'synchronous = NORMAL');
  writer.pragma('busy_timeout = 10000');
  // Fewer, larger WAL checkpoints: a catch-up rewrites the same hot pages many times.
  writer.pragma('wal_autocheckpoint = 10000');
  writer.pragma('cache_size = -131072');
  const reader = new Database(file);
  reader.pragma('busy_timeout = 10000');
  reader.pragma('cache_size = -131072');
  const db = new Kysely<DynamicTables>({ dialect: new SqliteDialectKeepingErrors(writer) });
  const query = new Kysely({ dialect: new SqliteDialect({ database: keepingStatements(reader) }) });
  return {
    dialect: 'sqlite',
    db,
    query,
    sqliteWriter: writer,
    close: async () => {
      await query.destroy();
      await db.destroy();
    },
  };
}

// int8 columns (counts, positions) come back as JS numbers; they stay far below 2^53.
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : types.getTypeParser(oid, format),
};

export async function openPostgresReadDb(
  connectionString: string,
  schema = 'public',
  max = 10,
): Promise<ReadDb> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new Pool({
    connectionString,
    max,
    types: pgTypes,
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: 10_000,
  });
  survivePoolErrors(pool); // a dropped connection surfaces on its next query, not as a crash
  const db = new Kysely<DynamicTables>({ dialect: new PostgresDialect({ pool }) });
  // Serialised: processes starting together would otherwise collide on pg_namespace's unique index.
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`ledger.schema:${schema}`}))`.execute(trx);
    await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${schema}`).execute(trx);
  });
  // One pool for both: queries see the same tables as the writer.
  return { dialect: 'postgres', db, query: db, close: () => db.destroy() };
}
