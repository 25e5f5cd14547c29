import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { describeIfAvailable } from './conformance/availability';
import { leafHashOf } from './leaf-hash';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

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

describe('leaf hashes added to an existing SQLite log', () => {
  it('adds the column, hashes the old rows once over their canonical form, and leaves their text as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-migrate-'));
    try {
      const file = join(dir, 'ledger.db');
      const old = new Database(file);
      old.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
        type TEXT NOT NULL, category TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL)`);
      for (const [stream, revision, type, data, metadata] of OLD_ROWS)
        old
          .prepare(
            'INSERT INTO events (stream_id, revision, type, category, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(stream, revision, type, 'account', data, metadata, '2026-01-01T00:00:00.000Z');
      old.close();
      const store = new SqliteEventStore(file);
      try {
        const events = await store.readAll();
        const leaves = await store.readLeaves(0, 10);
        expect(leaves.map((l) => l.hash)).toEqual(events.map((e) => leafHashOf(e)));
        await store.append([
          {
            streamId: 'account-1',
            events: [
              {
                type: 'Noted',
                data: { b: 1, a: 2 },
                metadata: { eventId: 'e3', occurredAt: '2026-01-01T00:00:02.000Z', schemaVersion: 1 },
              },
            ],
            expected: 1,
          },
        ]);
        const after = await store.readAll();
        expect((await store.readLeaves(0, 10)).map((l) => l.hash)).toEqual(after.map((e) => leafHashOf(e)));
      } finally {
        await store.close();
      }
      const raw = new Database(file, { readonly: true });
      const texts = raw.prepare('SELECT data FROM events ORDER BY position').pluck().all();
      raw.close();
      // Old text untouched; the new event stored in canonical form.
      expect(texts).toEqual([OLD_ROWS[0][3], OLD_ROWS[1][3], '{"a":2,"b":1}']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

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
