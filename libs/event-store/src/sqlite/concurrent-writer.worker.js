// A writer thread for the SQLite concurrency test: its own connection, the adapter's own code.
require('../../../../scripts/register.js');
const { workerData } = require('node:worker_threads');
const { randomUUID } = require('node:crypto');
const { SqliteEventStore } = require('./sqlite-event-store.ts');

(async () => {
  const { file, writer, perWriter, prefix } = workerData;
  const store = new SqliteEventStore(file);
  for (let i = 0; i < perWriter; i++) {
    await store.append([
      {
        streamId: `${prefix}${writer}-${i % 10}`,
        events: [
          {
            type: 'Written',
            data: { w: writer, i },
            metadata: { eventId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 },
          },
        ],
        expected: 'any',
      },
    ]);
  }
  await store.close();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
