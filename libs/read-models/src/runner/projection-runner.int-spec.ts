import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { sql } from 'kysely';
import type { ReadDb } from '../read-db';
import { readDbTargets, readFixture, type ReadDbTarget } from '../testing/read-db-targets';
import { streamStats, typeCounts, type StreamStatsRow } from '../testing/sample-projections';
import { ProjectionRunner } from './projection-runner';

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
    const runner = new ProjectionRunner(store, read, [streamStats(), typeCounts], { batchSize: 16 });
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
        : sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`;
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
describeIfAvailable(
  'PostgreSQL read database: projection runner',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => runnerSuite(readDbTargets.postgres),
);
