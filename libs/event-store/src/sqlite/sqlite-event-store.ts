import Database from 'better-sqlite3';
import { AppendSignal, pollingSubscription } from '../polling-subscription';
import { readAhead } from '../read-ahead';
import { toRecorded, type EventRow } from '../event-row';
import { LogReaderThread } from './log-reader';
import { StoreUnavailableError, WrongExpectedVersionError, expectationHolds, validateAppends } from '../errors';
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
    recorded_at TEXT    NOT NULL
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

  constructor(
    private readonly file: string,
    options: { synchronous?: SqliteSynchronous } = {},
  ) {
    try {
      this.db = openSqlite(file, options);
      this.db.exec(SQLITE_EVENTS_SCHEMA);
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
      'INSERT INTO events (stream_id, revision, type, category, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const tx = this.db.transaction((appends: StreamAppend[], recordedAt: string): AppendResult => {
      const streams: AppendResult['streams'] = [];
      let position = 0;
      for (const { streamId, events, expected } of appends) {
        const actual = this.lastRevision.get(streamId)?.revision ?? -1;
        if (!expectationHolds(expected, actual)) throw new WrongExpectedVersionError(streamId, expected, actual);
        const category = categoryOf(streamId);
        let revision = actual;
        for (const event of events) {
          revision += 1;
          const info = this.insert.run(
            streamId,
            revision,
            event.type,
            category,
            JSON.stringify(event.data),
            JSON.stringify(event.metadata),
            recordedAt,
          );
          position = Number(info.lastInsertRowid);
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
    if (!this.file || this.file === ':memory:') return readAhead(async (page) => this.readPageSync(page), options);
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
