import { Client, Pool, types, type ClientConfig, type PoolClient } from 'pg';
import { AppendSignal, pollingSubscription } from '../polling-subscription';
import { toRecorded, type EventRow } from '../event-row';
import { readAhead } from '../read-ahead';
import { canonicalJson, leafHashOf, type StoredLeaf } from '../leaf-hash';
import { StoreUnavailableError, WrongExpectedVersionError, validateAppends } from '../errors';
import { storeFault, survivePoolErrors } from '../faults';
import {
  assertSchemaName,
  channelOf,
  lockKey,
  POSTGRES_EVENTS_SCHEMA,
  WRONG_EXPECTED_VERSION,
} from './postgres-schema';
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

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** Schema holding the events table; created if missing. Several ledgers can share a database. */
  schema?: string;
  poolSize?: number;
  /** Off only in the benchmark that measures what hashing costs an append: events stored as before. */
  leafHashes?: boolean;
}

/** How `ExpectedState` travels to the append function: one int8 per stream. */
const EXPECTED_CODE = { any: -1, no_stream: -2, exists: -3 } as const;

/** With LISTEN working, polling only guards against a silently broken listener connection. */
const LISTENING_IDLE_MS = 1000;
/** The LISTEN connection is retried after 1 s, doubling up to 10 s while the server stays away. */
const RECONNECT_LISTENER_MS = 1000;
const RECONNECT_LISTENER_MAX_MS = 10_000;
const CONNECT_TIMEOUT_MS = 10_000;

// int8 (positions, revisions) comes back as a JS number; both stay far below 2^53 (see port.ts).
// A per-pool parser keeps the process-wide `pg.types` untouched.
const PG_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : types.getTypeParser(oid, format),
};

const EVENT_COLUMNS = `position, stream_id, revision, type, data, metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at`;

