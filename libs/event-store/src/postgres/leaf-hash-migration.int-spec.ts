import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { describeIfAvailable } from '../conformance/availability';
import { leafHashOf } from '../leaf-hash';
import { PostgresEventStore } from './postgres-event-store';

// A log written before event hashes: no leaf_hash column, JSON in JSON.stringify's member order.
const OLD_ROWS = [
  [
    'account-1',
    0,
    'Opened',
    '{"z":1,"a":"é"}',
    '{"schemaVersion":1,"eventId":"e1","occurredAt":"2026-01-01T00:00:00.000Z"}',
  ],
  [
    'account-1',
    1,
    'Noted',
    '{"note":"x","amount":1500000}',
    '{"schemaVersion":1,"eventId":"e2","occurredAt":"2026-01-01T00:00:01.000Z"}',
  ],
] as const;

const url = process.env.DATABASE_URL;
describeIfAvailable(
  'leaf hashes added to an existing PostgreSQL log',
  url ? undefined : 'DATABASE_URL is not set',
  () => {
    it('adds the column and hashes the old rows at open', async () => {
      const schema = `migrate_${randomBytes(6).toString('hex')}`;
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${schema}; CREATE SEQUENCE ${schema}.events_position_seq AS bigint;
        CREATE TABLE ${schema}.events (position bigint PRIMARY KEY, stream_id text NOT NULL, revision bigint NOT NULL,
          type text NOT NULL, category text NOT NULL, data text NOT NULL, metadata text NOT NULL,
          recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, revision))`);
        for (const [stream, revision, type, data, metadata] of OLD_ROWS)
          await client.query(
            `INSERT INTO ${schema}.events (position, stream_id, revision, type, category, data, metadata)
           VALUES (nextval('${schema}.events_position_seq'), $1, $2, $3, 'account', $4, $5)`,
            [stream, revision, type, data, metadata],
          );
        const store = await PostgresEventStore.create({ connectionString: url!, schema });
        try {
          await store.append([
            {
              streamId: 'account-2',
              events: [
                {
                  type: 'Noted',
                  data: { b: 1, a: 2 },
                  metadata: { eventId: 'e3', occurredAt: '2026-01-01T00:00:02.000Z', schemaVersion: 1 },
                },
              ],
              expected: 'no_stream',
            },
          ]);
          const events = await store.readAll();
          expect(events).toHaveLength(3);
          expect((await store.readLeaves(0, 10)).map((l) => l.hash)).toEqual(
            events.map((e) => leafHashOf(e)),
          );
          const { rows } = await client.query(
            `SELECT count(*)::int AS n FROM ${schema}.events WHERE leaf_hash IS NULL`,
          );
          expect(rows[0].n).toBe(0);
        } finally {
          await store.close();
        }
      } finally {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    });
  },
);
