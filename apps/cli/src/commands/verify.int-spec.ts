import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { finished, spawnTs } from '../../../../test/support/processes';

const cli = async (dataDir: string, ...args: string[]) =>
  finished(
    spawnTs('apps/cli/src/main.ts', { LEDGER_DATA_DIR: dataDir, LEDGER_STORE: undefined }, args),
    50_000,
  );

describe('npm run cli -- checkpoint / verify (embedded)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-verify-'));
    const store = new SqliteEventStore(join(dir, 'ledger.db'));
    for (let n = 1; n <= 30; n++)
      await store.append([
        {
          streamId: `account-${n % 3}`,
          events: [
            {
              type: 'Noted',
              data: { n },
              metadata: { eventId: randomUUID(), occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
            },
          ],
          expected: 'any',
        },
      ]);
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('signs a checkpoint on demand, into the plain file too, and verify holds up to it', async () => {
    const checkpoint = await cli(dir, 'checkpoint');
    expect(checkpoint.code).toBe(0);
    expect(checkpoint.stdout.split('\n')[1]).toBe('30');
    expect(readFileSync(join(dir, 'checkpoints.txt'), 'utf8')).toBe(`${checkpoint.stdout}\n`);
    const verify = await cli(dir, 'verify');
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('everything up to checkpoint 1 (tree size 30) holds');
    expect(verify.stdout).toMatch(/OK\n$/);
  }, 120_000);

  it('names an altered event and exits 1; refuses a verifier key that is not one (exit 2)', async () => {
    const db = new Database(join(dir, 'ledger.db'));
    db.prepare(`UPDATE events SET data = '{"n":71}' WHERE position = 7`).run();
    db.close();
    const verify = await cli(dir, 'verify', '--json');
    expect(verify.code).toBe(1);
    const report = JSON.parse(verify.stdout);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'altered', position: 7, streamId: 'account-1', revision: 2 }),
      ]),
    );
    expect(verify.stderr).toContain('verify: ');
    const bad = await cli(dir, 'verify', '--public-key', 'nonsense');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--public-key');
  }, 120_000);
});

describe('npm run cli -- rotate-key (embedded)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-rotate-'));
    const store = new SqliteEventStore(join(dir, 'ledger.db'));
    await store.append([
      {
        streamId: 'account-1',
        events: [
          {
            type: 'Noted',
            data: { n: 1 },
            metadata: { eventId: randomUUID(), occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
          },
        ],
        expected: 'any',
      },
    ]);
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checkpoints by the old and the new key both hold, through the statement, from either key', async () => {
    expect((await cli(dir, 'checkpoint')).code).toBe(0);
    const oldKey = JSON.parse(readFileSync(join(dir, 'integrity-signing-key.json'), 'utf8')).ed25519Seed;
    const rotated = await cli(dir, 'rotate-key');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout.split('\n')[1]).toBe('key rotation');
    expect(JSON.parse(readFileSync(join(dir, 'integrity-signing-key.json'), 'utf8')).ed25519Seed).not.toBe(
      oldKey,
    );
    const store = new SqliteEventStore(join(dir, 'ledger.db'));
    await store.append([
      {
        streamId: 'account-1',
        events: [
          {
            type: 'Noted',
            data: { n: 2 },
            metadata: { eventId: randomUUID(), occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
          },
        ],
        expected: 0,
      },
    ]);
    await store.close();
    expect((await cli(dir, 'checkpoint')).code).toBe(0);
    const fromCurrent = await cli(dir, 'verify', '--json');
    expect(JSON.parse(fromCurrent.stdout)).toMatchObject({ ok: true, holdsUpTo: 2 });
    const oldVerifier = rotated.stdout.split('\n')[2];
    const fromOld = await cli(dir, 'verify', '--json', '--public-key', oldVerifier);
    expect(JSON.parse(fromOld.stdout)).toMatchObject({ ok: true, holdsUpTo: 2 });
    // Without the statement, the new key's checkpoint is not the old key's.
    const none = join(dir, 'no-rotations.txt');
    writeFileSync(none, '');
    const alone = await cli(dir, 'verify', '--json', '--public-key', oldVerifier, '--rotations', none);
    expect(alone.stderr).toContain('verify: ');
    expect(alone.code).toBe(1);
    expect(JSON.parse(alone.stdout).findings.map((f: { kind: string }) => f.kind)).toContain(
      'checkpoint-signature',
    );
  }, 180_000);
});
