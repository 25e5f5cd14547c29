import { escapeIdentifier, Pool, type PoolClient } from 'pg';
import { survivePoolErrors } from '@ledger/event-store';
import {
  SubjectErasedError,
  assertSubjectId,
  uniqueSubjectIds,
  type PersonKeyStore,
} from '../person-key-store';
import {
  KEK_CHECK_NAME,
  WRAPPED_BYTES,
  assertKek,
  freshKeys,
  newKekCheck,
  unwrapDataKey,
  verifyKekCheck,
} from '../key-wrapping';

export interface PostgresPersonKeyStoreOptions {
  /** A pool to share (the store does not end it), or a connection string (the store owns its pool). */
  pool?: Pool;
  connectionString?: string;
  /** Schema of the key tables, created if missing. Default `public`. */
  schema?: string;
  kek: Buffer;
}

/**
 * Key store of the server and distributed modes.
 *
 * Erasure and PostgreSQL storage: DELETE only marks the row's tuple dead; the wrapped key's
 * bytes stay in the table's heap page until VACUUM (autovacuum, or {@link vacuum} right after
 * an erasure) reclaims the dead tuple and later writes reuse the space; VACUUM FULL rewrites
 * the table outright. WAL segments and base backups also keep copies until they age out of
 * retention. All of these hold only *wrapped* keys, useless without the KEK, which is why keys
 * are wrapped at all; keep backup retention within the erasure deadline you promise.
 */
