import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, leafHashOf } from '@ledger/event-store';
import { CheckpointSigner, openCheckpoint, parseVerifierKey } from './checkpoint';
import { IntegrityService, leafSourceOf } from './integrity-service';
import { EMPTY_ROOT, hashChildren } from './merkle';
import { SqliteTreeStore } from './tree-store';
import { splitNotes } from './verify';

const event = (n: number) => ({
  type: 'Noted',
  data: { n },
  metadata: { eventId: randomUUID(), occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
});

describe('integrity service (SQLite)', () => {
  let dir: string;
  let store: SqliteEventStore;
  const signer = new CheckpointSigner('ledger.test/service', randomBytes(32));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-integrity-'));
    store = new SqliteEventStore(join(dir, 'ledger.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const append = async (from: number, to: number) => {
    for (let n = from; n <= to; n++)
      await store.append([{ streamId: `a-${n % 3}`, events: [event(n)], expected: 'any' }]);
  };

  it('signs every N events and after the interval, never twice for one size, into the plain file too', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const tree = new SqliteTreeStore(join(dir, 'integrity.db'));
    const file = join(dir, 'checkpoints.txt');
    const service = new IntegrityService(leafSourceOf(store), tree, signer, {
      checkpointEvery: 5,
      checkpointIntervalMs: 3_600_000,
      checkpointFile: file,
      now: () => now,
    });
    try {
      await service.tick(); // an empty log: the empty tree is signed once
      expect((await tree.latestCheckpoint())!.root).toEqual(EMPTY_ROOT);
      await append(1, 7);
      await service.tick();
      expect((await tree.latestCheckpoint())!.size).toBe(7);
      await append(8, 9);
      await service.tick();
      expect((await tree.latestCheckpoint())!.size).toBe(7); // 2 < 5 events and within the hour
      now = new Date('2026-01-01T01:00:01Z');
      await service.tick();
      expect((await tree.latestCheckpoint())!.size).toBe(9); // the hour passed
      await service.tick();
      expect((await tree.checkpoints()).map((c) => c.size)).toEqual([0, 7, 9]);
      const key = parseVerifierKey(signer.verifierKey);
      const published = splitNotes(readFileSync(file, 'utf8'));
      expect(published.map((note) => openCheckpoint(note, key).ok)).toEqual([true, true, true]);
    } finally {
      await tree.close();
    }
  });

  it('two builders on one tree take turns and agree: the tree is the log, each leaf once', async () => {
    const file = join(dir, 'integrity.db');
    const trees = [new SqliteTreeStore(file), new SqliteTreeStore(file)];
    const services = trees.map(
      (tree) =>
        new IntegrityService(leafSourceOf(store), tree, signer, {
          checkpointEvery: 1000,
          checkpointIntervalMs: 3_600_000,
          batchSize: 3,
        }),
    );
    try {
      await append(1, 10);
      await services[0].extend();
      await append(11, 25);
      // The second resumes from the stored tree; the first finds it moved on and resumes too.
      expect(await services[1].extend()).toBe(25);
      await append(26, 30);
      expect(await services[0].extend()).toBe(30);
      const leaves = (await store.readAll()).map((e) => leafHashOf(e));
      // MTH over the 30 leaves straight from RFC 9162 §2.1.1.
      const mth = (hashes: Buffer[]): Buffer => {
        if (hashes.length === 1) return hashes[0];
        let k = 1;
        while (k * 2 < hashes.length) k *= 2;
        return hashChildren(mth(hashes.slice(0, k)), mth(hashes.slice(k)));
      };
      expect((await services[0].root(30)).equals(mth(leaves))).toBe(true);
      expect((await services[1].root(17)).equals(mth(leaves.slice(0, 17)))).toBe(true);
      expect((await trees[0].leaves(0, 100)).map((l) => l.index)).toEqual(
        Array.from({ length: 30 }, (_, i) => i),
      );
    } finally {
      for (const tree of trees) await tree.close();
    }
  });
});
