import { randomUUID } from 'node:crypto';
import type { EventStore } from '@ledger/event-store';
import { readDbTargets, readFixture } from '../testing/read-db-targets';
import { streamStats, typeCounts } from '../testing/sample-projections';
import { ProjectionRunner } from './projection-runner';

/** `count` appends of one event each, event i of type `typeOf(i)` on one of `streams` streams. */
async function appendEach(store: EventStore, count: number, streams: number, typeOf: (i: number) => string) {
  for (let i = 0; i < count; i++) {
    const metadata = { eventId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 };
    await store.append([
      {
        streamId: `c-${i % streams}`,
        events: [{ type: typeOf(i), data: { n: i }, metadata }],
        expected: 'any',
      },
    ]);
  }
}

describe('a rebuild records what each read model cost, for the next split', () => {
  const fixture = readFixture(readDbTargets.sqlite, 'ledger-rebuild-costs-');

  it('one row per rebuilt read model, replaced by the next rebuild', async () => {
    const { store, read } = fixture;
    await appendEach(store, 40, 5, () => 'Added');
    const runner = new ProjectionRunner(store, read, [streamStats(), typeCounts]);
    await runner.install();
    const costs = () =>
      read.query.selectFrom('projection_rebuild_costs').selectAll().orderBy('name').execute();
    expect(await costs()).toEqual([]);
    await runner.rebuildMany(['stream_stats', 'type_counts']);
    await runner.rebuild('stream_stats');
    const recorded = await costs();
    expect(recorded.map((r) => r.name)).toEqual(['stream_stats', 'type_counts']);
    for (const row of recorded) expect(Number(row.apply_ms)).toBeGreaterThanOrEqual(0);
  });
});

describe('a rebuild tells its progress', () => {
  const fixture = readFixture(readDbTargets.sqlite, 'ledger-rebuild-progress-');

  it('when it starts and ends, and the events each batch applied to each read model', async () => {
    const { store, read } = fixture;
    await appendEach(store, 25, 3, (i) => (i % 5 === 0 ? 'Ignored' : 'Added'));
    const told: string[] = [];
    const applied: Record<string, number> = {};
    const runner = new ProjectionRunner(store, read, [streamStats(), typeCounts], {
      rebuildBatchSize: 7,
      onRebuild: {
        started: (names) => told.push(`started ${names.join(',')}`),
        applied: (name, events) => (applied[name] = (applied[name] ?? 0) + events),
        ended: (names) => told.push(`ended ${names.join(',')}`),
      },
    });
    await runner.install();
    await runner.rebuildMany(['stream_stats', 'type_counts']);
    expect(told).toEqual(['started stream_stats,type_counts', 'ended stream_stats,type_counts']);
    // 20 of the 25 events are of the types both handle.
    expect(applied).toEqual({ stream_stats: 20, type_counts: 20 });
  });
});
