import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SqliteEventStore, type EventStore, type NewEvent } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { sql } from 'kysely';
import { openPostgresReadDb, openSqliteReadDb, type ReadDb } from '../read-db';
import { readDbTargets, readFixture, type ReadDbTarget } from '../testing/read-db-targets';
import { streamStats, streamTypeSums, typeCounts, type StreamStatsRow } from '../testing/sample-projections';
import { ProjectionRunner, type RebuildHelper } from './projection-runner';

const event = (type: string, data: Record<string, unknown> = {}): NewEvent => ({
  type,
  data,
  metadata: { eventId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 },
});

function runnerSuite(target: ReadDbTarget) {
  const fixture = readFixture(target, 'ledger-runner-');
  let store: EventStore;
  let read: ReadDb;
  beforeEach(() => ({ store, read } = fixture));

  const stats = async (): Promise<StreamStatsRow[]> =>
    (await read.query.selectFrom('stream_stats').selectAll().orderBy('id').execute()).map((r) => ({
      ...r,
      tags: JSON.parse(r.tags as string),
    })) as StreamStatsRow[];

  const sums = async () =>
    (
      await read.query.selectFrom('stream_type_sums').selectAll().orderBy('stream').orderBy('type').execute()
    ).map((r) => ({ stream: r.stream as string, type: r.type as string, n: Number(r.n) }));

  it('catches up: rows and checkpoint reflect every handled event exactly once', async () => {
    await store.append([
      { streamId: 'a-1', events: [event('Added', { n: 2 }), event('Tagged', { tag: 'x' })], expected: 'any' },
    ]);
    await store.append([
      { streamId: 'a-2', events: [event('Added', { n: 5 }), event('Ignored')], expected: 'any' },
    ]);
    await store.append([
      { streamId: 'a-3', events: [event('Added', { n: 1 }), event('Deleted')], expected: 'any' },
    ]);
    const runner = new ProjectionRunner(store, read, [streamStats(), typeCounts], { batchSize: 2 });
    await runner.install();
    await runner.catchUp();
    await runner.catchUp(); // idempotent: a second pass applies nothing

    expect(await stats()).toEqual([
      { id: 'a-1', events: 2, total: 2, last_type: 'Tagged', tags: ['x'] },
      { id: 'a-2', events: 1, total: 5, last_type: 'Added', tags: [] },
    ]);
    const counts = await read.query.selectFrom('type_counts').selectAll().orderBy('type').execute();
    expect(counts.map((c) => [c.type, Number(c.count)])).toEqual([
      ['Added', 3],
      ['Deleted', 1],
      ['Tagged', 1],
    ]);
    const [status] = await runner.status();
    expect(status).toMatchObject({ name: 'stream_stats', caughtUp: true, lag: 0, eventsApplied: 5 });
    // The trailing 'Ignored' event is not handled, so the checkpoint stops at the last handled one.
    expect(status.position).toBe((await store.readAll({ types: ['Deleted'] }))[0].position);
  });

  it('follows live appends and answers read-your-writes waits', async () => {
    const runner = new ProjectionRunner(store, read, [streamStats()]);
    await runner.install();
    runner.start();
    try {
      const { position } = await store.append([
        { streamId: 'live-1', events: [event('Added', { n: 7 })], expected: 'any' },
      ]);
      expect(await runner.waitFor(['stream_stats'], position, 5000)).toBe(true);
      expect(await stats()).toEqual([{ id: 'live-1', events: 1, total: 7, last_type: 'Added', tags: [] }]);
      // A write of a type the projection ignores does not make readers wait.
      const other = await store.append([{ streamId: 'x-1', events: [event('Ignored')], expected: 'any' }]);
      expect(await runner.waitFor(['stream_stats'], other.position, 1000)).toBe(true);
    } finally {
      await runner.stop();
    }
  });

  it('a wait for a token the read model has not reached times out', async () => {
    const runner = new ProjectionRunner(store, read, [streamStats()]);
    await runner.install();
    const { position } = await store.append([
      { streamId: 'late-1', events: [event('Added')], expected: 'any' },
    ]);
    const started = Date.now();
    expect(await runner.waitFor(['stream_stats'], position, 150)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('rebuilds into fresh tables while the old ones answer, then switches', async () => {
    for (let i = 0; i < 50; i++) {
      await store.append([
        {
          streamId: `r-${i % 7}`,
          events: [event('Added', { n: i }), event('Tagged', { tag: `t${i}` })],
          expected: 'any',
        },
      ]);
    }
    const runner = new ProjectionRunner(store, read, [streamStats(), typeCounts], {
      batchSize: 16,
      rebuildBatchSize: 80,
    });
    await runner.install();
    await runner.catchUp();
    const live = await stats();

    const rebuilding = runner.rebuild('stream_stats');
    expect(await stats()).toEqual(live); // still served during the rebuild
    const result = await rebuilding;
    expect(result.events).toBe(100);
    expect(await stats()).toEqual(live);
    const [status] = await runner.status();
    expect(status.generation).toBe(2);
    // The old generation's table is gone from the catalog.
    const catalog =
      target.name === 'sqlite'
        ? sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`
        : sql<{
            name: string;
          }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`;
    const tables = (await catalog.execute(read.db)).rows.map((r) => r.name);
    expect(tables).toContain('stream_stats__g2');
    expect(tables).not.toContain('stream_stats__g1');

    // Live processing continues on the new generation.
    await store.append([{ streamId: 'r-0', events: [event('Added', { n: 1000 })], expected: 'any' }]);
    await runner.catchUp();
    expect((await stats()).find((r) => r.id === 'r-0')!.total).toBe(
      live.find((r) => r.id === 'r-0')!.total + 1000,
    );
  });

  it('a rebuild that holds only a few rows and sums in memory writes, forgets and reloads them, and deletes', async () => {
    // 25 streams in an interleaved order, some deleted and started again later: with room
    // for 4 rows, rows are written, forgotten, loaded back and deleted across batches.
    let seed = 11;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let i = 0; i < 300; i++) {
      const stream = `m-${next() % 25}`;
      const roll = next() % 10;
      const e =
        roll === 0
          ? event('Deleted')
          : roll < 4
            ? event('Tagged', { tag: `t${i}` })
            : event('Added', { n: i });
      await store.append([{ streamId: stream, events: [e], expected: 'any' }]);
    }
    const projections = [streamStats(), streamTypeSums];
    const names = projections.map((p) => p.name);
    const runner = new ProjectionRunner(store, read, projections, {
      batchSize: 3,
      rebuildBatchSize: 15,
      rebuildRowLimit: 4,
    });
    await runner.install();
    await runner.catchUp(); // live path: every batch written at once
    const live = await stats();
    expect(live.length).toBeGreaterThan(10);
    expect(live.length).toBeLessThan(25); // some streams end deleted
    const liveSums = await sums();
    // Independently: the Added count of a stream minus its Deleted count.
    const all = await store.readAll({ maxCount: 10_000 });
    const net = (stream: string) =>
      all.filter((e) => e.streamId === stream && e.type === 'Added').length -
      all.filter((e) => e.streamId === stream && e.type === 'Deleted').length;
    for (const row of liveSums.filter((r) => r.type === 'Added')) expect(row.n).toBe(net(row.stream));

    await runner.rebuildMany(names);
    expect(await stats()).toEqual(live);
    expect(await sums()).toEqual(liveSums);
    // The same with every row and sum kept in memory until the end of the fill.
    const roomy = new ProjectionRunner(store, read, projections, { batchSize: 3, rebuildBatchSize: 15 });
    await roomy.rebuildMany(names);
    expect(await stats()).toEqual(live);
    expect(await sums()).toEqual(liveSums);
  });

  it('a read model removed from the code is dropped at install: view, tables and checkpoint', async () => {
    await store.append([{ streamId: 'x-1', events: [event('Added', { n: 1 })], expected: 'any' }]);
    const before = new ProjectionRunner(store, read, [streamStats(), typeCounts]);
    await before.install();
    await before.catchUp();
    await before.rebuild('stream_stats'); // generation 2, so the drop follows the checkpoint
    const after = new ProjectionRunner(store, read, [typeCounts], {
      retired: [{ name: 'stream_stats', tables: ['stream_stats'] }],
    });
    await after.install();
    const catalog =
      target.name === 'sqlite'
        ? sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type IN ('table', 'view')`
        : sql<{
            name: string;
          }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`;
    const names = (await catalog.execute(read.db)).rows.map((r) => r.name);
    expect(names.filter((n) => n.startsWith('stream_stats'))).toEqual([]);
    expect(names).toContain('type_counts');
    expect((await after.status()).map((s) => s.name)).toEqual(['type_counts']);
    const checkpoints = await read.query.selectFrom('projection_checkpoints').select('name').execute();
    expect(checkpoints.map((c) => c.name)).toEqual(['type_counts']);
    await after.install(); // nothing left to drop
  });

  it('a new projection version triggers a rebuild at install', async () => {
    await store.append([{ streamId: 'v-1', events: [event('Added', { n: 3 })], expected: 'any' }]);
    const v1 = new ProjectionRunner(store, read, [streamStats(1)]);
    await v1.install();
    await v1.catchUp();
    const v2 = new ProjectionRunner(store, read, [streamStats(2)]);
    await v2.install();
    const [status] = await v2.status();
    expect(status).toMatchObject({ version: 2, generation: 2, caughtUp: true });
    expect(await stats()).toEqual([{ id: 'v-1', events: 1, total: 3, last_type: 'Added', tags: [] }]);
  });

  it('a runner whose checkpoint was moved by another runner reloads instead of applying twice', async () => {
    await store.append([{ streamId: 's-1', events: [event('Added', { n: 1 })], expected: 'any' }]);
    const first = new ProjectionRunner(store, read, [streamStats()]);
    const second = new ProjectionRunner(store, read, [streamStats()]);
    await first.install();
    await second.install();
    first.start();
    second.start();
    try {
      for (let i = 0; i < 20; i++) {
        const { position } = await store.append([
          { streamId: 's-1', events: [event('Added', { n: 1 })], expected: 'any' },
        ]);
        await first.waitFor(['stream_stats'], position, 5000);
      }
    } finally {
      await first.stop();
      await second.stop();
    }
    expect((await stats())[0]).toMatchObject({ id: 's-1', events: 21, total: 21 });
  });
}

describe('projection runner: sqlite read database', () => runnerSuite(readDbTargets.sqlite));

describe('projection runner: a rebuild beside another writer of the same SQLite file', () => {
  const fixture = readFixture(readDbTargets.sqlite, 'ledger-runner-writer-');

  /** Another connection (as the API's projection thread would be) committing in a tight loop. */
  function otherWriter(file: string) {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const Database = require('better-sqlite3');
       const db = new Database(workerData.file);
       db.pragma('busy_timeout = 10000');
       db.exec('CREATE TABLE IF NOT EXISTS other_writer (n INTEGER)');
       const insert = db.prepare('INSERT INTO other_writer VALUES (?)');
       const stop = new Int32Array(workerData.stop);
       let n = 0;
       parentPort.postMessage('ready');
       while (Atomics.load(stop, 0) === 0) insert.run(n++);
       db.close();
       parentPort.postMessage(n);`,
      { eval: true, workerData: { file, stop: stop.buffer } },
    );
    const ready = new Promise((resolve) => worker.once('message', resolve));
    const done = ready.then(() => new Promise<number>((resolve) => worker.once('message', resolve)));
    return {
      ready,
      async stop() {
        Atomics.store(stop, 0, 1);
        const commits = await done;
        await worker.terminate();
        return commits;
      },
    };
  }

  it('each rebuild batch takes the write lock before it reads, so a commit in between cannot fail it', async () => {
    const { store, read } = fixture;
    for (let i = 0; i < 400; i++) {
      await store.append([{ streamId: `w-${i % 40}`, events: [event('Added', { n: i })], expected: 'any' }]);
    }
    // Room for 2 rows: from the second batch on, every batch looks rows up before it writes.
    const runner = new ProjectionRunner(store, read, [streamStats()], {
      batchSize: 4,
      rebuildBatchSize: 20,
      rebuildRowLimit: 2,
    });
    await runner.install();
    await runner.catchUp();
    const live = await read.query.selectFrom('stream_stats').selectAll().orderBy('id').execute();
    const writer = otherWriter(read.sqliteWriter!.name);
    await writer.ready;
    try {
      await runner.rebuild('stream_stats');
    } finally {
      expect(await writer.stop()).toBeGreaterThan(0);
    }
    expect(await read.query.selectFrom('stream_stats').selectAll().orderBy('id').execute()).toEqual(live);
  });
});
describe('projection runner: a rebuild split in two parts, one filled in a file of its own (SQLite)', () => {
  const fixture = readFixture(readDbTargets.sqlite, 'ledger-runner-split-');
  const projections = [streamStats(), streamTypeSums, typeCounts];
  const names = projections.map((p) => p.name);
  const snapshot = async (read: ReadDb) => ({
    stats: await read.query.selectFrom('stream_stats').selectAll().orderBy('id').execute(),
    sums: await read.query
      .selectFrom('stream_type_sums')
      .selectAll()
      .orderBy('stream')
      .orderBy('type')
      .execute(),
    counts: await read.query.selectFrom('type_counts').selectAll().orderBy('type').execute(),
  });
  const appendSome = async (store: EventStore, from: number, count: number) => {
    for (let i = from; i < from + count; i++) {
      const e =
        i % 7 === 0
          ? event('Deleted')
          : i % 3 === 0
            ? event('Tagged', { tag: `t${i}` })
            : event('Added', { n: i });
      await store.append([{ streamId: `p-${i % 30}`, events: [e], expected: 'any' }]);
    }
  };

  /**
   * The other part runs here, in this thread, the way the worker thread runs it: its own
   * runner over a scratch file. `more` appends events before or after it fills, so one part
   * reads further than the other and the runner must bring the other one up to it (each
   * case was checked to take its own branch).
   */
  function helper(dir: string, more: 'before' | 'after', used: string[][]): RebuildHelper {
    return async (parts, generations) => {
      used.push(parts);
      const { store } = fixture;
      const file = join(dir, `part-${used.length}.db`);
      if (more === 'before') {
        // Give this thread's part (20 pages of the log) time to finish first, so the new
        // events are read by the other part only, and this part has to catch up.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await appendSome(store, 1000, 60);
      }
      const scratch = openSqliteReadDb(file, { scratch: true });
      const mine = projections.filter((p) => parts.includes(p.name));
      const result = await new ProjectionRunner(store, scratch, mine, {
        batchSize: 3,
        rebuildBatchSize: 15,
        rebuildRowLimit: 4,
      }).fillFresh(generations);
      await scratch.close();
      if (more === 'after') await appendSome(store, 2000, 60);
      return { file, ...result, dispose: async () => rmSync(file, { force: true }) };
    };
  }

  it.each(['before', 'after'] as const)(
    'gives back the live read models, counts each event once, and removes the file (other part appends %s it fills)',
    async (more) => {
      const { store, read } = fixture;
      await appendSome(store, 0, 300);
      const dir = dirname(read.sqliteWriter!.name);
      const used: string[][] = [];
      const runner = new ProjectionRunner(store, read, projections, {
        batchSize: 3,
        rebuildBatchSize: 15,
        rebuildRowLimit: 4,
        rebuildHelper: helper(dir, more, used),
      });
      await runner.install();
      await runner.catchUp();

      const result = await runner.rebuildMany(names);
      expect(used).toHaveLength(1);
      expect(used[0].length).toBeGreaterThan(0);
      expect(used[0].length).toBeLessThan(names.length);
      // Every event of the log is one these read models handle, and each is counted once.
      expect(result.events).toBe(await store.headPosition());

      const rebuilt = await snapshot(read);
      const live = new ProjectionRunner(store, read, projections);
      await live.rebuildMany(names); // one thread, no helper
      expect(rebuilt).toEqual(await snapshot(read));
      expect(rebuilt.stats.length).toBeGreaterThan(10);
      expect(readdirSync(dir).filter((f) => f.startsWith('part-'))).toEqual([]);
    },
  );
});

describeIfAvailable(
  'PostgreSQL read database: projection runner',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => runnerSuite(readDbTargets.postgres),
);

describeIfAvailable(
  'PostgreSQL read database: installs started together',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => {
    it('eight runners of eight processes installing at once on an empty schema all succeed', async () => {
      const schema = `rm_install_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
      const dir = mkdtempSync(join(tmpdir(), 'ledger-install-'));
      const store = new SqliteEventStore(join(dir, 'events.db'));
      // One pool each, as separate processes would have.
      const reads = await Promise.all(
        Array.from({ length: 8 }, () => openPostgresReadDb(process.env.DATABASE_URL!, schema, 2)),
      );
      try {
        const installs = await Promise.allSettled(
          reads.map((r) =>
            new ProjectionRunner(store, r, [streamStats(), typeCounts, streamTypeSums]).install(),
          ),
        );
        expect(installs.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []))).toEqual([]);
        const names = await reads[0].query
          .selectFrom('projection_checkpoints')
          .select('name')
          .orderBy('name')
          .execute();
        expect(names.map((n) => n.name)).toEqual(['stream_stats', 'stream_type_sums', 'type_counts']);
      } finally {
        await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(reads[0].db);
        await Promise.all(reads.map((r) => r.close()));
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