/**
 * The PostgreSQL event store. An append is a single call of the schema's `ledger_append`
 * function (one round trip, autocommit); appends are serialised per schema by an advisory
 * lock so positions become visible in commit order (see `POSTGRES_EVENTS_SCHEMA`).
 * Subscriptions page the log and are woken by LISTEN/NOTIFY, polling as a fallback.
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private readonly signal = new AppendSignal();
  /** Counts wake-ups, so a subscriber woken while it was reading does not go to sleep. */
  private wakeups = 0;
  private readonly stopped = new AbortController();
  private closing?: Promise<void>;
  private listener?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectDelay = RECONNECT_LISTENER_MS;
  private readonly sql: {
    append: string;
    streamForwards: string;
    streamBackwards: string;
    head: string;
    leaves: string;
    rows: string;
  };

  private constructor(
    private readonly pool: Pool,
    private readonly clientConfig: ClientConfig,
    private readonly schema: string,
    private readonly hashing: boolean,
  ) {
    const s = schema;
    this.sql = {
      // Data and metadata travel as one JSON array each and become text[] on the server: the
      // driver's own array encoding escapes element by element, about a second for 20,000 events.
      append: `SELECT last_revision, last_position FROM ${s}.ledger_append(
        $1::text[], $2::text[], $3::int8[], $4::int4[], $5::text[],
        ARRAY(SELECT t.v FROM json_array_elements_text($6::json) WITH ORDINALITY AS t(v, i) ORDER BY t.i),
        ARRAY(SELECT t.v FROM json_array_elements_text($7::json) WITH ORDINALITY AS t(v, i) ORDER BY t.i),
        $8::boolean)`,
      streamForwards: `SELECT ${EVENT_COLUMNS} FROM ${s}.events
        WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      streamBackwards: `SELECT ${EVENT_COLUMNS} FROM ${s}.events
        WHERE stream_id = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3`,
      head: `SELECT coalesce(max(position), 0) AS head FROM ${s}.events`,
      leaves: `SELECT position, leaf_hash FROM ${s}.events WHERE position > $1 ORDER BY position LIMIT $2`,
      rows: `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE position > $1 AND position <= $2 ORDER BY position`,
    };
  }

  static async create({
    connectionString,
    schema = 'public',
    poolSize = 10,
    leafHashes = true,
  }: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    assertSchemaName(schema);
    const clientConfig: ClientConfig = {
      connectionString,
      types: PG_TYPES,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'ledger-event-store',
    };
    const pool = new Pool({ ...clientConfig, max: poolSize });
    survivePoolErrors(pool);
    const store = new PostgresEventStore(pool, clientConfig, schema, leafHashes);
    const server = serverOf(clientConfig);
    try {
      await store.migrate();
      await store.listen();
    } catch (error) {
      await store.close();
      throw new StoreUnavailableError(
        `cannot open PostgreSQL event store at ${server} (schema ${schema}): ${reasonOf(error)}`,
        { cause: error },
      );
    }
    return store;
  }

  async append(appends: StreamAppend[]): Promise<AppendResult> {
    validateAppends(appends);
    const streamIds: string[] = [];
    const categories: string[] = [];
    const expected: number[] = [];
    const counts: number[] = [];
    const types: string[] = [];
    const data: string[] = [];
    const metadata: string[] = [];
    for (const append of appends) {
      streamIds.push(append.streamId);
      categories.push(categoryOf(append.streamId));
      expected.push(typeof append.expected === 'number' ? append.expected : EXPECTED_CODE[append.expected]);
      counts.push(append.events.length);
      for (const event of append.events) {
        types.push(event.type);
        // Canonical JSON, so the append function hashes the stored text as it is (see leaf-hash.ts).
        data.push(this.hashing ? canonicalJson(event.data) : JSON.stringify(event.data));
        metadata.push(this.hashing ? canonicalJson(event.metadata) : JSON.stringify(event.metadata));
      }
    }
    let rows: { last_revision: number; last_position: number }[];
    try {
      ({ rows } = await this.pool.query({
        name: 'ledger_append',
        text: this.sql.append,
        values: [
          streamIds,
          categories,
          expected,
          counts,
          types,
          JSON.stringify(data),
          JSON.stringify(metadata),
          this.hashing,
        ],
      }));
    } catch (error) {
      throw wrongExpectedVersion(error, appends) ?? unavailable(error);
    }
    this.wake();
    return {
      streams: rows.map((row, i) => ({ streamId: appends[i].streamId, revision: row.last_revision })),
      position: rows[rows.length - 1].last_position,
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const { rows } = await this.pool.query<EventRow>({
      name: backwards ? 'stream_backwards' : 'stream_forwards',
      text: backwards ? this.sql.streamBackwards : this.sql.streamForwards,
      values: [streamId, from, options.maxCount ?? null], // LIMIT NULL: no limit
    });
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { after = 0, maxCount = 1000, types, categories } = options;
    // Four statement shapes, so each prepared plan fits its filters.
    const where = ['position > $1'];
    const values: unknown[] = [after, maxCount];
    if (types) where.push(`type = ANY($${values.push(types)}::text[])`);
    if (categories) where.push(`category = ANY($${values.push(categories)}::text[])`);
    const { rows } = await this.pool.query<EventRow>({
      name: `read_all_${types ? 't' : ''}${categories ? 'c' : ''}`,
      text: `SELECT ${EVENT_COLUMNS} FROM ${this.schema}.events
        WHERE ${where.join(' AND ')} ORDER BY position LIMIT $2`,
      values,
    });
    return rows.map(toRecorded);
  }

  readAllPages(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent[]> {
    return readAhead((page) => this.readAll(page), options);
  }

  async *subscribe(options: SubscribeOptions): AsyncGenerator<RecordedEvent[]> {
    // Ends on the caller's signal or when the store closes, whichever comes first.
    const stop = new AbortController();
    const abort = () => stop.abort();
    const sources = [options.signal, this.stopped.signal].filter((s): s is AbortSignal => s !== undefined);
    if (sources.some((s) => s.aborted)) return;
    for (const source of sources) source.addEventListener('abort', abort, { once: true });

    let seen = this.wakeups;
    const readPage = (page: ReadAllOptions) => {
      seen = this.wakeups;
      return this.readAll(page);
    };
    const wake = (signal: AbortSignal, idleMs: number) =>
      seen !== this.wakeups
        ? Promise.resolve()
        : this.signal.wait(signal, this.listener ? LISTENING_IDLE_MS : idleMs);
    try {
      yield* pollingSubscription(readPage, wake, { ...options, signal: stop.signal });
    } finally {
      for (const source of sources) source.removeEventListener('abort', abort);
    }
  }

  /** Leaf hashes in log order; a row written without one (outside the adapter) is hashed from its columns. */
  async readLeaves(after: number, maxCount: number): Promise<StoredLeaf[]> {
    const { rows } = await this.pool.query<{ position: number; leaf_hash: Buffer | null }>({
      name: 'read_leaves',
      text: this.sql.leaves,
      values: [after, maxCount],
    });
    if (rows.every((row) => row.leaf_hash !== null))
      return rows.map((r) => ({ position: r.position, hash: r.leaf_hash! }));
    const full = await this.pool.query<EventRow>({
      text: this.sql.rows,
      values: [after, rows[rows.length - 1].position],
    });
    const byPosition = new Map(full.rows.map((row) => [row.position, row]));
    return rows.map(({ position, leaf_hash }) => ({
      position,
      hash: leaf_hash ?? leafHashOf(toRecorded(byPosition.get(position)!)),
    }));
  }

  async headPosition(): Promise<number> {
    const { rows } = await this.pool.query<{ head: number }>({ name: 'head_position', text: this.sql.head });
    return rows[0].head;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** Idempotent: ends subscriptions, the LISTEN connection and the pool. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.stopped.abort();
    this.signal.notify();
    clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = undefined;
    await Promise.allSettled([listener?.end(), this.pool.end()]);
  }

  private wake(): void {
    this.wakeups += 1;
    this.signal.notify();
  }

  /** Runs the DDL under a session advisory lock, so processes starting together do not race on it. */
  private async migrate(): Promise<void> {
    const client: PoolClient = await this.pool.connect();
    const key = lockKey('migrate', this.schema);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [key]);
      try {
        await client.query(POSTGRES_EVENTS_SCHEMA(this.schema));
        await this.hashOldRows(client);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key]);
      }
      client.release();
    } catch (error) {
      client.release(true); // a broken or still-locked session must not go back to the pool
      throw error;
    }
  }

  /**
   * Rows written before event hashes have none: hashed once, over the canonical form of their
   * JSON text (which keeps its original spelling), in batches, while the migration lock is held.
   */
  private async hashOldRows(client: PoolClient): Promise<void> {
    for (;;) {
      const { rows } = await client.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM ${this.schema}.events WHERE leaf_hash IS NULL ORDER BY position LIMIT 5000`,
      );
      if (rows.length === 0) return;
      await client.query(
        `UPDATE ${this.schema}.events e SET leaf_hash = u.hash
         FROM unnest($1::int8[], $2::bytea[]) AS u(position, hash) WHERE e.position = u.position`,
        [rows.map((r) => r.position), rows.map((r) => leafHashOf(toRecorded(r)))],
      );
    }
  }

  /** A connection of its own LISTENs for appends from every process; losing it only slows wake-ups. */
  private async listen(): Promise<void> {
    const client = new Client(this.clientConfig);
    const lost = () => {
      client.removeAllListeners('notification');
      if (this.listener === client) this.listener = undefined;
      if (this.stopped.signal.aborted || this.reconnectTimer) return;
      this.wake(); // subscribers fall back to the short poll interval at once
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = undefined;
        this.listen().catch(lost);
      }, this.reconnectDelay);
      this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_LISTENER_MAX_MS);
      this.reconnectTimer.unref();
    };
    client.on('notification', () => this.wake());
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    await client.query(`LISTEN ${channelOf(this.schema)}`);
    if (this.stopped.signal.aborted) {
      await client.end();
      return;
    }
    this.listener = client;
    this.reconnectDelay = RECONNECT_LISTENER_MS;
    this.wake(); // appends made while no listener was up are picked up now
  }
}

