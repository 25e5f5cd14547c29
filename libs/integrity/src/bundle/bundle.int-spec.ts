import { transformSync } from '@swc/core';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { PostgresEventStore } from '@ledger/event-store/postgres/postgres-event-store';
import { Client } from 'pg';
import { CheckpointSigner } from '../checkpoint';
import { IntegrityService, leafSourceOf } from '../integrity-service';
import { PostgresTreeStore } from '../postgres-tree-store';
import { SqliteTreeStore, type TreeStore } from '../tree-store';
import { BundleRefusal, exportBundle } from './export-bundle';
import { checkBundle, type Bundle } from './verify-bundle';

/** TypeScript to CommonJS, as `npm run build` emits it. */
const swcOptions = {
  jsc: { parser: { syntax: 'typescript' as const }, target: 'es2022' as const },
  module: { type: 'commonjs' as const },
};

/** A ledger of `count` events in 4 streams, checkpoints at the sizes given, signed by `signer`. */
async function ledger(
  dir: string,
  signer: CheckpointSigner,
  count: number,
  checkpointsAt: number[],
  stores: { store: EventStore; tree: TreeStore } = {
    store: new SqliteEventStore(join(dir, 'ledger.db')),
    tree: new SqliteTreeStore(join(dir, 'integrity.db')),
  },
) {
  const { store, tree } = stores;
  const integrity = new IntegrityService(leafSourceOf(store), tree, signer, {
    checkpointEvery: 1_000_000,
    checkpointIntervalMs: 3_600_000,
  });
  for (let n = 1; n <= count; n++) {
    await store.append([
      {
        streamId: `account-${n % 4}`,
        events: [
          {
            type: 'ContributionPaid',
            data: {
              amount: 37_500 * n,
              month: '2026-01',
              sealed: { iv: randomBytes(12).toString('base64') },
            },
            metadata: {
              eventId: randomUUID(),
              occurredAt: new Date(Date.UTC(2026, 0, n)).toISOString(),
              schemaVersion: 1,
            },
          },
        ],
        expected: 'any',
      },
    ]);
    if (checkpointsAt.includes(n)) await integrity.checkpoint();
  }
  return { store, tree, integrity };
}