export class PostgresPersonKeyStore implements PersonKeyStore {
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly ownsPool: boolean,
    private readonly keysTable: string,
    private readonly tombstonesTable: string,
    private readonly kek: Buffer,
  ) {}

  /** Connects and creates the schema and tables if needed. */
  static async open(options: PostgresPersonKeyStoreOptions): Promise<PostgresPersonKeyStore> {
    assertKek(options.kek);
    if (!options.pool && !options.connectionString) {
      throw new Error('PostgresPersonKeyStore needs a pool or a connection string');
    }
    const ownsPool = !options.pool;
    const pool =
      options.pool ??
      new Pool({ connectionString: options.connectionString, connectionTimeoutMillis: 10_000 });
    // Without a listener a dropped connection (a restart, a failover) would end the process.
    if (ownsPool) survivePoolErrors(pool);
    const schema = escapeIdentifier(options.schema ?? 'public');
    const store = new PostgresPersonKeyStore(
      pool,
      ownsPool,
      `${schema}.person_keys`,
      `${schema}.person_key_tombstones`,
      Buffer.from(options.kek),
    );
    try {
      await store.transaction(async (client) => {
        // Concurrent CREATE ... IF NOT EXISTS can still collide on the catalog's unique
        // index when several processes start at once; the advisory lock serialises them.
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('ledger.person_keys'))`);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query(`CREATE TABLE IF NOT EXISTS ${store.keysTable} (
          subject_id text PRIMARY KEY,
          wrapped    bytea NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        )`);
        await client.query(`CREATE TABLE IF NOT EXISTS ${store.tombstonesTable} (
          subject_id   text PRIMARY KEY,
          destroyed_at timestamptz NOT NULL DEFAULT now()
        )`);
        await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.person_key_meta (
          name  text PRIMARY KEY,
          value bytea NOT NULL
        )`);
        await client.query(
          `INSERT INTO ${schema}.person_key_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
          [KEK_CHECK_NAME, newKekCheck(store.kek)],
        );
        const check = await client.query<{ value: Buffer }>(
          `SELECT value FROM ${schema}.person_key_meta WHERE name = $1`,
          [KEK_CHECK_NAME],
        );
        verifyKekCheck(store.kek, check.rows[0].value, `key store schema ${schema}`);
      });
    } catch (error) {
      if (ownsPool) await pool.end();
      throw error;
    }
    return store;
  }

  async getOrCreateMany(subjectIds: string[]): Promise<Map<string, Buffer>> {
    const ids = uniqueSubjectIds(subjectIds);
    if (ids.length === 0) return new Map();
    // Fail fast without writing when an erased subject is in the batch (re-checked below).
    await this.throwIfErased(this.pool, ids);
    const keys = await this.select(this.pool, ids);
    const missing = ids.filter((id) => !keys.has(id));
    if (missing.length === 0) return keys;

    const fresh = freshKeys(this.kek, missing);
    await this.transaction(async (client) => {
      // The wrapped keys travel as one binary parameter (pg sends a Buffer as binary), cut
      // into fixed-size slices by ordinality: far cheaper than a bytea[] in text form.
      // Sorted by subject id so that concurrent batches take the unique-index entries in the
      // same order: two overlapping batches wait for each other instead of deadlocking.
      // ON CONFLICT DO NOTHING waits for a concurrent inserter of the same id to commit and
      // then keeps that key; RETURNING tells which rows are ours.
      const inserted = await client.query<{ subject_id: string }>(
        `INSERT INTO ${this.keysTable} (subject_id, wrapped)
         SELECT t.subject_id, substring($2::bytea FROM ((t.n - 1) * ${WRAPPED_BYTES} + 1)::int FOR ${WRAPPED_BYTES})
         FROM unnest($1::text[]) WITH ORDINALITY AS t(subject_id, n)
         ORDER BY t.subject_id
         ON CONFLICT (subject_id) DO NOTHING
         RETURNING subject_id`,
        [missing, fresh.allWrapped],
      );
      // Checked after the insert, on a fresh snapshot: destroy() locks the key table against
      // inserts before it writes its tombstone, so either its tombstone is visible here (and
      // we roll back) or it waits for this commit and then deletes the key we made.
      await this.throwIfErased(client, missing);
      const ours = new Set(inserted.rows.map((r) => r.subject_id));
      for (const { id, key } of fresh.entries) if (ours.has(id)) keys.set(id, key);
      // Rows a concurrent caller inserted first: read its keys so both callers agree.
      const theirs = missing.filter((id) => !ours.has(id));
      if (theirs.length > 0) for (const [id, key] of await this.select(client, theirs)) keys.set(id, key);
    });
    return keys;
  }

  async getMany(subjectIds: string[]): Promise<Map<string, Buffer>> {
    const ids = uniqueSubjectIds(subjectIds);
    return ids.length === 0 ? new Map() : this.select(this.pool, ids);
  }

  async destroy(subjectId: string): Promise<boolean> {
    assertSubjectId(subjectId);
    return this.transaction(async (client) => {
      // SHARE ROW EXCLUSIVE conflicts with the ROW EXCLUSIVE lock of INSERT, so an in-flight
      // getOrCreateMany finishes first (and its key is deleted below) and a new one waits for
      // the tombstone. Reads are not blocked; erasures are rare, so the short lock is cheap.
      await client.query(`LOCK TABLE ${this.keysTable} IN SHARE ROW EXCLUSIVE MODE`);
      await client.query(
        `INSERT INTO ${this.tombstonesTable} (subject_id) VALUES ($1) ON CONFLICT (subject_id) DO NOTHING`,
        [subjectId],
      );
      // The row becomes a dead tuple; see the class comment on VACUUM.
      const deleted = await client.query(`DELETE FROM ${this.keysTable} WHERE subject_id = $1`, [subjectId]);
      return (deleted.rowCount ?? 0) > 0;
    });
  }

  async isDestroyed(subjectId: string): Promise<boolean> {
    assertSubjectId(subjectId);
    const result = await this.pool.query(`SELECT 1 FROM ${this.tombstonesTable} WHERE subject_id = $1`, [
      subjectId,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * Reclaims dead tuples of destroyed keys now instead of at the next autovacuum. Cannot run
   * inside a transaction, hence not part of destroy(); an erasure job calls it afterwards.
   */
  async vacuum(): Promise<void> {
    await this.pool.query(`VACUUM ${this.keysTable}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.kek.fill(0);
    if (this.ownsPool) await this.pool.end();
  }

  private async select(db: Pool | PoolClient, ids: string[]): Promise<Map<string, Buffer>> {
    const result = await db.query<{ subject_id: string; wrapped: Buffer }>(
      `SELECT subject_id, wrapped FROM ${this.keysTable} WHERE subject_id = ANY($1::text[])`,
      [ids],
    );
    return new Map(result.rows.map((r) => [r.subject_id, unwrapDataKey(this.kek, r.subject_id, r.wrapped)]));
  }

  private async throwIfErased(db: Pool | PoolClient, ids: string[]): Promise<void> {
    const result = await db.query<{ subject_id: string }>(
      `SELECT subject_id FROM ${this.tombstonesTable} WHERE subject_id = ANY($1::text[])`,
      [ids],
    );
    if (result.rows.length > 0) throw new SubjectErasedError(result.rows.map((r) => r.subject_id));
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
