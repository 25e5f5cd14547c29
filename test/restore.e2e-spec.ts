/**
 * Embedded mode after a restore: an event log restored to an older copy, a log of another
 * ledger, or a key store older than the log makes the start refuse in one line that names
 * the problem and the repair, instead of serving answers of another state.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@ledger/event-store';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { loadOrCreateSecrets } from '@ledger/crypto';
import { todayWib } from './support/ledger-app';
import { EMBAWANG, proposal } from './support/ledger-fixtures';
import { bearer, createProgram } from './support/live-api';
import { finished, freePort, spawnTs, waitForOutput } from './support/processes';

const API = 'apps/api/src/main.ts';
const REPAIR = 'npm run cli -- projections rebuild all';

describe('starting on restored data (embedded)', () => {
  let dir: string;
  let data: string;
  const people = createPeopleGenerator({ seed: 77, today: todayWib() });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-restore-'));
    data = join(dir, 'data');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the API, creates a program with one proposed worker, reads it back, stops. Returns the program id. */
  const session = async (name: string): Promise<string> => {
    const port = await freePort();
    const child = spawnTs(API, { LEDGER_DATA_DIR: data, PORT: String(port) });
    const done = finished(child);
    await waitForOutput(child, /ledger listening on/);
    const token = await bearer(loadOrCreateSecrets(data).jwtSecret);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const base = `http://127.0.0.1:${port}`;
    const { programId } = await createProgram(base, token, { name });
    const proposed = await fetch(`${base}/api/programs/${programId}/enrollments`, {
      method: 'POST',
      headers,
      body: JSON.stringify(proposal(people.next({ villageCode: EMBAWANG }))),
    });
    expect(proposed.status).toBe(201);
    const { consistencyToken } = (await proposed.json()) as { consistencyToken: number };
    const read = await fetch(`${base}/api/programs/${programId}?consistentWith=${consistencyToken}`, { headers });
    expect(read.status).toBe(200);
    child.kill('SIGTERM');
    await done;
    return programId;
  };

  const refused = async (mention: RegExp) => {
    const result = await finished(spawnTs(API, { LEDGER_DATA_DIR: data, PORT: '0' }), 60_000);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(mention);
    return lines[0];
  };

  /** A consistent copy of a SQLite file, made with SQLite's own backup. */
  const backup = async (file: string, to: string) => {
    const db = new Database(join(data, file), { readonly: true });
    try {
      await db.backup(to);
    } finally {
      db.close();
    }
  };
  const restore = (from: string, file: string) => {
    for (const suffix of ['-wal', '-shm']) rmSync(join(data, file + suffix), { force: true });
    copyFileSync(from, join(data, file));
  };

  it('a log older than the read models, a log of another ledger, a key store older than the log: refused with the repair', async () => {
    const first = await session('Program sebelum cadangan');
    await backup('ledger.db', join(dir, 'ledger.old.db'));
    await backup('keys.db', join(dir, 'keys.old.db'));
    const second = await session('Program sesudah cadangan');
    await backup('keys.db', join(dir, 'keys.now.db'));

    // The key store restored to the older copy lacks the key of the second worker.
    restore(join(dir, 'keys.old.db'), 'keys.db');
    await refused(/cannot start: the key store has no data key for 1 of the 2 people .*restore the key store/);
    restore(join(dir, 'keys.now.db'), 'keys.db');

    // The event log restored to the older copy: the read models are ahead of it.
    await backup('ledger.db', join(dir, 'ledger.now.db'));
    restore(join(dir, 'ledger.old.db'), 'ledger.db');
    const line = await refused(/cannot start: read model \w+ is at position \d+, beyond the event log's head \d+/);
    expect(line).toContain(`repair: ${REPAIR}`);

    const repair = await finished(
      spawnTs('apps/cli/src/main.ts', { LEDGER_DATA_DIR: data }, ['projections', 'rebuild', 'all']),
      120_000,
    );
    expect(repair.code).toBe(0);
    // After the repair the ledger starts and answers for the log it has: the second program is gone.
    const port = await freePort();
    const child = spawnTs(API, { LEDGER_DATA_DIR: data, PORT: String(port) });
    const done = finished(child);
    await waitForOutput(child, /ledger listening on/);
    const token = await bearer(loadOrCreateSecrets(data).jwtSecret);
    const list = await fetch(`http://127.0.0.1:${port}/api/programs`, { headers: { authorization: `Bearer ${token}` } });
    const ids = ((await list.json()) as { programs: { id: string }[] }).programs.map((p) => p.id);
    expect(ids).toContain(first);
    expect(ids).not.toContain(second);
    child.kill('SIGTERM');
    await done;

    // Another ledger's log, longer than the read models' checkpoints: refused by its identity.
    restore(join(dir, 'ledger.now.db'), 'ledger.db');
    rmSync(join(data, 'ledger.db'));
    const other = new SqliteEventStore(join(data, 'ledger.db'));
    await other.append([
      {
        streamId: 'noise-1',
        expected: 'any',
        events: Array.from({ length: 200 }, () => ({
          type: 'Noise',
          data: {},
          metadata: { eventId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 },
        })),
      },
    ]);
    await other.close();
    const identity = await refused(/cannot start: read model \w+ was built from another event log/);
    expect(identity).toContain(`repair: ${REPAIR}`);
  }, 300_000);
});
