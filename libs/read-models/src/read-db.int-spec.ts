import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openSqliteReadDb, type ReadDb } from './read-db';

describe('SQLite read database on a full disk', () => {
  let dir: string;
  let read: ReadDb;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-read-full-'));
    read = openSqliteReadDb(join(dir, 'read.db'));
  });
  afterEach(async () => {
    await read.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a transaction SQLite rolled back by itself fails with the disk error, not a failed ROLLBACK', async () => {
    await sql`CREATE TABLE t (v TEXT)`.execute(read.db);
    // The database may not grow past a few pages: SQLite's own way to make a disk "full".
    const pages = read.sqliteWriter!.pragma('page_count', { simple: true }) as number;
    read.sqliteWriter!.pragma(`max_page_count = ${pages + 4}`);
    const filling = read.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 200; i++) await sql`INSERT INTO t VALUES (${'x'.repeat(4000)})`.execute(trx);
    });
    await expect(filling).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    // The connection is usable afterwards and nothing of the transaction was kept.
    read.sqliteWriter!.pragma('max_page_count = 1073741823');
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM t`.execute(read.db);
    expect(rows[0].n).toBe(0);
  });
});
