import { createCipheriv, createDecipheriv, randomBytes, randomFillSync } from 'node:crypto';
import Database from 'better-sqlite3';
import { escapeIdentifier, Pool, type PoolClient } from 'pg';
import { survivePoolErrors } from '@ledger/event-store';

/**
 * Per-person data keys for crypto-shredding, kept outside the event log.
 *
 * Keys are stored wrapped (AES-256-GCM under a master key-encryption key, AAD = subject id),
 * so a copy of the key table alone reveals nothing and a wrapped key moved to another
 * subject's row does not unwrap. Destroying a key leaves a tombstone, so the system can tell
 * "erased" from "never existed" and never issues a new key to an erased subject.
 */
export interface PersonKeyStore {
  /**
   * The data key of every subject, creating the missing ones. Atomic: if any subject was
   * erased, throws {@link SubjectErasedError} and creates nothing — a new key for an erased
   * person would silently undo the erasure for whatever is written next, so the caller must
   * decide (typically: reject the command). Duplicate ids are allowed.
   */
  getOrCreateMany(subjectIds: string[]): Promise<Map<string, Buffer>>;
  /** The data keys that exist; a missing id was erased or never had a key (see {@link isDestroyed}). */
  getMany(subjectIds: string[]): Promise<Map<string, Buffer>>;
  /**
   * Erases a subject: deletes the wrapped key and records a tombstone. Returns true if a key
   * existed. Idempotent; also tombstones a subject that never had a key, so none is made later.
   */
  destroy(subjectId: string): Promise<boolean>;
  /** Whether the subject was erased (a tombstone exists). */
  isDestroyed(subjectId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A key was requested for subjects whose personal data was erased. */
export class SubjectErasedError extends Error {
  readonly code = 'SUBJECT_ERASED';
  constructor(readonly subjectIds: string[]) {
    const shown = subjectIds.slice(0, 5).join(', ');
    const more = subjectIds.length > 5 ? ` and ${subjectIds.length - 5} more` : '';
    super(`personal data of subject(s) ${shown}${more} was erased; no new data key is issued`);
    this.name = 'SubjectErasedError';
  }
}

const DATA_KEY_BYTES = 32;
const KEK_BYTES = 32;
/** First byte of every wrapped key; lets a later format (e.g. KEK rotation with a key id) coexist. */
const WRAP_FORMAT = 1;
// A random 96-bit nonce per wrap: one KEK wraps one key per person, far below the ~2^32
// messages per key up to which random GCM nonces are safe.
const WRAP_IV_BYTES = 12;
const WRAP_TAG_BYTES = 16;
const WRAPPED_BYTES = 1 + WRAP_IV_BYTES + DATA_KEY_BYTES + WRAP_TAG_BYTES;

/**
 * Wraps a data key under the KEK; the subject id is bound as AAD.
 * Layout: format byte ‖ 96-bit nonce ‖ encrypted key ‖ 128-bit tag.
 */
export function wrapDataKey(kek: Buffer, subjectId: string, dataKey: Buffer): Buffer {
  const out = Buffer.alloc(WRAPPED_BYTES);
  randomFillSync(out, 1, WRAP_IV_BYTES);
  wrapInto(kek, subjectId, dataKey, out);
  return out;
}

/** Encrypts into `out`, whose nonce bytes the caller has already filled. */
function wrapInto(kek: Buffer, subjectId: string, dataKey: Buffer, out: Buffer): void {
  out[0] = WRAP_FORMAT;
  const cipher = createCipheriv('aes-256-gcm', kek, out.subarray(1, 1 + WRAP_IV_BYTES), {
    authTagLength: WRAP_TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(subjectId, 'utf8'));
  cipher.update(dataKey).copy(out, 1 + WRAP_IV_BYTES);
  cipher.final();
  cipher.getAuthTag().copy(out, WRAPPED_BYTES - WRAP_TAG_BYTES);
}

/** Unwraps a key made by {@link wrapDataKey}; throws when the KEK is wrong or the row was altered or moved. */
export function unwrapDataKey(kek: Buffer, subjectId: string, wrapped: Buffer): Buffer {
  if (wrapped.length !== WRAPPED_BYTES || wrapped[0] !== WRAP_FORMAT) {
    throw new Error(`wrapped data key of subject ${subjectId} has an unknown format`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(1, 1 + WRAP_IV_BYTES), {
      authTagLength: WRAP_TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(subjectId, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(WRAPPED_BYTES - WRAP_TAG_BYTES));
    const key = decipher.update(wrapped.subarray(1 + WRAP_IV_BYTES, WRAPPED_BYTES - WRAP_TAG_BYTES));
    decipher.final();
    return key;
  } catch (error) {
    throw new Error(
      `cannot unwrap the data key of subject ${subjectId}: wrong key-encryption key or altered key row`,
      { cause: error },
    );
  }
}

function assertKek(kek: Buffer): void {
  if (!Buffer.isBuffer(kek) || kek.length !== KEK_BYTES) {
    throw new Error(`the key-encryption key must be ${KEK_BYTES} bytes`);
  }
}

function assertSubjectId(id: string): void {
  if (typeof id !== 'string' || id === '') throw new Error('subject ids must be non-empty strings');
}

function uniqueSubjectIds(subjectIds: string[]): string[] {
  subjectIds.forEach(assertSubjectId);
  return [...new Set(subjectIds)];
}

/**
 * A value wrapped under the KEK when a key table is created and unwrapped on every open.
 * Without it, a store opened with the wrong KEK (a replaced secrets file, a mistyped
 * variable) would fail only on old keys while quietly wrapping new ones under the wrong
 * KEK, leaving a table that no single KEK can fully read.
 */
const KEK_CHECK_NAME = 'kek_check';
const KEK_CHECK_AAD = 'ledger:person-keys:kek-check';

function newKekCheck(kek: Buffer): Buffer {
  return wrapDataKey(kek, KEK_CHECK_AAD, randomBytes(DATA_KEY_BYTES));
}

function verifyKekCheck(kek: Buffer, check: Buffer, where: string): void {
  try {
    unwrapDataKey(kek, KEK_CHECK_AAD, check);
  } catch (error) {
    throw new Error(`${where} was created with a different key-encryption key; refusing to open it`, {
      cause: error,
    });
  }
}

/**
 * Fresh data keys for `ids`, and the same keys wrapped. Two CSPRNG calls for the whole batch
 * (keys, then nonces) instead of two per subject, which would cost more than the wrapping.
 */
function freshKeys(
  kek: Buffer,
  ids: string[],
): { entries: { id: string; key: Buffer; wrapped: Buffer }[]; allWrapped: Buffer } {
  const keys = randomBytes(DATA_KEY_BYTES * ids.length);
  // Filled with random bytes as a whole; wrapInto() then overwrites everything but the nonces.
  const wrapped = randomBytes(WRAPPED_BYTES * ids.length);
  const entries = ids.map((id, i) => {
    const key = keys.subarray(i * DATA_KEY_BYTES, (i + 1) * DATA_KEY_BYTES);
    const out = wrapped.subarray(i * WRAPPED_BYTES, (i + 1) * WRAPPED_BYTES);
    wrapInto(kek, id, key, out);
    return { id, key, wrapped: out };
  });
  return { entries, allWrapped: wrapped };
}

// ─── SQLite (embedded mode) ──────────────────────────────────────────────────────────────────

/**
 * Historical SQLITE_MAX_VARIABLE_NUMBER; builds allow more, but this works with any build and
 * a lookup per 999 ids costs nothing next to unwrapping them.
 */
const IN_CHUNK = 999;

const SQLITE_KEYS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS person_keys (
    subject_id TEXT PRIMARY KEY,
    wrapped    BLOB NOT NULL,
    created_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS person_key_tombstones (
    subject_id   TEXT PRIMARY KEY,
    destroyed_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS person_key_meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
  ) WITHOUT ROWID;
`;

/**
 * Key store of the embedded mode, in a SQLite file of its own (e.g. `<dataDir>/keys.db`):
 * the event log file can then be backed up or shipped without the keys, and the keys can
 * be destroyed without touching the log.
 */
export class SqlitePersonKeyStore implements PersonKeyStore {
  private readonly db: Database.Database;
  private readonly kek: Buffer;
  private readonly selectKeys: Database.Statement<[string[]], { subject_id: string; wrapped: Buffer }>;
  private readonly selectTombstones: Database.Statement<[string[]], { subject_id: string }>;
  private readonly selectTombstone: Database.Statement<[string], { subject_id: string }>;
  private readonly insertKey: Database.Statement<[string, Buffer, string]>;
  private readonly getOrCreateTx: (ids: string[]) => Map<string, Buffer>;
  private readonly destroyTx: (subjectId: string) => boolean;
  private closed = false;

  constructor(file: string, kek: Buffer) {
    assertKek(kek);
    this.kek = Buffer.from(kek);
    try {
      this.db = new Database(file);
    } catch (error) {
      throw new Error(`cannot open key store ${file}: ${(error as Error).message}`, { cause: error });
    }
    try {
      this.db.pragma('busy_timeout = 10000');
      this.db.pragma('journal_mode = WAL');
      // FULL, not the event log's NORMAL: an event encrypted under a key whose row an OS crash
      // then lost would be unreadable forever, so a key must be durable before it is returned.
      this.db.pragma('synchronous = FULL');
      // Erasure must remove the bytes, not just unlink the row: SQLite overwrites deleted
      // content with zeros instead of leaving it in free space of the page.
      this.db.pragma('secure_delete = ON');
      this.db.exec(SQLITE_KEYS_SCHEMA);
      this.db
        .transaction(() => {
          const row = this.db
            .prepare('SELECT value FROM person_key_meta WHERE name = ?')
            .get(KEK_CHECK_NAME) as { value: Buffer } | undefined;
          if (row) verifyKekCheck(this.kek, row.value, `key store ${file}`);
          else {
            this.db
              .prepare('INSERT INTO person_key_meta (name, value) VALUES (?, ?)')
              .run(KEK_CHECK_NAME, newKekCheck(this.kek));
          }
        })
        .immediate();
    } catch (error) {
      this.db.close();
      throw error;
    }

    // One statement for every chunk: a short last chunk is padded by repeating an id
    // (a duplicate in IN changes nothing), so no statement per chunk length is needed.
    const placeholders = Array(IN_CHUNK).fill('?').join(',');
    // Bound with the chunk as one array, which better-sqlite3 spreads over the placeholders.
    this.selectKeys = this.db.prepare<[string[]], { subject_id: string; wrapped: Buffer }>(
      `SELECT subject_id, wrapped FROM person_keys WHERE subject_id IN (${placeholders})`,
    );
    this.selectTombstones = this.db.prepare<[string[]], { subject_id: string }>(
      `SELECT subject_id FROM person_key_tombstones WHERE subject_id IN (${placeholders})`,
    );
    this.selectTombstone = this.db.prepare(
      'SELECT subject_id FROM person_key_tombstones WHERE subject_id = ?',
    );
    this.insertKey = this.db.prepare(
      'INSERT INTO person_keys (subject_id, wrapped, created_at) VALUES (?, ?, ?)',
    );
    const deleteKey = this.db.prepare<[string]>('DELETE FROM person_keys WHERE subject_id = ?');
    const insertTombstone = this.db.prepare<[string, string]>(
      'INSERT INTO person_key_tombstones (subject_id, destroyed_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );

    // IMMEDIATE takes the write lock up front, so check-then-insert cannot interleave with
    // another process's getOrCreate or destroy on the same file.
    this.getOrCreateTx = this.db.transaction((ids: string[]) => {
      const erased = this.chunkedSelect(this.selectTombstones, ids).map((r) => r.subject_id);
      if (erased.length > 0) throw new SubjectErasedError(erased);
      const keys = this.unwrapRows(this.chunkedSelect(this.selectKeys, ids));
      const missing = ids.filter((id) => !keys.has(id));
      const createdAt = new Date().toISOString();
      for (const { id, key, wrapped } of freshKeys(this.kek, missing).entries) {
        this.insertKey.run(id, wrapped, createdAt);
        keys.set(id, key);
      }
      return keys;
    }).immediate;
    this.destroyTx = this.db.transaction((subjectId: string) => {
      const existed = deleteKey.run(subjectId).changes > 0;
      insertTombstone.run(subjectId, new Date().toISOString());
      return existed;
    }).immediate;
  }

  async getOrCreateMany(subjectIds: string[]): Promise<Map<string, Buffer>> {
    const ids = uniqueSubjectIds(subjectIds);
    return ids.length === 0 ? new Map() : this.getOrCreateTx(ids);
  }

  async getMany(subjectIds: string[]): Promise<Map<string, Buffer>> {
    const ids = uniqueSubjectIds(subjectIds);
    return this.unwrapRows(this.chunkedSelect(this.selectKeys, ids));
  }

  async destroy(subjectId: string): Promise<boolean> {
    assertSubjectId(subjectId);
    const existed = this.destroyTx(subjectId);
    // In WAL mode the page image that still held the wrapped key stays in the -wal file until
    // a checkpoint; copy the zeroed page into the database and truncate the WAL now rather
    // than whenever autocheckpoint gets to it. Best effort: a reader in another connection
    // can hold the checkpoint back, and the next autocheckpoint finishes it.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return existed;
  }

  async isDestroyed(subjectId: string): Promise<boolean> {
    assertSubjectId(subjectId);
    return this.selectTombstone.get(subjectId) !== undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    this.kek.fill(0);
  }

  private chunkedSelect<R>(statement: Database.Statement<[string[]], R>, ids: string[]): R[] {
    const rows: R[] = [];
    for (let start = 0; start < ids.length; start += IN_CHUNK) {
      const chunk = ids.slice(start, start + IN_CHUNK);
      while (chunk.length < IN_CHUNK) chunk.push(chunk[0]);
      for (const row of statement.all(chunk)) rows.push(row);
    }
    return rows;
  }

  private unwrapRows(rows: { subject_id: string; wrapped: Buffer }[]): Map<string, Buffer> {
    return new Map(rows.map((r) => [r.subject_id, unwrapDataKey(this.kek, r.subject_id, r.wrapped)]));
  }
}

// ─── PostgreSQL (server and distributed modes) ───────────────────────────────────────────────

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
    const pool = options.pool ?? new Pool({ connectionString: options.connectionString, connectionTimeoutMillis: 10_000 });
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
