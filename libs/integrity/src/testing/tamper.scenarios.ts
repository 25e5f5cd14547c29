/**
 * Tampering with the raw tables of a store, each change detected by `verifyLog` and named.
 * Each store's spec calls `describeTamperEvidence` with a factory; SQLite and PostgreSQL run it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@ledger/event-store';
import { encryptFields } from '@ledger/crypto';
import { CheckpointSigner, parseVerifierKey } from '../checkpoint';
import { IntegrityService, leafSourceOf } from '../integrity-service';
import { verifyConsistency, verifyInclusion } from '../merkle';
import type { RawLog } from '../raw-log';
import type { TreeStore } from '../tree-store';
import { verifyLog, type FindingKind } from '../verify';

export interface TamperTarget {
  /** A store over a fresh log, its tree store, raw SQL on the events table (`events` names it), and its raw log. */
  open(): Promise<{
    store: EventStore;
    tree: TreeStore;
    sql(statement: string): Promise<void>;
    raw(): RawLog;
    dispose(): Promise<void>;
  }>;
}

const event = (n: number, extra: object = {}): NewEvent => ({
  type: 'Noted',
  data: { n, amount: 37_500 * n, note: `catatan ${n}`, ...extra },
  metadata: {
    eventId: randomUUID(),
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    schemaVersion: 1,
  },
});

