import Database from 'better-sqlite3';
import {
  SubjectErasedError,
  assertSubjectId,
  uniqueSubjectIds,
  type PersonKeyStore,
} from '../person-key-store';
import {
  KEK_CHECK_NAME,
  assertKek,
  freshKeys,
  newKekCheck,
  unwrapDataKey,
  verifyKekCheck,
} from '../key-wrapping';

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
  private readonly selectKey: Database.Statement<[string], { subject_id: string; wrapped: Buffer }>;
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
    // One person (a history, a personal view): a single index lookup, not 999 bound copies.
    this.selectKey = this.db.prepare<[string], { subject_id: string; wrapped: Buffer }>(
      'SELECT subject_id, wrapped FROM person_keys WHERE subject_id = ?',
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
    if (ids.length === 1) return this.unwrapRows(this.selectKey.all(ids[0]));
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
