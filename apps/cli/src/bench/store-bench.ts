import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import {
  SQLITE_EVENTS_SCHEMA,
  SqliteEventStore,
  type EventStore,
  type NewEvent,
  type SqliteSynchronous,
} from '@ledger/event-store';
import {
  ProjectionRunner,
  openPostgresReadDb,
  openSqliteReadDb,
  type ReadDb,
  type RowProjection,
} from '@ledger/read-models';
import { sql } from 'kysely';

/**
 * Each workload runs twice in the same process: through the ledger's store, and as the
 * plain driver calls an application would make for the same rows (the baseline). The ratio
 * between the two is what the targets speak of; absolute numbers vary with the machine.
 */
export interface BenchResult {
  store: string;
  workload: string;
  events: number;
  eventsPerSecond: number;
  baselineEventsPerSecond: number | null;
  ratio: number | null;
}

export interface Sizes {
  newStreams: number;
  batchStreams: number;
  batchSize: number;
  sequential: number;
}

export const FULL: Sizes = { newStreams: 20_000, batchStreams: 100, batchSize: 1_000, sequential: 2_000 };
export const QUICK: Sizes = { newStreams: 2_000, batchStreams: 10, batchSize: 1_000, sequential: 500 };

export function benchEvent(i: number): NewEvent {
  return {
    type: 'ContributionPaid',
    data: {
      programId: 'prog-1603-2026',
      period: '2026-10',
      amount: 16800,
      villageCode: '1603012001',
      sequence: i,
    },
    metadata: {
      eventId: randomUUID(),
      occurredAt: '2026-11-22T08:00:00.000Z',
      actor: { id: 'operator-1', role: 'finance', region: '1603' },
      correlationId: randomUUID(),
      schemaVersion: 1,
    },
  };
}

async function time(work: () => Promise<void> | void): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

const rate = (events: number, seconds: number) => Math.round(events / Math.max(seconds, 1e-9));

/** The raw-driver side of each workload, for one store kind. */
interface Baseline {
  appendEach(streams: string[], events: NewEvent[]): Promise<void>;
  appendBatches(streams: string[], batches: NewEvent[][]): Promise<void>;
  readStreams(streams: string[]): Promise<number>;
  readAll(): Promise<number>;
  project(): Promise<number>;
  close(): Promise<void>;
}

/** One row per event, upserted: the projection the catch-up target is stated for. */
const perEventRows: RowProjection = {
  kind: 'rows',
  name: 'bench_rows',
  version: 1,
  handles: ['ContributionPaid'],
  table: {
    name: 'bench_rows',
    columns: {
      id: { type: 'text' },
      stream_id: { type: 'text' },
      revision: { type: 'integer' },
      amount: { type: 'integer' },
      period: { type: 'text' },
    },
    primaryKey: ['id'],
  },
  keyOf: (e) => e.metadata.eventId,
  evolve: (_row, e) => {
    const data = e.data as { amount: number; period: string };
    return {
      id: e.metadata.eventId,
      stream_id: e.streamId,
      revision: e.revision,
      amount: data.amount,
      period: data.period,
    };
  },
};

export interface StoreUnderTest {
  name: string;
  store: EventStore;
  read: ReadDb;
  baseline: Baseline;
  dispose(): Promise<void>;
}