export function describeTamperEvidence(name: string, target: TamperTarget): void {
  describe(`tamper evidence: ${name}`, () => {
    const signer = new CheckpointSigner('ledger.test/tamper', randomBytes(32));
    const key = parseVerifierKey(signer.verifierKey);

    /** 20 events in 4 streams, a checkpoint at 12 and one at 20; then `tamper`; then verify. */
    async function ledger(tamper?: (sql: (s: string) => Promise<void>, store: EventStore) => Promise<void>) {
      const t = await target.open();
      try {
        const service = new IntegrityService(leafSourceOf(t.store), t.tree, signer, {
          checkpointEvery: 1000,
          checkpointIntervalMs: 3_600_000,
          batchSize: 7, // several batches, so the frontier is resumed between them
        });
        for (let n = 1; n <= 20; n++) {
          await t.store.append([{ streamId: `account-${n % 4}`, events: [event(n)], expected: 'any' }]);
          if (n === 12) await service.checkpoint();
        }
        const checkpoint = await service.checkpoint();
        await tamper?.(t.sql, t.store);
        const notes = (await t.tree.checkpoints()).map((c) => c.note);
        const report = await verifyLog({
          log: t.raw(),
          notes,
          key,
          origin: signer.name,
          treeLeaves: (from) => ({
            async *[Symbol.asyncIterator]() {
              for (let i = from; ; i += 5) {
                const page = await t.tree.leaves(i, 5);
                if (page.length === 0) return;
                yield page;
              }
            },
          }),
        });
        return { report, service, checkpoint, t };
      } catch (error) {
        await t.dispose();
        throw error;
      }
    }

    const kinds = (r: { findings: { kind: FindingKind; position?: number }[] }) =>
      r.findings.map((f) => `${f.kind}@${f.position ?? '-'}`);

    it('an untouched log holds up to its last checkpoint; proofs from the stored tree verify', async () => {
      const { report, service, checkpoint, t } = await ledger();
      try {
        expect(report).toMatchObject({ ok: true, events: 20, holdsUpTo: 20, findings: [] });
        expect(report.checkpoints).toEqual([
          { size: 12, holds: true },
          { size: 20, holds: true },
        ]);
        const positions = (await t.store.readAll()).map((e) => e.position);
        for (const position of positions) {
          const p = await service.inclusionProof(position, 20);
          expect(verifyInclusion(p.leafIndex, 20, p.leafHash, p.proof, checkpoint.root)).toBeUndefined();
        }
        const c = await service.consistencyProof(12, 20);
        const first = (await t.tree.checkpoint(12))!;
        expect(verifyConsistency(12, 20, first.root, checkpoint.root, c.proof)).toBeUndefined();
      } finally {
        await t.dispose();
      }
    });

    it("one byte of one event's data changed: named as altered, with its stream and revision", async () => {
      const { report, t } = await ledger((sql) =>
        sql(
          `UPDATE events SET data = replace(data, 'catatan 7', 'catatan 8') WHERE position = (SELECT position FROM events ORDER BY position LIMIT 1 OFFSET 6)`,
        ),
      );
      try {
        expect(report.ok).toBe(false);
        expect(report.holdsUpTo).toBeUndefined();
        const altered = report.findings.filter((f) => f.kind === 'altered');
        expect(altered).toHaveLength(1);
        expect(altered[0]).toMatchObject({ streamId: 'account-3', revision: 1 });
        expect(kinds(report)).toEqual(expect.arrayContaining(['checkpoint-mismatch@-']));
      } finally {
        await t.dispose();
      }
    });

    it("a deleted row: named as removed, and its stream's revision gap", async () => {
      const { report, t } = await ledger((sql) =>
        sql(
          `DELETE FROM events WHERE position = (SELECT position FROM events ORDER BY position LIMIT 1 OFFSET 14)`,
        ),
      );
      try {
        expect(report.ok).toBe(false);
        expect(report.holdsUpTo).toBe(12);
        expect(report.findings.filter((f) => f.kind === 'removed')).toHaveLength(1);
        expect(report.findings.find((f) => f.kind === 'revision')).toMatchObject({ streamId: 'account-3' });
      } finally {
        await t.dispose();
      }
    });

    it('two rows swapped: both named as reordered', async () => {
      const { report, t } = await ledger(async (sql) => {
        // Swap everything but the positions of the 3rd and 4th events (streams account-3 and account-0).
        await sql(`CREATE TABLE swap AS SELECT * FROM events ORDER BY position LIMIT 2 OFFSET 2`);
        await sql(`DELETE FROM events WHERE position IN (SELECT position FROM swap)`);
        await sql(
          `INSERT INTO events (position, stream_id, revision, type, category, data, metadata, recorded_at, leaf_hash)
           SELECT (SELECT max(position) FROM swap) + (SELECT min(position) FROM swap) - position,
                  stream_id, revision, type, category, data, metadata, recorded_at, leaf_hash FROM swap`,
        );
        await sql(`DROP TABLE swap`);
      });
      try {
        expect(report.ok).toBe(false);
        const reordered = report.findings.filter((f) => f.kind === 'reordered');
        expect(reordered).toHaveLength(2);
        expect(report.findings.filter((f) => f.kind === 'altered')).toHaveLength(0);
      } finally {
        await t.dispose();
      }
    });

    it('a row inserted into the history (later ones moved up): named as inserted', async () => {
      const { report, t } = await ledger(async (sql) => {
        // Make room after the 18th event and put a forged one there.
        await sql(`CREATE TABLE tail AS SELECT * FROM events ORDER BY position LIMIT 2 OFFSET 18`);
        await sql(`DELETE FROM events WHERE position IN (SELECT position FROM tail)`);
        await sql(
          `INSERT INTO events (position, stream_id, revision, type, category, data, metadata, recorded_at, leaf_hash)
           SELECT position + 1, stream_id, revision, type, category, data, metadata, recorded_at, leaf_hash FROM tail`,
        );
        await sql(
          `INSERT INTO events (position, stream_id, revision, type, category, data, metadata, recorded_at)
           SELECT min(position), 'account-forged', 0, 'Noted', 'account', '{"n":99}', min(metadata), min(recorded_at)
           FROM tail`,
        );
        await sql(`DROP TABLE tail`);
      });
      try {
        expect(report.ok).toBe(false);
        expect(report.holdsUpTo).toBe(12);
        const inserted = report.findings.filter((f) => f.kind === 'inserted');
        expect(inserted).toHaveLength(1);
        expect(inserted[0]).toMatchObject({ streamId: 'account-forged', revision: 0 });
        // The one moved up is named too; the last, moved beyond the tree, is not yet in it.
        expect(report.findings.filter((f) => f.kind === 'reordered' || f.kind === 'removed')).toHaveLength(1);
        expect(inserted[0].message).toMatch(/inserted/);
      } finally {
        await t.dispose();
      }
    });

    it('the tail truncated and appended again differently: every rewritten event named', async () => {
      const { report, t } = await ledger(async (sql, store) => {
        await sql(
          `DELETE FROM events WHERE position IN (SELECT position FROM events ORDER BY position DESC LIMIT 3)`,
        );
        for (let n = 18; n <= 20; n++)
          await store.append([
            { streamId: `account-${n % 4}`, events: [event(n, { forged: true })], expected: 'any' },
          ]);
      });
      try {
        expect(report.ok).toBe(false);
        expect(report.holdsUpTo).toBe(12);
        // SQLite reuses the freed positions (altered); PostgreSQL's sequence moves on (removed).
        const named = report.findings.filter((f) => f.kind === 'altered' || f.kind === 'removed');
        expect(named).toHaveLength(3);
      } finally {
        await t.dispose();
      }
    });

    it('a checkpoint signed by another key is refused and named', async () => {
      const t = await target.open();
      try {
        const forger = new CheckpointSigner(signer.name, randomBytes(32));
        await t.store.append([{ streamId: 'account-1', events: [event(1)], expected: 'any' }]);
        const honest = new IntegrityService(leafSourceOf(t.store), t.tree, signer, {
          checkpointEvery: 1,
          checkpointIntervalMs: 1,
        });
        const good = await honest.checkpoint();
        const forged = forger.sign({ origin: signer.name, size: 1, root: Buffer.alloc(32, 7) }).note;
        const report = await verifyLog({
          log: t.raw(),
          notes: [good.note, forged],
          key,
          origin: signer.name,
        });
        expect(report.holdsUpTo).toBe(1);
        expect(kinds(report)).toEqual(['checkpoint-signature@-']);
        expect(report.findings[0].message).toMatch(/size 1 refused: no valid signature/);
      } finally {
        await t.dispose();
      }
    });

    it('erasing a person (the key deleted, the sealed event untouched) leaves verify green', async () => {
      const t = await target.open();
      try {
        const subject = randomUUID();
        const personKey = randomBytes(32);
        const sealed = encryptFields(personKey, subject, { name: 'Siti Aminah', nik: '1603010101900001' });
        await t.store.append([
          {
            streamId: `participant-${subject}`,
            events: [event(1, { personal: sealed })],
            expected: 'no_stream',
          },
        ]);
        const service = new IntegrityService(leafSourceOf(t.store), t.tree, signer, {
          checkpointEvery: 1,
          checkpointIntervalMs: 1,
        });
        await service.checkpoint();
        // Erasure destroys the data key and records the fact; no event is changed.
        personKey.fill(0);
        await t.store.append([
          { streamId: `participant-${subject}`, events: [event(2, { erased: true })], expected: 0 },
        ]);
        await service.checkpoint();
        const notes = (await t.tree.checkpoints()).map((c) => c.note);
        const report = await verifyLog({ log: t.raw(), notes, key, origin: signer.name });
        expect(report).toMatchObject({ ok: true, events: 2, holdsUpTo: 2 });
        expect(JSON.stringify(await t.store.readAll())).not.toContain('Siti');
      } finally {
        await t.dispose();
      }
    });
  });
}
