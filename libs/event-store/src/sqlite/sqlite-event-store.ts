import Database from 'better-sqlite3';
import { AppendSignal, pollingSubscription } from '../polling-subscription';
import { readAhead } from '../read-ahead';
import { toRecorded, type EventRow } from '../event-row';
import { canonicalJson, hashLeafText, leafHashOf, leafText, type StoredLeaf } from '../leaf-hash';
import { LogReaderThread } from './log-reader';
import {
  StoreUnavailableError,
  WrongExpectedVersionError,
  expectationHolds,
  validateAppends,
} from '../errors';
import {
  categoryOf,
  type AppendResult,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
} from '../port';

export const SQLITE_EVENTS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY,
    stream_id   TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    leaf_hash   BLOB
  );
  CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, revision);
`;

/**
 * How a commit reaches the disk. `full` (the default): SQLite syncs the WAL at every commit,
 * so an append that returned survives a power cut or an OS crash. `normal`: the WAL is synced
 * only at checkpoints; a commit survives a crash of the process but the last ones can be lost
 * with the machine (measured: a disk that went read-only took 15,010 acknowledged events).
 */
export type SqliteSynchronous = 'full' | 'normal';

/**
 * Logs created before event hashes had no leaf_hash column: it is added (an additive change,
 * nothing rewritten) and the old rows hashed once, at the first open by this version, inside
 * one write transaction so two processes opening the file together do not both add it.
 * Old rows keep their JSON text as it was written; their hash is taken over its canonical form.
 */
function migrateLeafHashes(db: Database.Database): void {
  const hasColumn = () =>
    (db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).some((c) => c.name === 'leaf_hash');
  // The partial index holds only rows without a hash (none, once migrated), so the check at
  // every open reads no table.
  const unhashed = 'CREATE INDEX IF NOT EXISTS events_unhashed ON events (position) WHERE leaf_hash IS NULL';
  if (hasColumn()) db.exec(unhashed);
  if (hasColumn() && !db.prepare('SELECT 1 FROM events WHERE leaf_hash IS NULL LIMIT 1').get()) return;
  db.transaction(() => {
    if (!hasColumn()) db.exec('ALTER TABLE events ADD COLUMN leaf_hash BLOB');
    db.exec(unhashed);
    const rows = db
      .prepare(
        'SELECT position, stream_id, revision, type, data, metadata, recorded_at FROM events WHERE leaf_hash IS NULL',
      )
      .iterate() as IterableIterator<EventRow>;
    const update = db.prepare('UPDATE events SET leaf_hash = ? WHERE position = ?');
    const pending: [Buffer, number][] = [];
    for (const row of rows) pending.push([leafHashOf(toRecorded(row)), row.position]);
    for (const [hash, position] of pending) update.run(hash, position);
  }).immediate();
}

export interface SqliteOpenOptions {
  readonly?: boolean;
  synchronous?: SqliteSynchronous;
}

/** Pragmas shared by every connection to a ledger file: WAL lets readers run beside the one writer. */
export function openSqlite(file: string, options: SqliteOpenOptions = {}): Database.Database {
  const readonly = options.readonly ?? false;
  const db = new Database(file, { readonly, fileMustExist: readonly });
  // Every commit is synced (see SqliteSynchronous): with several writers taking turns on a slow
  // or loaded disk the lock can stay taken for seconds, so a writer waits up to 30 s for it.
  db.pragma('busy_timeout = 30000');
  // The stream index is keyed by random ids: once it outgrows the default 2 MB cache every
  // append reads its pages back from the OS. 128 MB keeps a national-scale index resident.
  db.pragma('cache_size = -131072');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // An append is acknowledged only once it is on the disk, unless NORMAL was asked for.
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    // Checkpoint the WAL into the database every ~40 MB rather than every 4 MB: bulk
    // appends rewrite the same index pages many times between two checkpoints.
    db.pragma('wal_autocheckpoint = 10000');
  }
  return db;
}

/**
 * The embedded event store. Every write transaction is synchronous and begins IMMEDIATE,
 * so appends are serialised by SQLite's write lock (also across processes sharing the
 * file) and positions are assigned in commit order: a subscriber can never see position
 * N+1 before N.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly signal = new AppendSignal();
  private readonly lastRevision: Database.Statement<[string], { revision: number }>;
  private readonly insert: Database.Statement;
  private readonly streamForwards: Database.Statement;
  private readonly streamBackwards: Database.Statement;
  private readonly appendTx: (appends: StreamAppend[], recordedAt: string) => AppendResult;

  private readonly leaves: Database.Statement<
    [number, number],
    { position: number; leaf_hash: Buffer | null }
  >;

  constructor(
    private readonly file: string,
    options: {
      synchronous?: SqliteSynchronous;
      /** Off only in the benchmark that measures what hashing costs an append: events stored as before. */
      leafHashes?: boolean;
    } = {},
  ) {
    const hashing = options.leafHashes ?? true;
    try {
      this.db = openSqlite(file, options);
      this.db.exec(SQLITE_EVENTS_SCHEMA);
      migrateLeafHashes(this.db);
    } catch (error) {
      throw new StoreUnavailableError(`cannot open SQLite event store ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.lastRevision = this.db.prepare(
      'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    );
    const byStream = (backwards: boolean) =>
      this.db.prepare(
        `SELECT position, stream_id, revision, type, data, metadata, recorded_at FROM events
         WHERE stream_id = ? AND revision ${backwards ? '<=' : '>='} ?
         ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT ?`,
      );
    this.streamForwards = byStream(false);
    this.streamBackwards = byStream(true);
    this.insert = this.db.prepare(
      'INSERT INTO events (position, stream_id, revision, type, category, data, metadata, recorded_at, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.leaves = this.db.prepare(
      'SELECT position, leaf_hash FROM events WHERE position > ? ORDER BY position LIMIT ?',
    );
    const head = this.db.prepare<[], { p: number }>('SELECT coalesce(max(position), 0) AS p FROM events');
    const tx = this.db.transaction((appends: StreamAppend[], recordedAt: string): AppendResult => {
      const streams: AppendResult['streams'] = [];
      // Positions are drawn here rather than left to the rowid, so each leaf hash, which commits
      // to its position, is computed before its row is written (we hold the write lock).
      let position = head.get()!.p;
      for (const { streamId, events, expected } of appends) {
        const actual = this.lastRevision.get(streamId)?.revision ?? -1;
        if (!expectationHolds(expected, actual))
          throw new WrongExpectedVersionError(streamId, expected, actual);
        const category = categoryOf(streamId);
        let revision = actual;
        for (const event of events) {
          revision += 1;
          position += 1;
          // Stored as canonical JSON: the leaf text is then the stored text as it is.
          const data = hashing ? canonicalJson(event.data) : JSON.stringify(event.data);
          const metadata = hashing ? canonicalJson(event.metadata) : JSON.stringify(event.metadata);
          const leaf = hashing
            ? hashLeafText(leafText({ streamId, revision, type: event.type, position }, data, metadata))
            : null;
          this.insert.run(
            position,
            streamId,
            revision,
            event.type,
            category,
            data,
            metadata,
            recordedAt,
            leaf,
          );
        }
        streams.push({ streamId, revision });
      }
      return { streams, position };
    });
    this.appendTx = tx.immediate;
  }

  async append(appends: StreamAppend[]): Promise<AppendResult> {
    validateAppends(appends);
    const result = this.appendTx(appends, new Date().toISOString());
    this.signal.notify();
    return result;
  }

  /**
   * Leaf hashes in log order, as stored at append; a row written without one (by a tool outside
   * the adapter) is hashed from its columns, so the tree never has a hole.
   */
  async readLeaves(after: number, maxCount: number): Promise<StoredLeaf[]> {
    const rows = this.leaves.all(after, maxCount);
    const missing = rows.some((row) => row.leaf_hash === null);
    const full = missing ? new Map(this.rowsBetween(after, rows).map((r) => [r.position, r])) : undefined;
    return rows.map(({ position, leaf_hash }) => ({
      position,
      hash: leaf_hash ?? leafHashOf(toRecorded(full!.get(position)!)),
    }));
  }

  private rowsBetween(after: number, rows: { position: number }[]): EventRow[] {
    const last = rows[rows.length - 1].position;
    return this.db
      .prepare(
        'SELECT position, stream_id, revision, type, data, metadata, recorded_at FROM events WHERE position > ? AND position <= ?',
      )
      .all(after, last) as EventRow[];
  }

  /** Wakes this connection's subscribers: a writer in another thread of the process has appended. */
  notifyAppended(): void {
    this.signal.notify();
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const statement = backwards ? this.streamBackwards : this.streamForwards;
    return (statement.all(streamId, from, options.maxCount ?? -1) as EventRow[]).map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readPageSync(options);
  }

  subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent[]> {
    return pollingSubscription(async (o) => this.readPageSync(o), this.signal.wait, options);
  }

  async headPosition(): Promise<number> {
    const row = this.db.prepare('SELECT max(position) AS p FROM events').get() as { p: number | null };
    return row.p ?? 0;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.signal.notify();
    if (this.db.open) this.db.close();
  }

  readAllPages(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent[]> {
    // An in-memory log has no file a second connection could open.
    if (!this.file || this.file === ':memory:')
      return readAhead(async (page) => this.readPageSync(page), options);
    const file = this.file;
    return {
      async *[Symbol.asyncIterator]() {
        const reader = new LogReaderThread(file);
        try {
          yield* readAhead((page) => {
            const { sql, params } = pageQuery(page);
            return reader.read(sql, params);
          }, options);
        } finally {
          await reader.close();
        }
      },
    };
  }

  private readonly pageStatements = new Map<string, Database.Statement>();

  private readPageSync(options: ReadAllOptions): RecordedEvent[] {
    const { sql, params } = pageQuery(options);
    let statement = this.pageStatements.get(sql);
    if (!statement) this.pageStatements.set(sql, (statement = this.db.prepare(sql)));
    return (statement.all(...params) as EventRow[]).map(toRecorded);
  }
}

/** One page of the log: the statement (one per filter shape) and its parameters. */
function pageQuery({ after = 0, maxCount = 1000, types, categories }: ReadAllOptions) {
  const where = ['position > ?'];
  if (types) where.push(`type IN (${types.map(() => '?').join(',') || 'NULL'})`);
  if (categories) where.push(`category IN (${categories.map(() => '?').join(',') || 'NULL'})`);
  return {
    // The log reader thread decodes the columns in this order.
    sql: `SELECT position, stream_id, revision, type, data, metadata, recorded_at FROM events
         WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`,
    params: [after, ...(types ?? []), ...(categories ?? []), maxCount],
  };
}
