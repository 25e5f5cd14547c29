import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { PostgresEventStore } from '@ledger/event-store/postgres/postgres-event-store';
import { PostgresTreeStore } from './postgres-tree-store';
import { postgresRawLog } from './raw-log';
import { describeTamperEvidence } from './testing/tamper.scenarios';

const url = process.env.DATABASE_URL;

async function run(schema: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${schema}`);
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describeIfAvailable('PostgreSQL tamper evidence', url ? undefined : 'DATABASE_URL is not set', () => {
  describeTamperEvidence('postgres', {
    async open() {
      const schema = `tamper_${randomBytes(6).toString('hex')}`;
      const store = await PostgresEventStore.create({ connectionString: url!, schema });
      const tree = await PostgresTreeStore.open(url!, schema);
      return {
        store,
        tree,
        sql: (statement) => run(schema, statement),
        raw: () => postgresRawLog(url!, schema),
        async dispose() {
          await store.close();
          await tree.close();
          await run('public', `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        },
      };
    },
  });
});