describe('integrity bundles and the standalone verifier', () => {
  const signer = new CheckpointSigner('ledger.test/bundle', randomBytes(32));
  let dir: string;
  let opened: Awaited<ReturnType<typeof ledger>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-bundle-'));
    opened = await ledger(dir, signer, 30, [11, 30]);
  });
  afterAll(async () => {
    await opened.tree.close();
    await opened.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('by default: the last two checkpoints, their consistency, and the events the later one added', async () => {
    const bundle = await exportBundle(opened.store, opened.integrity, signer.verifierKey);
    expect(bundle.checkpoints.map((note) => note.split('\n')[1])).toEqual(['11', '30']);
    expect(bundle.events.map((e) => e.leafIndex)).toEqual(Array.from({ length: 19 }, (_, i) => 11 + i));
    const report = checkBundle(JSON.stringify(bundle), { publicKey: signer.verifierKey });
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.held).toEqual([
      `key ${signer.verifierKey}: the one given`,
      expect.stringMatching(/^checkpoint of tree size 11, root .+: signature valid$/),
      expect.stringMatching(/^checkpoint of tree size 30, root .+: signature valid$/),
      'consistency 11 → 30: the later tree extends the earlier one',
      '19 of 19 event(s): leaf recomputed, included in the tree of size 30',
    ]);
  });

  it("a stream's whole history, or chosen positions; a position outside the checkpoint is refused", async () => {
    const history = await exportBundle(opened.store, opened.integrity, signer.verifierKey, {
      streams: ['account-2'],
    });
    expect(history.events.map((e) => [e.stream, e.revision])).toEqual(
      Array.from({ length: 8 }, (_, r) => ['account-2', r]),
    );
    expect(checkBundle(JSON.stringify(history)).ok).toBe(true);
    const chosen = await exportBundle(opened.store, opened.integrity, signer.verifierKey, {
      positions: [3, 1],
      checkpointSize: 11,
    });
    expect(chosen.checkpoints).toHaveLength(1);
    expect(chosen.events.map((e) => e.position)).toEqual([1, 3]);
    expect(checkBundle(JSON.stringify(chosen), { publicKey: signer.verifierKey }).ok).toBe(true);
    await expect(
      exportBundle(opened.store, opened.integrity, signer.verifierKey, {
        positions: [20],
        checkpointSize: 11,
      }),
    ).rejects.toThrow(BundleRefusal);
  });

  it('every single changed byte of a bundle is detected', async () => {
    const bundle = await exportBundle(opened.store, opened.integrity, signer.verifierKey, {
      positions: [5, 29],
    });
    const text = JSON.stringify(bundle);
    const undetected: string[] = [];
    for (let i = 0; i < text.length; i++) {
      // The next character but one in ASCII order (a digit stays a digit more often than not).
      const code = text.charCodeAt(i);
      const changed = `${text.slice(0, i)}${String.fromCharCode(code === 0x7e ? 0x21 : code + 1)}${text.slice(i + 1)}`;
      if (checkBundle(changed, { publicKey: signer.verifierKey }).ok)
        undetected.push(`${i}: ${text.slice(i - 10, i + 10)}`);
    }
    expect(undetected).toEqual([]);
  });

  it('refuses a checkpoint by another key, a key not the published one, and a history that forks', async () => {
    const bundle = await exportBundle(opened.store, opened.integrity, signer.verifierKey);
    const forger = new CheckpointSigner(signer.name, randomBytes(32));
    const forgedNote = forger.sign({ origin: signer.name, size: 30, root: Buffer.alloc(32, 7) }).note;
    const forged: Bundle = { ...bundle, checkpoints: [bundle.checkpoints[0], forgedNote] };
    expect(checkBundle(JSON.stringify(forged)).failures).toEqual([
      expect.stringMatching(/^checkpoint 2: no valid signature/),
    ]);
    // The forger's own key in the bundle: refused against the published key.
    const ownKey = checkBundle(JSON.stringify({ ...forged, publicKey: forger.verifierKey }), {
      publicKey: signer.verifierKey,
    });
    expect(ownKey.failures).toEqual([expect.stringMatching(/names another key/)]);

    // Another history under the same key: its checkpoint of 30 does not extend this one's of 11.
    const other = mkdtempSync(join(tmpdir(), 'ledger-bundle-fork-'));
    const fork = await ledger(other, signer, 30, [30]);
    try {
      const theirs = (await fork.tree.latestCheckpoint())!;
      const forked: Bundle = { ...bundle, checkpoints: [bundle.checkpoints[0], theirs.note] };
      const report = checkBundle(JSON.stringify(forked), { publicKey: signer.verifierKey });
      expect(report.failures).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^consistency 11 → 30: the proof does not lead/),
          expect.stringMatching(/not in the tree of checkpoint 30/),
        ]),
      );
    } finally {
      await fork.tree.close();
      await fork.store.close();
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('runs alone: the verifier and the pure code it imports, compiled apart, with node and nothing else', async () => {
    const alone = mkdtempSync(join(tmpdir(), 'ledger-verifier-'));
    try {
      // Only these three files are copied: an import of anything else fails the run.
      for (const file of ['bundle/verify-bundle.ts', 'merkle.ts', 'checkpoint.ts']) {
        const source = join(__dirname, '..', file);
        const { code } = transformSync(readFileSync(source, 'utf8'), { ...swcOptions, filename: source });
        const target = join(alone, file.replace(/\.ts$/, '.js'));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, code);
      }
      const file = join(alone, 'bundle.json');
      writeFileSync(
        file,
        JSON.stringify(
          await exportBundle(opened.store, opened.integrity, signer.verifierKey, { positions: [1, 5] }),
        ),
      );
      const run = (...args: string[]) => {
        try {
          return {
            code: 0,
            out: execFileSync(process.execPath, [join(alone, 'bundle', 'verify-bundle.js'), ...args], {
              encoding: 'utf8',
              env: {},
            }),
          };
        } catch (error) {
          const failed = error as { status: number; stdout: string };
          return { code: failed.status, out: failed.stdout };
        }
      };
      const good = run(file, '--public-key', signer.verifierKey);
      expect(good).toMatchObject({ code: 0, out: expect.stringContaining('OK: the bundle holds') });
      writeFileSync(file, readFileSync(file, 'utf8').replace(':37500,', ':37501,'));
      const bad = run(file, '--public-key', signer.verifierKey);
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/FAILED: event at position 1 \(account-1 revision 0\): not in the tree/);
      expect(run().code).toBe(2);
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  });
});

const url = process.env.DATABASE_URL;

describeIfAvailable('integrity bundles on PostgreSQL', url ? undefined : 'DATABASE_URL is not set', () => {
  it('a bundle exported from the PostgreSQL store and tree holds; a changed amount does not', async () => {
    const signer = new CheckpointSigner('ledger.test/bundle-pg', randomBytes(32));
    const schema = `bundle_${randomBytes(6).toString('hex')}`;
    const store = await PostgresEventStore.create({ connectionString: url!, schema });
    const tree = await PostgresTreeStore.open(url!, schema);
    try {
      const { integrity } = await ledger('', signer, 20, [9, 20], { store, tree });
      const bundle = await exportBundle(store, integrity, signer.verifierKey);
      expect(bundle.events).toHaveLength(11);
      const text = JSON.stringify(bundle);
      expect(checkBundle(text, { publicKey: signer.verifierKey })).toMatchObject({ ok: true, failures: [] });
      const history = await exportBundle(store, integrity, signer.verifierKey, { streams: ['account-1'] });
      expect(history.events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expect(checkBundle(JSON.stringify(history), { publicKey: signer.verifierKey }).ok).toBe(true);
      const changed = checkBundle(text.replace(':375000,', ':375001,'), { publicKey: signer.verifierKey });
      expect(changed.failures).toEqual([
        expect.stringMatching(/^event at position \d+ \(account-2 revision 2\): not in the tree/),
      ]);
    } finally {
      await store.close();
      await tree.close();
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
    }
  });
});