export async function runStoreBench(target: StoreUnderTest, sizes: Sizes, say: (line: string) => void) {
  const { store, baseline, name } = target;
  const results: BenchResult[] = [];
  const record = (workload: string, events: number, ours: number, raw: number | null) => {
    const result: BenchResult = {
      store: name,
      workload,
      events,
      eventsPerSecond: rate(events, ours),
      baselineEventsPerSecond: raw === null ? null : rate(events, raw),
      ratio: raw === null ? null : Math.round((raw / ours) * 100) / 100,
    };
    results.push(result);
    say(
      `  ${name} ${workload}: ${result.eventsPerSecond} ev/s (raw ${result.baselineEventsPerSecond ?? '-'}; ratio ${result.ratio ?? '-'})`,
    );
  };

  // 1. New streams, one event each.
  const newStreams = Array.from({ length: sizes.newStreams }, (_, i) => `payment-${randomUUID()}-${i}`);
  const newEvents = newStreams.map((_, i) => benchEvent(i));
  const oursNew = await time(async () => {
    for (let i = 0; i < newStreams.length; i++) {
      await store.append([{ streamId: newStreams[i], events: [newEvents[i]], expected: 'no_stream' }]);
    }
  });
  const rawNew = await time(() =>
    baseline.appendEach(
      newStreams.map((s) => `raw${s}`),
      newEvents,
    ),
  );
  record('append: new streams x 1 event', newStreams.length, oursNew, rawNew);

  // 2. Batches of 1,000 events to fresh streams.
  const batchStreams = Array.from({ length: sizes.batchStreams }, () => `ledger-${randomUUID()}`);
  const batches = batchStreams.map(() => Array.from({ length: sizes.batchSize }, (_, i) => benchEvent(i)));
  const oursBatch = await time(async () => {
    for (let i = 0; i < batchStreams.length; i++) {
      await store.append([{ streamId: batchStreams[i], events: batches[i], expected: 'no_stream' }]);
    }
  });
  const rawBatch = await time(() =>
    baseline.appendBatches(
      batchStreams.map((s) => `raw${s}`),
      batches,
    ),
  );
  record(
    `append: ${sizes.batchSize}-event batches`,
    sizes.batchStreams * sizes.batchSize,
    oursBatch,
    rawBatch,
  );

  // 3. Sequential appends to one stream, each with the expected revision.
  const hot = `account-${randomUUID()}`;
  const seqEvents = Array.from({ length: sizes.sequential }, (_, i) => benchEvent(i));
  const oursSeq = await time(async () => {
    for (let i = 0; i < seqEvents.length; i++) {
      await store.append([
        { streamId: hot, events: [seqEvents[i]], expected: i === 0 ? 'no_stream' : i - 1 },
      ]);
    }
  });
  const rawSeq = await time(() =>
    baseline.appendEach(
      seqEvents.map(() => `raw${hot}`),
      seqEvents,
    ),
  );
  record('append: one stream, expected revision', seqEvents.length, oursSeq, rawSeq);

  // 4. Reading streams back (the new streams and the batch streams).
  const toRead = [...newStreams.slice(0, 5_000), ...batchStreams];
  let oursRead = 0;
  const oursReadSeconds = await time(async () => {
    for (const id of toRead) oursRead += (await store.readStream(id)).length;
  });
  let rawRead = 0;
  const rawReadSeconds = await time(async () => {
    rawRead = await baseline.readStreams(toRead.map((s) => `raw${s}`));
  });
  if (rawRead !== oursRead) say(`  warning: raw read ${rawRead} events, store read ${oursRead}`);
  record('read streams', oursRead, oursReadSeconds, rawReadSeconds);

  // 5. Catch-up read of the whole log, page by page.
  let total = 0;
  const oursAll = await time(async () => {
    let after = 0;
    for (;;) {
      const page = await store.readAll({ after, maxCount: 1000 });
      if (page.length === 0) break;
      total += page.length;
      after = page[page.length - 1].position;
    }
  });
  let rawTotal = 0;
  const rawAll = await time(async () => {
    rawTotal = await baseline.readAll();
  });
  record('catch-up read of the whole log', total, oursAll, rawAll * (total / Math.max(rawTotal, 1)));

  // 6. Projection catch-up into the read database: one upserted row per event.
  const runner = new ProjectionRunner(store, target.read, [perEventRows]);
  await runner.install();
  const oursProject = await time(() => runner.catchUp());
  const [status] = await runner.status();
  const projected = Number(
    (
      await target.read.query
        .selectFrom('bench_rows')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
    )?.n,
  );
  if (!status.caughtUp) say('  warning: projection did not catch up');
  let rawProjected = 0;
  const rawProject = await time(async () => {
    rawProjected = await baseline.project();
  });
  record(
    'projection catch-up (1 row per event)',
    projected,
    oursProject,
    rawProject * (projected / Math.max(rawProjected, 1)),
  );
  return results;
}

