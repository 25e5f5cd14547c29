import { parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { ProjectionRunner, openSqliteReadDb } from '@ledger/read-models';
import { ledgerProjections } from '@ledger/read-models/projections';
import type { LedgerConfig } from '@ledger/platform/config';

const { config } = workerData as { config: LedgerConfig };
const store = new SqliteEventStore(join(config.dataDir, 'ledger.db'), {
  synchronous: config.sqliteSynchronous,
});
const read = openSqliteReadDb(join(config.dataDir, 'read.db'));
const log = (level: 'info' | 'error') => (message: string, fields?: object) =>
  parentPort?.postMessage({ log: [level, message, fields] });
const runner = new ProjectionRunner(store, read, ledgerProjections(), {
  logger: { info: log('info'), error: log('error') },
  onFailure: (failure) => parentPort?.postMessage({ failure: failure ?? null }),
});
runner.start();

parentPort?.on('message', async (message: string) => {
  if (message === 'appended') store.notifyAppended();
  if (message === 'stop') {
    await runner.stop();
    await read.close();
    await store.close();
    process.exit(0);
  }
});
