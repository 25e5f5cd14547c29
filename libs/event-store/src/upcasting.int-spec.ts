import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEvent } from './conformance/event-store.conformance';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { upcasterFrom, withUpcasting } from './upcasting';

describe('upcasting on read', () => {
  it('lifts old schema versions on every read path and never rewrites the stored event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-upcast-'));
    const raw = new SqliteEventStore(join(dir, 'ledger.db'));
    try {
      // Version 1 kept the amount in thousands of rupiah; version 2 stores rupiah; version 3 names the currency.
      const store = withUpcasting(
        raw,
        upcasterFrom({
          ContributionPaid: {
            1: (data) => ({ amount: (data as { amountK: number }).amountK * 1000 }),
            2: (data) => ({ ...(data as object), currency: 'IDR' }),
          },
        }),
      );
      const old = newEvent('ContributionPaid', { amountK: 16.8 });
      const current = { ...newEvent('ContributionPaid', { amount: 36_800, currency: 'IDR' }) };
      current.metadata = { ...current.metadata, schemaVersion: 3 };
      await store.append([{ streamId: 'payment-1', events: [old, current], expected: 'no_stream' }]);

      const expected = [
        { data: { amount: 16_800, currency: 'IDR' }, schemaVersion: 3 },
        { data: { amount: 36_800, currency: 'IDR' }, schemaVersion: 3 },
      ];
      const shape = (events: { data: unknown; metadata: { schemaVersion: number } }[]) =>
        events.map((e) => ({ data: e.data, schemaVersion: e.metadata.schemaVersion }));
      expect(shape(await store.readStream('payment-1'))).toEqual(expected);
      expect(shape(await store.readAll())).toEqual(expected);
      const controller = new AbortController();
      for await (const batch of store.subscribe({ after: 0, signal: controller.signal })) {
        expect(shape(batch)).toEqual(expected);
        controller.abort();
      }
      // The log itself still holds version 1.
      const [stored] = await raw.readStream('payment-1');
      expect(stored.data).toEqual({ amountK: 16.8 });
      expect(stored.metadata.schemaVersion).toBe(1);
    } finally {
      await raw.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
