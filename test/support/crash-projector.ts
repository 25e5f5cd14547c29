/**
 * A projection runner process for the crash test: follows the event log into the read
 * database given by the environment until it is killed.
 */
import { SqliteEventStore } from '@ledger/event-store';
import { ProjectionRunner, openPostgresReadDb, openSqliteReadDb } from '@ledger/read-models';
import { streamStats, typeCounts } from '@ledger/read-models/testing/sample-projections';

async function main() {
  const store = new SqliteEventStore(process.env.EVENTS_DB!);
  const read = process.env.READ_PG_SCHEMA
    ? await openPostgresReadDb(process.env.DATABASE_URL!, process.env.READ_PG_SCHEMA, 2)
    : openSqliteReadDb(process.env.READ_DB!);
  const runner = new ProjectionRunner(store, read, [streamStats(), typeCounts], {
    batchSize: Number(process.env.BATCH_SIZE ?? 200),
    onBatch: (_name, _count, position) => process.stdout.write(`batch ${position}\n`),
  });
  await runner.install();
  runner.start();
}

void main();
