import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { CheckpointSigner } from '@ledger/integrity';
import { finished, spawnTs } from '../../../../test/support/processes';

const cli = async (dataDir: string, ...args: string[]) =>
  finished(
    spawnTs('apps/cli/src/main.ts', { LEDGER_DATA_DIR: dataDir, LEDGER_STORE: undefined }, args),
    50_000,
  );

async function append(file: string, from: number, to: number) {
  const store = new SqliteEventStore(file);
  for (let n = from; n <= to; n++)
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
}

describe('npm run cli -- integrity export-bundle / verify-bundle (embedded)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-bundle-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports the events between two checkpoints; the bundle holds, and not against another key', async () => {
    await append(join(dir, 'ledger.db'), 1, 12);
    expect((await cli(dir, 'checkpoint')).code).toBe(0);
    await append(join(dir, 'ledger.db'), 13, 20);
    expect((await cli(dir, 'checkpoint')).code).toBe(0);
    const out = join(dir, 'bundle.json');
    const exported = await cli(dir, 'integrity', 'export-bundle', '--out', out);
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toBe(
      `${out}: checkpoints of tree size 12 and 20, 8 event(s) with their inclusion proofs\n`,
    );
    const bundle = JSON.parse(readFileSync(out, 'utf8'));
    const checked = await cli(dir, 'integrity', 'verify-bundle', out, '--public-key', bundle.publicKey);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('ok: consistency 12 → 20: the later tree extends the earlier one');
    expect(checked.stdout).toMatch(/OK: the bundle holds\n$/);
    const other = new CheckpointSigner(bundle.publicKey.split('+')[0], randomBytes(32)).verifierKey;
    const refused = await cli(dir, 'integrity', 'verify-bundle', out, '--public-key', other);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/FAILED: the bundle names another key/);
  }, 180_000);

  it('a position that is not one, or outside the checkpoint: exit 2 naming the option', async () => {
    const bad = await cli(
      dir,
      'integrity',
      'export-bundle',
      '--out',
      join(dir, 'x.json'),
      '--positions',
      '3,x',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--positions: log positions are whole numbers/);
    const outside = await cli(
      dir,
      'integrity',
      'export-bundle',
      '--out',
      join(dir, 'x.json'),
      '--positions',
      '15',
      '--checkpoint',
      '12',
    );
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/--positions: the event at 15 is not in the tree of 12/);
  }, 120_000);
});