// ---------------------------------------------------------------------------------------------

/**
 * The durable default (`full`: every commit synced) and the opt-in `normal` are measured in
 * the same run, each against a raw baseline with the same setting, so the cost of syncing
 * every append is the difference between the two rows.
 */
export const SQLITE_SYNC_SETTINGS: SqliteSynchronous[] = ['full', 'normal'];

export const sqliteName = (synchronous: SqliteSynchronous) =>
  synchronous === 'full' ? 'sqlite' : `sqlite (synchronous=${synchronous})`;

export async function sqliteUnderTest(
  dir: string,
  synchronous: SqliteSynchronous = 'full',
): Promise<StoreUnderTest> {
  const store = new SqliteEventStore(join(dir, 'ledger.db'), { synchronous });
  const read = openSqliteReadDb(join(dir, 'read.db'));
  const raw = new Database(join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  raw.exec(SQLITE_EVENTS_SCHEMA);
  raw.exec(
    'CREATE TABLE raw_rows (id TEXT PRIMARY KEY, stream_id TEXT, revision INTEGER, amount INTEGER, period TEXT)',
  );
  const insert = raw.prepare(
    'INSERT INTO events (stream_id, revision, type, category, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const revisions = new Map<string, number>();
  const insertOne = (streamId: string, e: NewEvent) => {
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    insert.run(
      streamId,
      revision,
      e.type,
      'raw',
      JSON.stringify(e.data),
      JSON.stringify(e.metadata),
      e.metadata.occurredAt,
    );
  };
  const decode = (rows: { data: string; metadata: string }[]) => {
    for (const row of rows) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
    }
    return rows.length;
  };
  const byStream = raw.prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY revision');
  const page = raw.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT 1000');
  const upsert = raw.prepare(
    'INSERT INTO raw_rows VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET stream_id = excluded.stream_id, ' +
      'revision = excluded.revision, amount = excluded.amount, period = excluded.period',
  );
  const pages = (
    visit: (
      rows: { position: number; data: string; metadata: string; stream_id: string; revision: number }[],
    ) => void,
  ) => {
    let after = 0;
    let n = 0;
    for (;;) {
      const rows = page.all(after) as {
        position: number;
        data: string;
        metadata: string;
        stream_id: string;
        revision: number;
      }[];
      if (rows.length === 0) return n;
      visit(rows);
      n += rows.length;
      after = rows[rows.length - 1].position;
    }
  };
  return {
    name: sqliteName(synchronous),
    store,
    read,
    baseline: {
      async appendEach(streams, events) {
        const one = raw.transaction((s: string, e: NewEvent) => insertOne(s, e));
        for (let i = 0; i < streams.length; i++) one(streams[i], events[i]);
      },
      async appendBatches(streams, batches) {
        const many = raw.transaction((s: string, es: NewEvent[]) => es.forEach((e) => insertOne(s, e)));
        for (let i = 0; i < streams.length; i++) many(streams[i], batches[i]);
      },
      async readStreams(streams) {
        let n = 0;
        for (const s of streams) n += decode(byStream.all(s) as { data: string; metadata: string }[]);
        return n;
      },
      async readAll() {
        return pages(decode);
      },
      async project() {
        const apply = raw.transaction(
          (rows: { data: string; metadata: string; stream_id: string; revision: number }[]) => {
            for (const row of rows) {
              const data = JSON.parse(row.data) as { amount: number; period: string };
              const metadata = JSON.parse(row.metadata) as { eventId: string };
              upsert.run(metadata.eventId, row.stream_id, row.revision, data.amount, data.period);
            }
          },
        );
        return pages(apply);
      },
      async close() {
        raw.close();
      },
    },
    async dispose() {
      await read.close();
      await store.close();
    },
  };
}

export async function postgresUnderTest(connectionString: string): Promise<StoreUnderTest> {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const { PostgresEventStore } = await import('@ledger/event-store/postgres/postgres-event-store');
  const store = await PostgresEventStore.create({ connectionString, schema });
  const read = await openPostgresReadDb(connectionString, schema);
  const raw = new Client({ connectionString });
  await raw.connect();
  await raw.query(`SET search_path = ${schema}`);
  await raw.query(`CREATE TABLE raw_events (LIKE events INCLUDING ALL)`);
  await raw.query(`CREATE SEQUENCE raw_position`);
  await raw.query(
    'CREATE TABLE raw_rows (id TEXT PRIMARY KEY, stream_id TEXT, revision BIGINT, amount BIGINT, period TEXT)',
  );
  const columns = await raw.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'raw_events'`,
    [schema],
  );
  const cast = Object.fromEntries(
    columns.rows.map((c) => [c.column_name, c.data_type === 'jsonb' ? '::jsonb' : '']),
  );
  const revisions = new Map<string, number>();
  const next = (s: string) => {
    const r = (revisions.get(s) ?? -1) + 1;
    revisions.set(s, r);
    return r;
  };
  const insertSql =
    `INSERT INTO raw_events (position, stream_id, revision, type, category, data, metadata, recorded_at) ` +
    `SELECT nextval('raw_position'), s, r, t, 'raw', d${cast.data}, m${cast.metadata}, now() ` +
    `FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[]) AS x(s, r, t, d, m)`;
  const insertRows = (streams: string[], events: NewEvent[]) =>
    raw.query({
      name: 'raw-insert',
      text: insertSql,
      values: [
        streams,
        streams.map(next),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata)),
      ],
    });
  const decode = (rows: { data: unknown; metadata: unknown }[]) => {
    for (const row of rows) {
      if (typeof row.data === 'string') JSON.parse(row.data);
      if (typeof row.metadata === 'string') JSON.parse(row.metadata);
    }
    return rows.length;
  };
  const pages = async (
    visit: (
      rows: { position: string; data: unknown; metadata: unknown; stream_id: string; revision: string }[],
    ) => Promise<void>,
  ) => {
    let after = '0';
    let n = 0;
    for (;;) {
      const { rows } = await raw.query({
        name: 'raw-page',
        text: 'SELECT * FROM raw_events WHERE position > $1 ORDER BY position LIMIT 1000',
        values: [after],
      });
      if (rows.length === 0) return n;
      await visit(rows);
      n += rows.length;
      after = rows[rows.length - 1].position;
    }
  };
  return {
    name: 'postgres',
    store,
    read,
    baseline: {
      async appendEach(streams, events) {
        for (let i = 0; i < streams.length; i++) await insertRows([streams[i]], [events[i]]);
      },
      async appendBatches(streams, batches) {
        for (let i = 0; i < streams.length; i++)
          await insertRows(
            batches[i].map(() => streams[i]),
            batches[i],
          );
      },
      async readStreams(streams) {
        let n = 0;
        for (const s of streams) {
          const { rows } = await raw.query({
            name: 'raw-stream',
            text: 'SELECT * FROM raw_events WHERE stream_id = $1 ORDER BY revision',
            values: [s],
          });
          n += decode(rows);
        }
        return n;
      },
      async readAll() {
        return pages(async (rows) => void decode(rows));
      },
      async project() {
        return pages(async (rows) => {
          const parsed = rows.map((r) => ({
            data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as {
              amount: number;
              period: string;
            },
            metadata: (typeof r.metadata === 'string' ? JSON.parse(r.metadata) : r.metadata) as {
              eventId: string;
            },
            r,
          }));
          await raw.query('BEGIN');
          await raw.query(
            'INSERT INTO raw_rows SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::text[]) ' +
              'ON CONFLICT (id) DO UPDATE SET stream_id = excluded.stream_id, revision = excluded.revision, ' +
              'amount = excluded.amount, period = excluded.period',
            [
              parsed.map((p) => p.metadata.eventId),
              parsed.map((p) => p.r.stream_id),
              parsed.map((p) => p.r.revision),
              parsed.map((p) => p.data.amount),
              parsed.map((p) => p.data.period),
            ],
          );
          await raw.query('COMMIT');
        });
      },
      async close() {
        await raw.end();
      },
    },
    async dispose() {
      await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(read.db);
      await read.close();
      await store.close();
    },
  };
}