/** host:port of a connection string, never its password. */
function serverOf(config: ClientConfig): string {
  try {
    const { host, port } = new Client(config); // parses the connection string, does not connect
    return `${host}:${port}`;
  } catch {
    return 'an unparsable connection string';
  }
}

/** One line for an error; Node reports a refused dual-stack connect as an AggregateError without a message. */
function reasonOf(error: unknown): string {
  const inner = error instanceof AggregateError ? error.errors[0] : error;
  const { message, code } = (inner ?? {}) as { message?: string; code?: string };
  return (message || code || String(inner)).split('\n')[0];
}

/**
 * A connection lost or refused during an append: the port's error, naming the server's
 * reason. Whether a commit reached the server before the connection broke is unknown to
 * the caller, so it retries with its idempotency key, which returns the first result.
 */
function unavailable(error: unknown): unknown {
  const fault = storeFault(error);
  if (!fault || fault.kind !== 'unavailable' || error instanceof StoreUnavailableError) return error;
  return new StoreUnavailableError(`PostgreSQL event store unreachable: ${fault.message}`, { cause: error });
}

/** The append function's refusal, as the port's error naming the stream and its actual revision. */
function wrongExpectedVersion(
  error: unknown,
  appends: StreamAppend[],
): WrongExpectedVersionError | undefined {
  const { code, detail } = error as { code?: string; detail?: string };
  if (code !== WRONG_EXPECTED_VERSION || !detail) return undefined;
  const { index, actual } = JSON.parse(detail) as { index: number; actual: number };
  const { streamId, expected } = appends[index - 1];
  return new WrongExpectedVersionError(streamId, expected, actual);
}
