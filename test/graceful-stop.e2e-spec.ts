/**
 * Embedded mode: SIGTERM while the projection thread catches up on a large backlog stops
 * it after the batch in flight and exits 0 within 10 s (an orchestrator's grace period);
 * after a restart the read models catch up and equal a rebuild from the log.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadOrCreateSecrets } from '@ledger/crypto';
import { tablesOf } from '@ledger/read-models';
import { ledgerProjections } from '@ledger/read-models/projections';
import { bearer } from './support/live-api';
import { finished, freePort, spawnTs, waitForOutput } from './support/processes';

const API = 'apps/api/src/main.ts';
const CLI = 'apps/cli/src/main.ts';
/** About four events a participant: a backlog of 25 or so batches of 10,000. */
const PARTICIPANTS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SIGTERM during an embedded catch-up', () => {
  let dir: string;
  let data: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-stop-'));
    data = join(dir, 'data');
    // NORMAL only to build the fixture faster; the API below runs with the default.
    const generated = await finished(
      spawnTs(CLI, { LEDGER_DATA_DIR: data, LEDGER_SQLITE_SYNCHRONOUS: 'normal' }, [
        'generate',
        '--participants',
        String(PARTICIPANTS),
      ]),
      600_000,
    );
    expect(generated.code).toBe(0);
    // Without its read models the API's projection thread has the whole log to catch up on.
    for (const file of readdirSync(data)) if (file.startsWith('read.')) rmSync(join(data, file));
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sqlite = <T>(file: string, work: (db: Database.Database) => T): T => {
    const db = new Database(join(data, file), { readonly: true, fileMustExist: true });
    try {
      return work(db);
    } finally {
      db.close();
    }
  };
  const head = () => sqlite('ledger.db', (db) => (db.prepare('SELECT max(position) AS p FROM events').get() as { p: number }).p);
  const lowestCheckpoint = () =>
    sqlite('read.db', (db) => (db.prepare('SELECT min(position) AS p FROM projection_checkpoints').get() as { p: number }).p);
  /** Every read model's rows, digested in key order. */
  const readModels = () =>
    sqlite('read.db', (db) =>
      Object.fromEntries(
        ledgerProjections()
          .flatMap(tablesOf)
          .map((spec) => {
            const rows = db.prepare(`SELECT * FROM ${spec.name} ORDER BY ${spec.primaryKey.join(', ')}`).all();
            return [spec.name, { rows: rows.length, digest: createHash('sha256').update(JSON.stringify(rows)).digest('hex') }];
          }),
      ),
    );

  it('exits 0 within 10 s, stopped after its batch, not at the head; after a restart the read models equal a rebuild', async () => {
    const logHead = head();
    const port = await freePort();
    const child = spawnTs(API, { LEDGER_DATA_DIR: data, PORT: String(port) });
    const done = finished(child, 120_000);
    await waitForOutput(child, /ledger listening on/, 120_000);
    // The catch-up is under way: its first batches are committed, the head is far.
    for (let i = 0; i < 600 && !(lowestCheckpoint() > 0); i++) await sleep(100);
    const atSignal = lowestCheckpoint();
    expect(atSignal).toBeGreaterThan(0);
    expect(atSignal).toBeLessThan(logHead);

    child.kill('SIGTERM');
    const result = await done;
    // Exit 0 is the 10 s promise: a process not stopped 9 s after the signal exits 1 and says so.
    // The time is not asserted here, where a loaded machine would measure its own delays too.
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
    expect(result.stdout + result.stderr).not.toMatch(/did not stop/); // stopped by itself, not ended
    expect(lowestCheckpoint()).toBeLessThan(logHead); // it stopped, it did not run to the head

    // Restarted, it resumes from its checkpoint and catches up.
    const again = spawnTs(API, { LEDGER_DATA_DIR: data, PORT: String(port) });
    const againDone = finished(again, 600_000);
    await waitForOutput(again, /ledger listening on/, 120_000);
    const token = await bearer(loadOrCreateSecrets(data).jwtSecret, ['ID']);
    for (let i = 0; ; i++) {
      const status = (await (
        await fetch(`http://127.0.0.1:${port}/api/projections`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { projections: { caughtUp: boolean }[] };
      if (status.projections.every((p) => p.caughtUp)) break;
      if (i > 3000) throw new Error('the read models did not catch up in 5 minutes');
      await sleep(100);
    }
    again.kill('SIGTERM');
    expect((await againDone).code).toBe(0);

    const live = readModels();
    expect(live.participants.rows).toBe(PARTICIPANTS);
    const rebuild = await finished(spawnTs(CLI, { LEDGER_DATA_DIR: data }, ['projections', 'rebuild', 'all']), 600_000);
    expect(rebuild.code).toBe(0);
    expect(readModels()).toEqual(live);
  }, 900_000);
});
