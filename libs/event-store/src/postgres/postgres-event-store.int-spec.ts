import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { describeIfAvailable } from '../conformance/availability';
import { describeEventStoreConformance, newEvent } from '../conformance/event-store.conformance';
import { StoreUnavailableError } from '../errors';
import type { EventStore } from '../port';
import { PostgresEventStore } from './postgres-event-store';

const url = process.env.DATABASE_URL;
const schemas = new Map<EventStore, string>();
const freshSchema = () => `es_test_${randomBytes(6).toString('hex')}`;

async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

describeIfAvailable('PostgreSQL event store conformance', url ? undefined : 'DATABASE_URL is not set', () => {
  describeEventStoreConformance('postgres', {
    async open() {
      const schema = freshSchema();
      const store = await PostgresEventStore.create({ connectionString: url!, schema });
      schemas.set(store, schema);
      return store;
    },
    // Eight stores with a connection each: real concurrent transactions that may commit out of order.
    async concurrentWriters(store, writers, perWriter, prefix) {
      const schema = schemas.get(store)!;
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const writer = await PostgresEventStore.create({ connectionString: url!, schema, poolSize: 1 });
          try {
            for (let i = 0; i < perWriter; i++) {
              await writer.append([
                {
                  streamId: `${prefix}${w}-${i % 10}`,
                  events: [newEvent('Written', { w, i })],
                  expected: 'any',
                },
              ]);
            }
          } finally {
            await writer.close();
          }
        }),
      );
    },
    async dispose(store) {
      await store.close();
      const schema = schemas.get(store);
      if (schema) await dropSchema(schema);
    },
  });

  describe('PostgreSQL adapter', () => {
    it('names the server, never the password, when it cannot connect', async () => {
      const error = await PostgresEventStore.create({
        connectionString: 'postgres://ledger:s3cret-pw@127.0.0.1:1/ledger',
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toContain('127.0.0.1:1');
      expect((error as Error).message).not.toContain('s3cret-pw');
      expect((error as Error).message).not.toContain('\n');
    });

    it('lets several processes migrate the same new schema at once', async () => {
      const schema = freshSchema();
      const stores = await Promise.all(
        Array.from({ length: 4 }, () =>
          PostgresEventStore.create({ connectionString: url!, schema, poolSize: 1 }),
        ),
      );
      try {
        const result = await stores[3].append([
          { streamId: 'race-1', events: [newEvent()], expected: 'no_stream' },
        ]);
        expect(await stores[0].headPosition()).toBe(result.position);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await dropSchema(schema);
      }
    });

    it('ends live subscriptions when the store closes', async () => {
      const schema = freshSchema();
      const store = await PostgresEventStore.create({ connectionString: url!, schema });
      try {
        const batches: number[] = [];
        const done = (async () => {
          for await (const batch of store.subscribe({ after: 0 })) batches.push(batch.length);
        })();
        await store.append([{ streamId: 'close-1', events: [newEvent()], expected: 'any' }]);
        await new Promise((r) => setTimeout(r, 100));
        await store.close();
        await done;
        expect(batches).toEqual([1]);
      } finally {
        await store.close();
        await dropSchema(schema);
      }
    });
  });
});
