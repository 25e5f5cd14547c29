import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { sqliteRawLog } from './raw-log';
import { describeTamperEvidence } from './testing/tamper.scenarios';
import { SqliteTreeStore } from './tree-store';

describeTamperEvidence('sqlite', {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-tamper-'));
    const file = join(dir, 'ledger.db');
    const store = new SqliteEventStore(file);
    const tree = new SqliteTreeStore(join(dir, 'integrity.db'));
    return {
      store,
      tree,
      async sql(statement) {
        const db = new Database(file);
        try {
          db.exec(statement);
        } finally {
          db.close();
        }
      },
      raw: () => sqliteRawLog(file),
      async dispose() {
        await store.close();
        await tree.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
