import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '@ledger/platform/auth/jwt';
import { loadOrCreateSecrets } from '@ledger/crypto';
import { finished, freePort, spawnTs, waitForOutput } from './support/processes';

const API = 'apps/api/src/main.ts';
// Server modes take their secrets from configuration.
const SECRETS = {
  LEDGER_KEK: Buffer.alloc(32, 1).toString('base64'),
  LEDGER_NIK_HMAC_KEY: Buffer.alloc(32, 2).toString('base64'),
  LEDGER_JWT_SECRET: Buffer.alloc(32, 3).toString('base64'),
  LEDGER_INTEGRITY_SIGNING_KEY: Buffer.alloc(32, 4).toString('base64'),
};

describe('starting the ledger', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-start-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('embedded mode with no configuration serves /health, then shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawnTs(API, { LEDGER_DATA_DIR: join(dir, 'data'), PORT: String(port) });
    const done = finished(child);
    await waitForOutput(child, /ledger listening on/);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      details: { eventStore: { status: 'up', kind: 'sqlite' }, readDatabase: { status: 'up' } },
    });
    const docs = await fetch(`http://127.0.0.1:${port}/docs`);
    expect(docs.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('ledger_appends_total');

    // The projections run on their own thread: a write is visible to a query that waits for its token.
    const token = await signToken(loadOrCreateSecrets(join(dir, 'data')).jwtSecret, {
      sub: 'admin',
      role: 'program_admin',
      regions: ['1603'],
      ttlSeconds: 600,
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`http://127.0.0.1:${port}/api/programs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'Program Muara Enim',
        ownerRegion: '1603',
        payer: 'Pemkab Muara Enim',
        fundingSource: 'APBD',
        benefitPackage: 'JKK_JKM',
        period: { from: '2026-10-01', to: '2026-12-31' },
        quota: 10,
        // A fixed period that may lie in the past by now: recorded without being a backfill.
        backfillToleranceDays: 3660,
      }),
    });
    expect(created.status).toBe(201);
    const { programId, consistencyToken } = (await created.json()) as { programId: string; consistencyToken: number };
    const read = await fetch(`http://127.0.0.1:${port}/api/programs/${programId}?consistentWith=${consistencyToken}`, { headers });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: programId, monthlyContribution: { total: 16_800 } });
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code ?? result.signal).not.toBe(1);
  });

  const oneLineFailure = async (env: NodeJS.ProcessEnv, expectedCode: number, mention: RegExp) => {
    const result = await finished(spawnTs(API, { LEDGER_DATA_DIR: join(dir, 'data'), PORT: '0', ...env }), 30_000);
    expect(result.code).toBe(expectedCode);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(mention);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stderr).not.toContain('secret');
  };

  it('an unknown store is a one-line configuration error naming the variable', () =>
    oneLineFailure({ LEDGER_STORE: 'mysql' }, 2, /configuration error: LEDGER_STORE/));

  it('a missing DATABASE_URL for the PostgreSQL store names the variable', () =>
    oneLineFailure({ LEDGER_STORE: 'postgres', DATABASE_URL: '' }, 2, /DATABASE_URL: is required/));

  it('a server mode without its secrets names the missing variable', () =>
    oneLineFailure({ LEDGER_STORE: 'postgres', DATABASE_URL: 'postgres://ledger@127.0.0.1:1/ledger' }, 2, /configuration error: LEDGER_KEK/));

  it('a weaker durability than the two known ones is refused, naming the variable', () =>
    oneLineFailure({ LEDGER_SQLITE_SYNCHRONOUS: 'off' }, 2, /LEDGER_SQLITE_SYNCHRONOUS: must be one of full, normal/));

  it('the start line says how appends reach the disk, and which opt-in weakens it', async () => {
    for (const [value, said] of [
      [undefined, /synced to disk before they are acknowledged \(synchronous=full\)/],
      ['normal', /LEDGER_SQLITE_SYNCHRONOUS=normal: a power cut can lose the last acknowledged appends/],
    ] as const) {
      const child = spawnTs(API, {
        LEDGER_DATA_DIR: join(dir, 'data'),
        PORT: '0',
        ...(value && { LEDGER_SQLITE_SYNCHRONOUS: value }),
      });
      const done = finished(child);
      await waitForOutput(child, said);
      child.kill('SIGTERM');
      await done;
    }
  });

  it('a malformed port names the variable', () => oneLineFailure({ PORT: 'eighty' }, 2, /PORT: must be a whole number/));

  it('an unreachable PostgreSQL server is one line naming it, without the password', async () => {
    await oneLineFailure(
      { LEDGER_STORE: 'postgres', DATABASE_URL: 'postgres://ledger:secret@127.0.0.1:1/ledger', ...SECRETS },
      1,
      /cannot start: .*127\.0\.0\.1/,
    );
  });

  it('an unreachable KurrentDB server is one line naming it', () =>
    oneLineFailure(
      {
        LEDGER_STORE: 'kurrentdb',
        KURRENTDB_URL: 'kurrentdb://127.0.0.1:1?tls=false',
        DATABASE_URL: 'postgres://ledger@127.0.0.1:1/ledger',
        ...SECRETS,
      },
      1,
      /cannot start: KurrentDB at .*127\.0\.0\.1:1 is unreachable/,
    ));

  it('a corrupt event log is one line, and the file is left as it was', async () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'ledger.db'), 'this is not a database '.repeat(200));
    await oneLineFailure({ LEDGER_DATA_DIR: data }, 1, /cannot start: .*ledger\.db.*not a database/);
    expect(readFileSync(join(data, 'ledger.db'), 'utf8')).toMatch(/^this is not a database/);
  });

  it('a data directory that is a file is one line naming LEDGER_DATA_DIR', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    await oneLineFailure({ LEDGER_DATA_DIR: join(dir, 'file') }, 1, /LEDGER_DATA_DIR .* is not a writable directory/);
  });
});
