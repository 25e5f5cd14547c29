import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { SubjectErasedError, type PersonKeyStore } from './person-key-store';
import { PostgresPersonKeyStore } from './postgres/postgres-person-key-store';
import { SqlitePersonKeyStore } from './sqlite/sqlite-person-key-store';

/** Opens stores on one location (a file, a schema) that lives for one test. */
interface Location {
  open(kek: Buffer): Promise<PersonKeyStore>;
  dispose(): Promise<void>;
}

const ids = (prefix: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${from + i}`);

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Behaviour every PersonKeyStore must show, whatever its database. */
function describeKeyStoreBehaviour(name: string, newLocation: () => Promise<Location>): void {
  describe(`${name}: behaviour`, () => {
    let location: Location;
    let store: PersonKeyStore;
    const kek = randomBytes(32);
    beforeEach(async () => {
      location = await newLocation();
      store = await location.open(kek);
    });
    afterEach(async () => {
      await store.close();
      await location.dispose();
    });

    it('gives the same 32-byte key for the same subject, across calls and duplicates', async () => {
      const first = await store.getOrCreateMany(['p-1', 'p-2', 'p-1']);
      expect([...first.keys()].sort()).toEqual(['p-1', 'p-2']);
      expect(first.get('p-1')).toHaveLength(32);
      expect(first.get('p-1')!.equals(first.get('p-2')!)).toBe(false);
      const second = await store.getOrCreateMany(['p-2', 'p-3', 'p-1']);
      expect(second.get('p-1')).toEqual(first.get('p-1'));
      expect(second.get('p-2')).toEqual(first.get('p-2'));
      expect(second.get('p-3')).toHaveLength(32);
    });

    it('getMany returns existing keys and leaves unknown subjects out', async () => {
      const created = await store.getOrCreateMany(['p-1']);
      const found = await store.getMany(['p-1', 'unknown']);
      expect([...found.keys()]).toEqual(['p-1']);
      expect(found.get('p-1')).toEqual(created.get('p-1'));
      expect(await store.getMany([])).toEqual(new Map());
      expect(await store.getOrCreateMany([])).toEqual(new Map());
    });

    it('keeps keys across restarts and refuses to open with another key-encryption key', async () => {
      const created = await store.getOrCreateMany(['p-1']);
      await store.close();
      store = await location.open(kek);
      expect((await store.getMany(['p-1'])).get('p-1')).toEqual(created.get('p-1'));
      await expect(location.open(randomBytes(32))).rejects.toThrow(/different key-encryption key/);
    });

    it('destroy removes the key and leaves a tombstone', async () => {
      await store.getOrCreateMany(['p-1', 'p-2']);
      expect(await store.isDestroyed('p-1')).toBe(false);
      expect(await store.destroy('p-1')).toBe(true);
      expect(await store.isDestroyed('p-1')).toBe(true);
      expect([...(await store.getMany(['p-1', 'p-2'])).keys()]).toEqual(['p-2']);
      // Idempotent: a second erasure finds no key but the subject stays erased.
      expect(await store.destroy('p-1')).toBe(false);
      expect(await store.isDestroyed('p-1')).toBe(true);
      expect(await store.isDestroyed('p-2')).toBe(false);
    });

    it('getOrCreateMany refuses an erased subject and creates nothing for the rest of the batch', async () => {
      await store.getOrCreateMany(['p-1']);
      await store.destroy('p-1');
      const attempt = store.getOrCreateMany(['p-new', 'p-1']);
      await expect(attempt).rejects.toThrow(SubjectErasedError);
      await expect(attempt).rejects.toMatchObject({ subjectIds: ['p-1'] });
      expect(await store.getMany(['p-new', 'p-1'])).toEqual(new Map());
    });

    it('erasing a subject that never had a key still prevents one from being made', async () => {
      expect(await store.destroy('p-never')).toBe(false);
      expect(await store.isDestroyed('p-never')).toBe(true);
      await expect(store.getOrCreateMany(['p-never'])).rejects.toThrow(SubjectErasedError);
    });

    it('handles a batch of 100,000 subjects', async () => {
      const batch = ids('bulk', 100_000);
      let start = process.hrtime.bigint();
      const created = await store.getOrCreateMany(batch);
      const create = ms(start);
      start = process.hrtime.bigint();
      const again = await store.getOrCreateMany(batch);
      const existing = ms(start);
      start = process.hrtime.bigint();
      const read = await store.getMany(batch);
      const get = ms(start);
      expect(created.size).toBe(100_000);
      expect(again.get('bulk-99999')).toEqual(created.get('bulk-99999'));
      expect(read.get('bulk-12345')).toEqual(created.get('bulk-12345'));
      process.stdout.write(
        `${name}: 100,000 ids — getOrCreateMany new ${create.toFixed(0)} ms, ` +
          `existing ${existing.toFixed(0)} ms, getMany ${get.toFixed(0)} ms\n`,
      );
    });
  });
}

// ─── SQLite ──────────────────────────────────────────────────────────────────────────────────

function sqliteLocation(): { location: Location; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
  const file = join(dir, 'keys.db');
  return {
    file,
    location: {
      async open(kek) {
        return new SqlitePersonKeyStore(file, kek);
      },
      async dispose() {
        rmSync(dir, { recursive: true, force: true });
      },
    },
  };
}

/** Every byte SQLite has on disk for this database: the main file and the write-ahead log. */
function rawBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

function wrappedRow(file: string, subjectId: string): Buffer | undefined {
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare('SELECT wrapped FROM person_keys WHERE subject_id = ?').get(subjectId) as
      { wrapped: Buffer } | undefined;
    return row?.wrapped;
  } finally {
    db.close();
  }
}

describeKeyStoreBehaviour('SqlitePersonKeyStore', async () => sqliteLocation().location);

describe('SqlitePersonKeyStore: what is on disk', () => {
  let file: string;
  let location: Location;
  let store: SqlitePersonKeyStore;
  const kek = randomBytes(32);
  beforeEach(async () => {
    ({ file, location } = sqliteLocation());
    store = (await location.open(kek)) as SqlitePersonKeyStore;
  });
  afterEach(async () => {
    await store.close();
    await location.dispose();
  });

  it('stores keys wrapped: the data key bytes appear nowhere in the database or its WAL', async () => {
    const key = (await store.getOrCreateMany(['p-1'])).get('p-1')!;
    const wrapped = wrappedRow(file, 'p-1')!;
    expect(wrapped).toHaveLength(61);
    const raw = rawBytes(file);
    expect(raw.includes(wrapped)).toBe(true); // the scan does find what is there...
    expect(raw.includes(key)).toBe(false); // ...and the data key is not there
  });

  it('after destroy the wrapped key bytes are gone from the database and its WAL', async () => {
    const keys = await store.getOrCreateMany(ids('p', 50));
    const doomed = wrappedRow(file, 'p-7')!;
    const survivor = wrappedRow(file, 'p-8')!;
    expect(rawBytes(file).includes(doomed)).toBe(true);

    expect(await store.destroy('p-7')).toBe(true);
    // destroy() checkpoints; this is the test's own belt and braces with the store still open.
    const raw = rawBytes(file);
    expect(raw.includes(doomed)).toBe(false);
    expect(raw.includes(doomed.subarray(1, 29))).toBe(false); // not even a fragment (nonce + ct)
    expect(raw.includes(keys.get('p-7')!)).toBe(false);
    expect(raw.includes(survivor)).toBe(true);
  });

  it('a wrapped key copied to another subject’s row does not unwrap (AAD = subject id)', async () => {
    await store.getOrCreateMany(['p-1', 'p-2']);
    const db = new Database(file);
    db.prepare('UPDATE person_keys SET wrapped = ? WHERE subject_id = ?').run(
      wrappedRow(file, 'p-1')!,
      'p-2',
    );
    db.close();
    await expect(store.getMany(['p-2'])).rejects.toThrow(/cannot unwrap the data key of subject p-2/);
  });
});

// ─── PostgreSQL ──────────────────────────────────────────────────────────────────────────────

const databaseUrl = process.env.DATABASE_URL;

function postgresLocation(): { location: Location; schema: string } {
  const schema = `person_keys_test_${randomBytes(6).toString('hex')}`;
  return {
    schema,
    location: {
      async open(kek) {
        return PostgresPersonKeyStore.open({ connectionString: databaseUrl, schema, kek });
      },
      async dispose() {
        const client = new Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    },
  };
}

describeIfAvailable('postgres PersonKeyStore', databaseUrl ? undefined : 'DATABASE_URL is not set', () => {
  describeKeyStoreBehaviour('PostgresPersonKeyStore', async () => postgresLocation().location);

  describe('PostgresPersonKeyStore: storage and concurrency', () => {
    let location: Location;
    let schema: string;
    let a: PostgresPersonKeyStore;
    let b: PostgresPersonKeyStore;
    const kek = randomBytes(32);
    beforeEach(async () => {
      ({ location, schema } = postgresLocation());
      // Two stores with pools of their own stand for two API processes.
      a = (await location.open(kek)) as PostgresPersonKeyStore;
      b = (await location.open(kek)) as PostgresPersonKeyStore;
    });
    afterEach(async () => {
      await a.close();
      await b.close();
      await location.dispose();
    });

    async function query<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return (await client.query<R>(sql, params)).rows;
      } finally {
        await client.end();
      }
    }

    it('stores keys wrapped, bound to their subject', async () => {
      const key = (await a.getOrCreateMany(['p-1'])).get('p-1')!;
      const [row] = await query<{ wrapped: Buffer }>(
        `SELECT wrapped FROM "${schema}".person_keys WHERE subject_id = 'p-1'`,
      );
      expect(row.wrapped).toHaveLength(61);
      expect(row.wrapped.includes(key)).toBe(false);
      await a.getOrCreateMany(['p-2']);
      await query(`UPDATE "${schema}".person_keys SET wrapped = $1 WHERE subject_id = 'p-2'`, [row.wrapped]);
      await expect(a.getMany(['p-2'])).rejects.toThrow(/cannot unwrap the data key of subject p-2/);
    });

    it('two concurrent getOrCreateMany on overlapping subjects end up with identical keys', async () => {
      for (let round = 0; round < 5; round++) {
        const left = ids(`r${round}`, 3000, 0);
        // Overlap of 2,000 ids, in reverse order: without a fixed insert order this deadlocks.
        const right = ids(`r${round}`, 3000, 1000).reverse();
        const [fromA, fromB] = await Promise.all([a.getOrCreateMany(left), b.getOrCreateMany(right)]);
        for (let i = 1000; i < 3000; i++) {
          const id = `r${round}-${i}`;
          expect(fromA.get(id)).toEqual(fromB.get(id));
        }
        const stored = await a.getMany(ids(`r${round}`, 4000));
        expect(stored.size).toBe(4000);
        expect(stored.get(`r${round}-1500`)).toEqual(fromA.get(`r${round}-1500`));
      }
    });

    it('a destroy racing a getOrCreateMany never leaves a key for an erased subject', async () => {
      for (let round = 0; round < 20; round++) {
        const subject = `race-${round}`;
        const [created] = await Promise.allSettled([
          a.getOrCreateMany([...ids(`bystander-${round}`, 200), subject]),
          b.destroy(subject),
        ]);
        if (created.status === 'rejected') expect(created.reason).toBeInstanceOf(SubjectErasedError);
        expect(await a.isDestroyed(subject)).toBe(true);
        expect(await a.getMany([subject])).toEqual(new Map());
      }
    });

    it('vacuum reclaims dead tuples after an erasure', async () => {
      await a.getOrCreateMany(['p-1']);
      await a.destroy('p-1');
      await expect(a.vacuum()).resolves.toBeUndefined();
    });

    it('opening twice at once on a fresh schema creates it once', async () => {
      const fresh = postgresLocation();
      try {
        const stores = await Promise.all([fresh.location.open(kek), fresh.location.open(kek)]);
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await fresh.location.dispose();
      }
    });
  });
});
