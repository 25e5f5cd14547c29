import type { RecordedEvent } from '@ledger/event-store';
import { sql } from 'kysely';
import type { CustomProjection, RowProjection, SumProjection } from '../runner/projection';

/** Projections used to test the runner itself: one row per stream, and counters per type. */
export interface StreamStatsRow extends Record<string, unknown> {
  id: string;
  events: number;
  total: number;
  last_type: string;
  tags: string[];
}

export function streamStats(version = 1): RowProjection<StreamStatsRow> {
  return {
    kind: 'rows',
    name: 'stream_stats',
    version,
    handles: ['Added', 'Tagged', 'Deleted'],
    table: {
      name: 'stream_stats',
      columns: {
        id: { type: 'text' },
        events: { type: 'integer' },
        total: { type: 'integer' },
        last_type: { type: 'text' },
        tags: { type: 'json' },
      },
      primaryKey: ['id'],
      indexes: [['total']],
    },
    keyOf: (event: RecordedEvent) => event.streamId,
    evolve(row, event) {
      if (event.type === 'Deleted') return null;
      const data = event.data as { n?: number; tag?: string };
      const current = row ?? { id: event.streamId, events: 0, total: 0, last_type: '', tags: [] };
      return {
        ...current,
        events: current.events + 1,
        total: current.total + (data.n ?? 0),
        last_type: event.type,
        tags: data.tag ? [...current.tags, data.tag] : current.tags,
      };
    },
  };
}

export const typeCounts: CustomProjection = {
  kind: 'custom',
  name: 'type_counts',
  version: 1,
  handles: ['Added', 'Tagged', 'Deleted'],
  tables: [
    {
      name: 'type_counts',
      columns: { type: { type: 'text' }, count: { type: 'integer' } },
      primaryKey: ['type'],
    },
  ],
  async apply(events, trx, table) {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    for (const [type, count] of counts) {
      await trx
        .insertInto(table('type_counts'))
        .values({ type, count })
        .onConflict((oc) =>
          oc
            .column('type')
            .doUpdateSet({ count: sql`${sql.ref(table('type_counts'))}.count + excluded.count` }),
        )
        .execute();
    }
  },
};

/** Counters by (stream, type), through the runner's summing: a 'Deleted' takes one 'Added' back. */
export const streamTypeSums: SumProjection = {
  kind: 'sums',
  name: 'stream_type_sums',
  version: 1,
  handles: ['Added', 'Tagged', 'Deleted'],
  table: {
    name: 'stream_type_sums',
    columns: { stream: { type: 'text' }, type: { type: 'text' }, n: { type: 'integer' } },
    primaryKey: ['stream', 'type'],
  },
  sum: 'n',
  deltas(event, add) {
    if (event.type === 'Deleted') add([event.streamId, 'Added'], -1);
    else add([event.streamId, event.type], 1);
  },
};
