import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore, type RecordedEvent } from '@ledger/event-store';
import { knownAtParam, resolveKnownAt } from './known-at';
import { InvalidQuery } from './params';

describe('knownAt', () => {
  it('reads a token, an instant with its offset and a WIB day; refuses anything else naming the field', () => {
    expect(knownAtParam(undefined)).toBeUndefined();
    expect(knownAtParam('')).toBeUndefined();
    expect(knownAtParam('42')).toEqual({ kind: 'position', position: 42 });
    expect(knownAtParam('2026-11-30T17:00:00Z')).toEqual({
      kind: 'instant',
      at: Date.parse('2026-11-30T17:00:00Z'),
    });
    expect(knownAtParam('2026-12-01T00:00:00.5+07:00')).toEqual({
      kind: 'instant',
      at: Date.parse('2026-11-30T17:00:00.500Z'),
    });
    // A day is known by its end in WIB: 16:59:59.999 UTC.
    expect(knownAtParam('2026-11-30')).toEqual({
      kind: 'instant',
      at: Date.parse('2026-11-30T16:59:59.999Z'),
    });
    for (const bad of ['-1', '1.5', '2026-11-30T17:00:00', '2026-02-30', 'kemarin', '1e3', 7]) {
      try {
        knownAtParam(bad);
        throw new Error(`accepted ${String(bad)}`);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidQuery);
        expect((error as InvalidQuery).errors).toEqual([
          expect.objectContaining({ field: 'knownAt', rule: 'isKnownAt' }),
        ]);
      }
    }
  });

  describe('resolved against a log', () => {
    let dir: string;
    let store: SqliteEventStore;
    const recorded: RecordedEvent[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ledger-known-at-'));
      store = new SqliteEventStore(join(dir, 'ledger.db'));
      // Twelve events in three commits a few milliseconds apart, so recording times differ.
      for (let commit = 0; commit < 3; commit++) {
        const events = Array.from({ length: commit + 3 }, (_, i) => ({
          type: 'Noted',
          data: { i },
          metadata: { eventId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 },
        }));
        await store.append([{ streamId: `note-${commit}`, expected: 'no_stream', events }]);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      recorded.push(...(await store.readAll({ maxCount: 100 })));
    });
    afterAll(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('takes a token as it is, and refuses one beyond the head', async () => {
      const head = await store.headPosition();
      expect(await resolveKnownAt(store, { kind: 'position', position: 3 })).toBe(3);
      expect(await resolveKnownAt(store, { kind: 'position', position: head })).toBe(head);
      await expect(resolveKnownAt(store, { kind: 'position', position: head + 1 })).rejects.toMatchObject({
        errors: [expect.objectContaining({ field: 'knownAt', rule: 'notYetRecorded' })],
      });
    });

    it('finds the last event recorded at or before an instant', async () => {
      const at = (e: RecordedEvent) => Date.parse(e.recordedAt);
      expect(await resolveKnownAt(store, { kind: 'instant', at: at(recorded[0]) - 1 })).toBe(0);
      for (const event of recorded) {
        const last = recorded.filter((e) => at(e) <= at(event)).pop()!;
        expect(await resolveKnownAt(store, { kind: 'instant', at: at(event) })).toBe(last.position);
      }
      expect(await resolveKnownAt(store, { kind: 'instant', at: Date.now() + 60_000 })).toBe(
        recorded[recorded.length - 1].position,
      );
    });
  });
});
