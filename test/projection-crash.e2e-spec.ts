import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type NewEvent } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { ProjectionRunner, openPostgresReadDb, openSqliteReadDb, type ReadDb } from '@ledger/read-models';
import { streamStats, typeCounts } from '@ledger/read-models/testing/sample-projections';
import { sql } from 'kysely';
import { finished, spawnTs, waitForOutput } from './support/processes';

const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  type,
  data,
  metadata: { eventId: randomUUID(), occurredAt: '2026-11-22T00:00:00.000Z', schemaVersion: 1 },
});

async function snapshot(read: ReadDb) {
  const stats = await read.query.selectFrom('stream_stats').selectAll().orderBy('id').execute();
  const counts = await read.query.selectFrom('type_counts').selectAll().orderBy('type').execute();
  return { stats: stats.map((r) => ({ ...r, events: Number(r.events), total: Number(r.total) })), counts: counts.map((c) => [c.type, Number(c.count)]) };
}

function crashSuite(kind: 'sqlite' | 'postgres') {
  let dir: string;
  let store: SqliteEventStore;
  const schema = `crash_${randomUUID().replace(/-/g, '').slice(0, 8)}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-crash-'));
    store = new SqliteEventStore(join(dir, 'events.db'));
    // 20,000 events over 500 streams; deletions make the result depend on exact order.
    for (let b = 0; b < 100; b++) {
      const appends = Array.from({ length: 10 }, (_, s) => ({
        streamId: `acct-${(b * 7 + s * 13) % 500}`,
        events: Array.from({ length: 20 }, (_, i) =>
          (b + s + i) % 97 === 0 ? event('Deleted', {}) : i % 5 === 0 ? event('Tagged', { tag: `t${b}.${i}` }) : event('Added', { n: b + i }),
        ),
        expected: 'any' as const,
      }));
      await store.append(appends);
    }
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a runner killed with SIGKILL mid-batch resumes to rows identical to a from-scratch rebuild', async () => {
    const env =
      kind === 'sqlite'
        ? { EVENTS_DB: join(dir, 'events.db'), READ_DB: join(dir, 'read.db') }
        : { EVENTS_DB: join(dir, 'events.db'), READ_PG_SCHEMA: schema };
    const head = await store.headPosition();

    // Kill the runner three times at moments inside its catch-up, then let it finish.
    for (const afterBatches of [3, 11, 29]) {
      const child = spawnTs('test/support/crash-projector.ts', { ...env, BATCH_SIZE: '150' });
      const exited = finished(child);
      let batches = 0;
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          batches += (chunk.toString().match(/batch /g) ?? []).length;
          if (batches >= afterBatches) {
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.once('exit', () => resolve());
        child.once('error', reject);
      });
      const result = await exited;
      expect(result.signal).toBe('SIGKILL');
    }
    const last = spawnTs('test/support/crash-projector.ts', { ...env, BATCH_SIZE: '150' });
    const lastExit = finished(last);
    await waitForOutput(last, new RegExp(`batch ${head}\\n`), 60_000).catch(() => undefined);

    const crashed = kind === 'sqlite' ? openSqliteReadDb(join(dir, 'read.db')) : await openPostgresReadDb(process.env.DATABASE_URL!, schema, 2);
    const fresh = kind === 'sqlite' ? openSqliteReadDb(join(dir, 'fresh.db')) : await openPostgresReadDb(process.env.DATABASE_URL!, `${schema}_f`, 2);
    try {
      const verify = new ProjectionRunner(store, crashed, [streamStats(), typeCounts]);
      expect(await verify.waitFor(['stream_stats', 'type_counts'], head, 60_000)).toBe(true);
      last.kill('SIGKILL');
      await lastExit;

      const rebuild = new ProjectionRunner(store, fresh, [streamStats(), typeCounts]);
      await rebuild.install();
      await rebuild.catchUp();
      const expected = await snapshot(fresh);
      expect(expected.stats.length).toBeGreaterThan(100);
      expect(await snapshot(crashed)).toEqual(expected);
      const total = (expected.counts as [string, number][]).reduce((n, [, c]) => n + c, 0);
      expect(total).toBe(20_000);
    } finally {
      if (kind === 'postgres') {
        await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(crashed.db);
        await sql.raw(`DROP SCHEMA IF EXISTS ${schema}_f CASCADE`).execute(fresh.db);
      }
      await crashed.close();
      await fresh.close();
    }
  }, 180_000);
}

describe('projection crash recovery: sqlite read database', () => crashSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL read database: projection crash recovery',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => crashSuite('postgres'),
);
