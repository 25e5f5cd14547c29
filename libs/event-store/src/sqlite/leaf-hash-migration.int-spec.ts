import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leafHashOf } from '../leaf-hash';
import { SqliteEventStore } from './sqlite-event-store';

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
