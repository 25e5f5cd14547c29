import { parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { ProjectionRunner, openSqliteReadDb } from '@ledger/read-models';
import { ledgerProjections } from '@ledger/read-models/projections';

const { dataDir, file, generations } = workerData as {
  dataDir: string;
  file: string;
  generations: Record<string, number>;
};

async function fill() {
  const store = new SqliteEventStore(join(dataDir, 'ledger.db'));
  const read = openSqliteReadDb(file, { scratch: true });
  try {
    const projections = ledgerProjections().filter((p) => p.name in generations);
    return await new ProjectionRunner(store, read, projections).fillFresh(generations);
  } finally {
    await read.close();
    await store.close();
  }
}

fill().then(
  (result) => parentPort!.postMessage({ result }),
  (error: Error) => parentPort!.postMessage({ error: error.message }),
);
