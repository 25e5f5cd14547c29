import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { CheckpointSigner, parseVerifierKey } from './checkpoint';
import { IntegrityService, leafSourceOf } from './integrity-service';
import { sqliteRawLog, type RawLog } from './raw-log';
import { SqliteTreeStore } from './tree-store';
import { verifyLog } from './verify';

/**
 * verify's threaded first pass over SQLite: it answers alone when everything holds, and leaves
 * every doubt to the row pass, across the ranges the threads split the log into.
 */
describe('verify on several threads (SQLite)', () => {
  const signer = new CheckpointSigner('ledger.test/threads', randomBytes(32));
  const key = parseVerifierKey(signer.verifierKey);
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-threads-'));
    file = join(dir, 'ledger.db');
    const store = new SqliteEventStore(file);
    const tree = new SqliteTreeStore(join(dir, 'integrity.db'));
    const service = new IntegrityService(leafSourceOf(store), tree, signer, {
      checkpointEvery: 1000,
      checkpointIntervalMs: 3_600_000,
    });
    // 60 events in 7 streams, appended one by one: every stream crosses many ranges of 4 rows.
    for (let n = 1; n <= 60; n++) {
      await store.append([
        {
          streamId: `account-${n % 7}`,
          events: [
            {
              type: 'Noted',
              data: { n, note: `catatan ${n}`, village: 'Embawang "Lama"\n', id: randomUUID() },
              metadata: {
                eventId: randomUUID(),
                occurredAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
                schemaVersion: 1,
              },
            },
          ],
          expected: 'any',
        },
      ]);
      // Checkpoints inside a range, at its end, and at the end of a range of ranges.
      if ([1, 4, 23, 32, 60].includes(n)) await service.checkpoint();
    }
    notes = (await tree.checkpoints()).map((c) => c.note);
    await tree.close();
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  let notes: string[];

  const verify = (log: RawLog) => verifyLog({ log, notes, key, origin: signer.name });
  /** The threaded pass alone: reading the rows one by one fails the test. */
  const threadsOnly = (): RawLog => {
    const log = sqliteRawLog(file, { threads: 2, rangeSize: 4 });
    return {
      hashedLeaves: log.hashedLeaves,
      [Symbol.asyncIterator]: () => {
        throw new Error('the row pass was not expected');
      },
    };
  };
  const sql = (statement: string) => {
    const db = new Database(file);
    try {
      db.exec(statement);
    } finally {
      db.close();
    }
  };

  it('an untouched log: the threads alone answer what the row pass answers', async () => {
    const threaded = await verify(threadsOnly());
    const rows = await verify(sqliteRawLog(file, { threads: 0 }));
    expect(threaded).toEqual(rows);
    expect(threaded).toMatchObject({ ok: true, events: 60, holdsUpTo: 60 });
    expect(threaded.checkpoints).toEqual([1, 4, 23, 32, 60].map((size) => ({ size, holds: true })));
    // One thread, wide ranges; ranges of one row, of two: the same.
    expect(await verify(sqliteRawLog(file, { threads: 1 }))).toEqual(rows);
    expect(await verify(sqliteRawLog(file, { threads: 2, rangeSize: 1 }))).toEqual(rows);
    expect(await verify(sqliteRawLog(file, { threads: 3, rangeSize: 2 }))).toEqual(rows);
  });

  it('a revision missing where a stream crosses from one range into the next is named by the row pass', async () => {
    // account-3's events sit at positions 3, 10, 17, …: 10 and 17 are in different ranges of 4.
    sql(`DELETE FROM events WHERE position = 10`);
    await expect(verify(threadsOnly())).rejects.toThrow('the row pass was not expected');
    const report = await verify(sqliteRawLog(file, { threads: 2, rangeSize: 4 }));
    expect(report).toEqual(await verify(sqliteRawLog(file, { threads: 0 })));
    expect(report.ok).toBe(false);
    expect(report.findings.find((f) => f.kind === 'revision')).toMatchObject({
      streamId: 'account-3',
      position: 17,
    });
  });

  it('a 0x00 byte, one changed byte, a stored hash erased, a position below 1: each sent to the row pass, which names it', async () => {
    for (const [tamper, kind] of [
      // A 0x00 byte inside a row's text, where the threads cut the page's texts apart.
      [
        `UPDATE events SET data = replace(data, 'catatan 43', 'catatan' || char(0) || '43') WHERE position = 43`,
        'checkpoint-mismatch',
      ],
      [
        `UPDATE events SET data = replace(data, 'catatan 41', 'catatan 42') WHERE position = 41`,
        'checkpoint-mismatch',
      ],
      [`UPDATE events SET leaf_hash = NULL WHERE position = 41`, undefined],
      [`UPDATE events SET position = 0 WHERE position = 1`, 'position'],
    ] as const) {
      sql(tamper); // one on top of the other
      await expect(verify(threadsOnly())).rejects.toThrow('the row pass was not expected');
      const report = await verify(sqliteRawLog(file, { threads: 2, rangeSize: 4 }));
      expect(report).toEqual(await verify(sqliteRawLog(file, { threads: 0 })));
      if (kind) expect(report.findings.map((f) => f.kind)).toContain(kind);
    }
  });
});
