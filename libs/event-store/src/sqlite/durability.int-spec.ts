import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from './sqlite-event-store';

describe('SQLite event log durability', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-durability-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const synchronousOf = (options?: Parameters<typeof openSqlite>[1]) => {
    const db = openSqlite(join(dir, 'ledger.db'), options);
    try {
      return {
        journal: db.pragma('journal_mode', { simple: true }),
        synchronous: db.pragma('synchronous', { simple: true }),
      };
    } finally {
      db.close();
    }
  };

  it('syncs every commit by default (WAL, synchronous=FULL)', () => {
    expect(synchronousOf()).toEqual({ journal: 'wal', synchronous: 2 });
  });

  it('syncs only at checkpoints when NORMAL is asked for', () => {
    expect(synchronousOf({ synchronous: 'normal' })).toEqual({ journal: 'wal', synchronous: 1 });
  });
});
