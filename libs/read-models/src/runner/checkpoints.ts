import { sql } from 'kysely';
import type { ReadDb } from '../read-db';
import type { DynamicDb } from './dynamic-tables';

type Db = DynamicDb;

export interface Checkpoint {
  position: number;
  generation: number;
  version: number;
}

/** Another writer (a rebuild, or a runner in another process) moved the checkpoint: reload. */
export class StaleCheckpoint extends Error {}

const CHECKPOINTS = 'projection_checkpoints';
const LOG_IDS = 'projection_log_ids';
const REBUILD_COSTS = 'projection_rebuild_costs';

const now = () => new Date().toISOString();

/**
 * Where each projection (and each reactor) stands, in the read database: one row per name.
 * Rows are written in the transaction of the batch they acknowledge.
 */
export class Checkpoints {
  constructor(private readonly read: ReadDb) {}

  /**
   * Runs an install: in PostgreSQL under an advisory lock of the schema, since
   * `CREATE … IF NOT EXISTS` of two processes starting together still collides on the
   * catalog (pg_type's unique index).
   */
  async installing(install: () => Promise<void>): Promise<void> {
    if (this.read.dialect !== 'postgres') return install();
    await this.read.db.connection().execute(async (connection) => {
      await sql`SELECT pg_advisory_lock(hashtext('ledger.read-models:' || current_schema()))`.execute(
        connection,
      );
      try {
        await install();
      } finally {
        await sql`SELECT pg_advisory_unlock(hashtext('ledger.read-models:' || current_schema()))`.execute(
          connection,
        );
      }
    });
  }

  async createTables() {
    const { db } = this.read;
    await sql
      .raw(
        `CREATE TABLE IF NOT EXISTS ${CHECKPOINTS} (name TEXT PRIMARY KEY, position BIGINT NOT NULL, ` +
          `generation INTEGER NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL)`,
      )
      .execute(db);
    // Which event log each read model was built from (see ProjectionRunner.verifyAgainstLog).
    await sql
      .raw(`CREATE TABLE IF NOT EXISTS ${LOG_IDS} (name TEXT PRIMARY KEY, log_id TEXT NOT NULL)`)
      .execute(db);
    // What each read model's last rebuild cost (see splitByCost).
    await sql
      .raw(`CREATE TABLE IF NOT EXISTS ${REBUILD_COSTS} (name TEXT PRIMARY KEY, apply_ms BIGINT NOT NULL)`)
      .execute(db);
  }

  async find(name: string): Promise<Checkpoint | undefined> {
    const row = await this.read.query
      .selectFrom(CHECKPOINTS)
      .select(['position', 'generation', 'version'])
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toCheckpoint(row) : undefined;
  }

  async require(name: string): Promise<Checkpoint> {
    const checkpoint = await this.find(name);
    if (!checkpoint) throw new Error(`projection ${name} is not installed`);
    return checkpoint;
  }

  async load(names: string[]): Promise<Map<string, Checkpoint>> {
    const out = new Map<string, Checkpoint>();
    for (const name of names) out.set(name, await this.require(name));
    return out;
  }

  /**
   * Takes the checkpoint row's write lock first (an UPDATE: a row lock in PostgreSQL, the
   * database write lock in SQLite) so concurrent runners and rebuilds serialise on it.
   */
  async lock(trx: Db, name: string): Promise<Checkpoint> {
    await trx.updateTable(CHECKPOINTS).set({ updated_at: now() }).where('name', '=', name).execute();
    const row = await trx
      .selectFrom(CHECKPOINTS)
      .select(['position', 'generation', 'version'])
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw new Error(`projection ${name} is not installed`);
    return toCheckpoint(row);
  }

  /**
   * Locks the checkpoint and verifies it is still the one this process loaded; throws
   * StaleCheckpoint when another writer moved it.
   */
  async lockUnchanged(trx: Db, name: string, loaded: Checkpoint): Promise<void> {
    const stored = await this.lock(trx, name);
    if (stored.generation !== loaded.generation || stored.position !== loaded.position)
      throw new StaleCheckpoint();
  }

  /**
   * SQLite: takes the database's write lock at the start of a transaction. One that reads
   * first and writes later fails at once (SQLITE_BUSY_SNAPSHOT) when another connection
   * committed in between, such as the API's projection thread while the CLI rebuilds; one
   * that writes first waits for the lock (busy_timeout). The UPDATE matches no row.
   */
  async takeWriteLock(trx: Db) {
    if (this.read.dialect === 'sqlite')
      await sql.raw(`UPDATE ${CHECKPOINTS} SET updated_at = updated_at WHERE 0`).execute(trx);
  }

  /** A new checkpoint at `position`, unless another process created it first. */
  async insert(trx: Db, name: string, version: number, position = 0) {
    await trx
      .insertInto(CHECKPOINTS)
      .values({ name, position, generation: 1, version, updated_at: now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }

  async advance(trx: Db, name: string, position: number) {
    await trx
      .updateTable(CHECKPOINTS)
      .set({ position, updated_at: now() })
      .where('name', '=', name)
      .execute();
  }

  async set(trx: Db, name: string, checkpoint: Checkpoint) {
    await trx
      .updateTable(CHECKPOINTS)
      .set({ ...checkpoint, updated_at: now() })
      .where('name', '=', name)
      .execute();
  }

  async remove(trx: Db, name: string) {
    await trx.deleteFrom(CHECKPOINTS).where('name', '=', name).execute();
    await trx.deleteFrom(REBUILD_COSTS).where('name', '=', name).execute();
  }

  /** The log identity recorded for each read model that has one. */
  async logIdentities(): Promise<Map<string, string>> {
    const rows = await this.read.query.selectFrom(LOG_IDS).select(['name', 'log_id']).execute();
    return new Map(rows.map((r) => [String(r.name), String(r.log_id)]));
  }

  async recordLogIdentity(db: Db, names: string[], identity: string) {
    for (const name of names)
      await db
        .insertInto(LOG_IDS)
        .values({ name, log_id: identity })
        .onConflict((oc) => oc.column('name').doUpdateSet({ log_id: identity }))
        .execute();
  }

  async forgetLogIdentity(trx: Db, names: string[]) {
    await trx.deleteFrom(LOG_IDS).where('name', 'in', names).execute();
  }

  /** Milliseconds each read model's last rebuild spent applying events, by name. */
  async rebuildCosts(): Promise<Map<string, number>> {
    const rows = await this.read.query.selectFrom(REBUILD_COSTS).select(['name', 'apply_ms']).execute();
    return new Map(rows.map((r) => [String(r.name), Number(r.apply_ms)]));
  }

  async recordRebuildCosts(trx: Db, costs: Record<string, number>) {
    for (const [name, ms] of Object.entries(costs)) {
      const apply_ms = Math.round(ms);
      await trx
        .insertInto(REBUILD_COSTS)
        .values({ name, apply_ms })
        .onConflict((oc) => oc.column('name').doUpdateSet({ apply_ms }))
        .execute();
    }
  }
}

const toCheckpoint = (row: { position: unknown; generation: unknown; version: unknown }): Checkpoint => ({
  position: Number(row.position),
  generation: Number(row.generation),
  version: Number(row.version),
});
