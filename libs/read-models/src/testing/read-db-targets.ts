import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { sql } from 'kysely';
import { openPostgresReadDb, openSqliteReadDb, type ReadDb } from '../read-db';

/** A read database a spec runs against: a SQLite file, or a fresh PostgreSQL schema. */
export interface ReadDbTarget {
  name: 'sqlite' | 'postgres';
  open(dir: string): Promise<ReadDb>;
  cleanup?(read: ReadDb): Promise<void>;
}

const schemas = new WeakMap<ReadDb, string>();

export const readDbTargets: Record<'sqlite' | 'postgres', ReadDbTarget> = {
  sqlite: { name: 'sqlite', open: async (dir) => openSqliteReadDb(join(dir, 'read.db')) },
  postgres: {
    name: 'postgres',
    async open() {
      const schema = `rm_test_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
      const read = await openPostgresReadDb(process.env.DATABASE_URL!, schema, 4);
      schemas.set(read, schema);
      return read;
    },
    async cleanup(read) {
      await sql.raw(`DROP SCHEMA IF EXISTS ${schemas.get(read)} CASCADE`).execute(read.db);
    },
  },
};

/**
 * Registers hooks that give every test a fresh SQLite event log and a fresh read database
 * of the target, and remove both afterwards. Read `store` and `read` inside the tests.
 */
export function readFixture(target: ReadDbTarget, prefix: string): { store: EventStore; read: ReadDb } {
  const fixture = {} as { store: EventStore; read: ReadDb; dir: string };
  beforeEach(async () => {
    fixture.dir = mkdtempSync(join(tmpdir(), prefix));
    fixture.store = new SqliteEventStore(join(fixture.dir, 'events.db'));
    fixture.read = await target.open(fixture.dir);
  });
  afterEach(async () => {
    await target.cleanup?.(fixture.read);
    await fixture.read.close();
    await fixture.store.close();
    rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
