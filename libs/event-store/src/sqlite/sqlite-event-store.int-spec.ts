import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { SqliteEventStore } from './sqlite-event-store';

const files = new Map<SqliteEventStore, string>();

describeEventStoreConformance('sqlite', {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
    const file = join(dir, 'ledger.db');
    const store = new SqliteEventStore(file);
    files.set(store, file);
    return store;
  },
  // better-sqlite3 is synchronous, so real concurrency needs threads with connections of their own.
  async concurrentWriters(store, writers, perWriter, prefix) {
    const file = files.get(store as SqliteEventStore)!;
    await Promise.all(
      Array.from(
        { length: writers },
        (_, w) =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(join(__dirname, 'concurrent-writer.worker.js'), {
              workerData: { file, writer: w, perWriter, prefix },
            });
            worker.once('error', reject);
            worker.once('exit', (code) =>
              code === 0 ? resolve() : reject(new Error(`writer ${w} exited ${code}`)),
            );
          }),
      ),
    );
  },
  async dispose(store) {
    const file = files.get(store as SqliteEventStore);
    await store.close();
    if (file) rmSync(join(file, '..'), { recursive: true, force: true });
  },
});
