/**
 * The behaviour every event store adapter must show. Each adapter's spec calls
 * `describeEventStoreConformance` with a factory; the same assertions then run against
 * SQLite, PostgreSQL and KurrentDB.
 */
import { randomUUID } from 'node:crypto';
import { InvalidAppendError, WrongExpectedVersionError } from '../errors';
import { createHash } from 'node:crypto';
import { isLeafReader, leafHashOf } from '../leaf-hash';
import type { EventStore, ExpectedState, LogFilter, NewEvent, RecordedEvent } from '../port';

/**
 * Three events appended to a fresh log, and their leaf hashes: the same on every store, so a
 * verifier's answer never depends on which store the ledger ran on. The data holds what a
 * careless serialiser spells differently: member order, -0, 1e21, non-ASCII, control characters.
 */
const FIXED_EVENTS: { streamId: string; events: NewEvent[] }[] = [
  {
    streamId: 'account-fixed1',
    events: [
      {
        type: 'Opened',
        data: { z: 1, a: 'é€😀', nested: { b: [1, 2.5, -0, 1e21], a: null, t: true } },
        metadata: {
          schemaVersion: 1,
          eventId: '00000000-0000-4000-8000-000000000001',
          occurredAt: '2026-01-01T00:00:00.000Z',
          actor: { role: 'auditor', id: 'u-1' },
        },
      },
    ],
  },
  {
    streamId: 'account-fixed2',
    events: [1, 2].map((n) => ({
      type: 'Noted',
      data: { note: `line\u0001\n"quoted" \\ ${n}`, amount: 1500000 * n },
      metadata: {
        eventId: `00000000-0000-4000-8000-00000000000${n + 1}`,
        occurredAt: '2026-01-01T00:00:01.000Z',
        schemaVersion: 1,
        correlationId: 'c-1',
      },
    })),
  },
];
const FIXED_LEAF_HASHES = [
  '9aa65e9f77fd0b1014e97b46b31e7357f821fa0908f13145bd82763b71388f19',
  'f115b4e55461feaccef970afe4e8e07b7928ed4e8c57d317a3e60acb4bdd9341',
  'c2fb0daf90c95f5200d6b70cd039da6ec7d2ae9695741415fc27035fa758eae2',
];
/** The first event's leaf text, written out: the format itself is pinned, not only its hash. */
const FIXED_FIRST_LEAF_TEXT =
  '{"data":{"a":"é€😀","nested":{"a":null,"b":[1,2.5,0,1e+21],"t":true},"z":1},' +
  '"metadata":{"actor":{"id":"u-1","role":"auditor"},"eventId":"00000000-0000-4000-8000-000000000001",' +
  '"occurredAt":"2026-01-01T00:00:00.000Z","schemaVersion":1},"position":1,"revision":0,"stream":"account-fixed1","type":"Opened"}';

export interface ConformanceTarget {
  /** A store over a fresh, empty log. */
  open(): Promise<EventStore>;
  /**
   * Runs `writers` concurrent writers, each appending `perWriter` single-event appends to
   * streams `${prefix}${writer}-${i % 10}` with expected state `any`, on connections of
   * their own (separate processes or threads where the adapter is synchronous).
   */
  concurrentWriters?(store: EventStore, writers: number, perWriter: number, prefix: string): Promise<void>;
  /** Removes what `open` created. */
  dispose?(store: EventStore): Promise<void>;
}

export function newEvent(type = 'Something', data: unknown = { n: 1 }): NewEvent {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      correlationId: randomUUID(),
      actor: { id: 'user-1', role: 'program_admin', region: '1603' },
    },
  };
}

const uid = () => randomUUID().replace(/-/g, '').slice(0, 12);

export async function collect(
  store: EventStore,
  after: number,
  until: (seen: RecordedEvent[]) => boolean,
  timeoutMs = 30_000,
  filter: LogFilter = {},
): Promise<RecordedEvent[]> {
  const controller = new AbortController();
  const seen: RecordedEvent[] = [];
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    for await (const batch of store.subscribe({
      ...filter,
      after,
      signal: controller.signal,
      batchSize: 500,
    })) {
      seen.push(...batch);
      if (until(seen)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return seen;
}

async function expectConflict(promise: Promise<unknown>, streamId: string, actual: number): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrongExpectedVersionError);
  expect((error as WrongExpectedVersionError).streamId).toBe(streamId);
  expect((error as WrongExpectedVersionError).actual).toBe(actual);
}

export function describeEventStoreConformance(name: string, target: ConformanceTarget): void {
  describe(`event store conformance: ${name}`, () => {
    let store: EventStore;

    beforeAll(async () => {
      store = await target.open();
    });
    afterAll(async () => {
      if (!store) return;
      await target.dispose?.(store);
      await store.close();
    });

    const append = (streamId: string, events: NewEvent[], expected: ExpectedState = 'any') =>
      store.append([{ streamId, events, expected }]);

    describe('expected state', () => {
      it('no_stream creates a stream and then refuses it', async () => {
        const id = `account-${uid()}`;
        const first = await append(id, [newEvent(), newEvent()], 'no_stream');
        expect(first.streams).toEqual([{ streamId: id, revision: 1 }]);
        expect(first.position).toBeGreaterThan(0);
        await expectConflict(append(id, [newEvent()], 'no_stream'), id, 1);
      });

      it('exists refuses a missing stream and accepts an existing one', async () => {
        const id = `account-${uid()}`;
        await expectConflict(append(id, [newEvent()], 'exists'), id, -1);
        await append(id, [newEvent()], 'no_stream');
        const result = await append(id, [newEvent()], 'exists');
        expect(result.streams[0].revision).toBe(1);
      });

      it('an exact revision must match the last event', async () => {
        const id = `account-${uid()}`;
        await expectConflict(append(id, [newEvent()], 0), id, -1);
        await append(id, [newEvent()], 'no_stream');
        await expectConflict(append(id, [newEvent()], 1), id, 0);
        const ok = await append(id, [newEvent(), newEvent()], 0);
        expect(ok.streams[0].revision).toBe(2);
        await expectConflict(append(id, [newEvent()], 1), id, 2);
      });

      it('any appends whatever the stream holds', async () => {
        const id = `account-${uid()}`;
        expect((await append(id, [newEvent()], 'any')).streams[0].revision).toBe(0);
        expect((await append(id, [newEvent()], 'any')).streams[0].revision).toBe(1);
      });

      it('a refused append writes nothing', async () => {
        const id = `account-${uid()}`;
        await append(id, [newEvent()], 'no_stream');
        await expectConflict(append(id, [newEvent(), newEvent()], 5), id, 0);
        expect(await store.readStream(id)).toHaveLength(1);
      });

      it('rejects malformed appends before touching the store', async () => {
        await expect(store.append([])).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(append(`account-${uid()}`, [])).rejects.toBeInstanceOf(InvalidAppendError);
        const id = `account-${uid()}`;
        await expect(
          store.append([
            { streamId: id, events: [newEvent()], expected: 'any' },
            { streamId: id, events: [newEvent()], expected: 'any' },
          ]),
        ).rejects.toBeInstanceOf(InvalidAppendError);
      });
    });

    describe('multi-stream append', () => {
      it('writes to every stream or to none', async () => {
        const a = `quota-${uid()}`;
        const b = `nik-${uid()}`;
        const c = `enrollment-${uid()}`;
        await append(b, [newEvent('Claimed')], 'no_stream');

        await expectConflict(
          store.append([
            { streamId: a, events: [newEvent('A')], expected: 'no_stream' },
            { streamId: b, events: [newEvent('B')], expected: 'no_stream' },
            { streamId: c, events: [newEvent('C')], expected: 'no_stream' },
          ]),
          b,
          0,
        );
        expect(await store.readStream(a)).toEqual([]);
        expect(await store.readStream(b)).toHaveLength(1);
        expect(await store.readStream(c)).toEqual([]);

        const ok = await store.append([
          { streamId: a, events: [newEvent('A'), newEvent('A2')], expected: 'no_stream' },
          { streamId: b, events: [newEvent('B')], expected: 0 },
          { streamId: c, events: [newEvent('C')], expected: 'no_stream' },
        ]);
        expect(ok.streams).toEqual([
          { streamId: a, revision: 1 },
          { streamId: b, revision: 1 },
          { streamId: c, revision: 0 },
        ]);
        const written = [
          ...(await store.readStream(a)),
          ...(await store.readStream(b)),
          ...(await store.readStream(c)),
        ];
        expect(Math.max(...written.map((e) => e.position))).toBe(ok.position);
      });
    });

    describe('reading', () => {
      it('reads a stream forwards and backwards, from a revision, bounded', async () => {
        const id = `order-${uid()}`;
        const events = Array.from({ length: 5 }, (_, i) => newEvent('Numbered', { i }));
        await append(id, events, 'no_stream');

        const forwards = await store.readStream(id);
        expect(forwards.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
        expect(forwards.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
        expect(forwards[2]).toMatchObject({ streamId: id, type: 'Numbered', metadata: events[2].metadata });
        expect(typeof forwards[0].recordedAt).toBe('string');

        const backwards = await store.readStream(id, { direction: 'backwards' });
        expect(backwards.map((e) => e.revision)).toEqual([4, 3, 2, 1, 0]);
        expect((await store.readStream(id, { fromRevision: 2, maxCount: 2 })).map((e) => e.revision)).toEqual(
          [2, 3],
        );
        expect(
          (await store.readStream(id, { direction: 'backwards', fromRevision: 2, maxCount: 2 })).map(
            (e) => e.revision,
          ),
        ).toEqual([2, 1]);
        expect(await store.readStream(`order-${uid()}`)).toEqual([]);
      });

      it('reads the global log in commit order, paged and filtered', async () => {
        const start = await store.headPosition();
        const x = `alpha-${uid()}`;
        const y = `beta-${uid()}`;
        await append(x, [newEvent('Planted')]);
        await append(y, [newEvent('Harvested')]);
        await append(x, [newEvent('Harvested')]);
        const head = await store.headPosition();

        const all = await store.readAll({ after: start, maxCount: 100 });
        expect(all.map((e) => [e.streamId, e.type])).toEqual([
          [x, 'Planted'],
          [y, 'Harvested'],
          [x, 'Harvested'],
        ]);
        expect(all[all.length - 1].position).toBe(head);
        for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);

        expect(await store.readAll({ after: start, maxCount: 1 })).toHaveLength(1);
        expect((await store.readAll({ after: all[0].position })).map((e) => e.type)).toEqual([
          'Harvested',
          'Harvested',
        ]);
        expect((await store.readAll({ after: start, types: ['Harvested'] })).map((e) => e.streamId)).toEqual([
          y,
          x,
        ]);
        expect((await store.readAll({ after: start, categories: ['alpha'] })).map((e) => e.type)).toEqual([
          'Planted',
          'Harvested',
        ]);
        expect(await store.readAll({ after: start, categories: ['alpha'], types: ['Nothing'] })).toEqual([]);
      });

      it('reads the global log page by page, the same events as readAll, and can stop early', async () => {
        const start = await store.headPosition();
        const x = `alpha-${uid()}`;
        const y = `nagari-${uid()}-Ñ-🚜`;
        for (let i = 0; i < 12; i++) {
          await append(i % 3 === 0 ? y : x, [
            newEvent(i % 2 ? 'Harvested' : 'Planted', { i, nama: 'Siti — "guru" ngaji\n🕌' }),
          ]);
        }
        const pages = async (options: Parameters<EventStore['readAllPages']>[0]) => {
          const out: RecordedEvent[][] = [];
          for await (const page of store.readAllPages(options)) out.push(page);
          return out;
        };

        const paged = await pages({ after: start, maxCount: 5 });
        expect(paged.map((page) => page.length)).toEqual([5, 5, 2]);
        expect(paged.flat()).toEqual(await store.readAll({ after: start, maxCount: 100 }));
        const harvested = await pages({ after: start, types: ['Harvested'], maxCount: 4 });
        expect(harvested.map((page) => page.length)).toEqual([4, 2]);
        expect(harvested.flat()).toEqual(await store.readAll({ after: start, types: ['Harvested'] }));
        expect(
          (await pages({ after: start, categories: ['nagari'], maxCount: 3 })).flat().map((e) => e.data),
        ).toEqual([0, 3, 6, 9].map((i) => ({ i, nama: 'Siti — "guru" ngaji\n🕌' })));
        expect(await pages({ after: await store.headPosition() })).toEqual([]);

        // Breaking out after the first page releases the reader; the store goes on serving.
        for await (const page of store.readAllPages({ after: start, maxCount: 2 })) {
          expect(page).toHaveLength(2);
          break;
        }
        await append(x, [newEvent('Planted')]);
        expect((await pages({ after: start, maxCount: 100 })).flat()).toHaveLength(13);
      });

      it('keeps large events and unicode intact', async () => {
        const id = `nagari-${uid()}-Sijunjung-Ñ-日本-🚜`;
        const data = {
          nama: 'Siti Nurhaliza binti Abdul Rahman — guru ngaji 🕌',
          blob: 'x'.repeat(1_500_000),
          nested: { list: Array.from({ length: 1000 }, (_, i) => ({ i, s: `baris ${i} ✓` })) },
        };
        await append(id, [newEvent('Besar', data)], 'no_stream');
        const [read] = await store.readStream(id);
        expect(read.streamId).toBe(id);
        expect(read.data).toEqual(data);
      });
    });

    describe('subscription', () => {
      it('catches up, then delivers live events, in order', async () => {
        const start = await store.headPosition();
        const id = `live-${uid()}`;
        await append(id, [newEvent('Before', { i: 0 }), newEvent('Before', { i: 1 })]);
        const received = collect(store, start, (seen) => seen.length >= 4);
        await new Promise((r) => setTimeout(r, 50));
        await append(id, [newEvent('After', { i: 2 })]);
        await append(id, [newEvent('After', { i: 3 })]);
        const seen = await received;
        expect(seen.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3]);
        expect(seen.map((e) => e.type)).toEqual(['Before', 'Before', 'After', 'After']);
      });

      it('resumes after a checkpoint without repeating it', async () => {
        const id = `resume-${uid()}`;
        const start = await store.headPosition();
        await append(id, [newEvent('E', { i: 0 }), newEvent('E', { i: 1 }), newEvent('E', { i: 2 })]);
        const firstTwo = (await store.readAll({ after: start, maxCount: 2 })).map((e) => e.position);
        const rest = await collect(store, firstTwo[1], (seen) => seen.length >= 1);
        expect(rest.map((e) => (e.data as { i: number }).i)).toEqual([2]);
      });

      it('filters by type and category while subscribed', async () => {
        const start = await store.headPosition();
        const keep = `keepcat${uid()}-1`;
        await append(`othercat${uid()}-1`, [newEvent('Noise')]);
        await append(keep, [newEvent('Signal')]);
        const controller = new AbortController();
        const seen: RecordedEvent[] = [];
        for await (const batch of store.subscribe({
          after: start,
          categories: [keep.split('-')[0]],
          signal: controller.signal,
        })) {
          seen.push(...batch);
          break;
        }
        controller.abort();
        expect(seen.map((e) => e.streamId)).toEqual([keep]);
      });

      it('8 concurrent writers x 1,000 appends: a live subscriber sees all 8,000 once, in order', async () => {
        const writers = 8;
        const perWriter = 1000;
        const prefix = `conc${uid()}`;
        const start = await store.headPosition();
        const mine = (e: RecordedEvent) => e.streamId.startsWith(prefix);
        const received = collect(
          store,
          start,
          (seen) => seen.filter(mine).length >= writers * perWriter,
          120_000,
        );

        if (target.concurrentWriters) {
          await target.concurrentWriters(store, writers, perWriter, prefix);
        } else {
          await Promise.all(
            Array.from({ length: writers }, async (_, w) => {
              for (let i = 0; i < perWriter; i++) {
                await store.append([
                  {
                    streamId: `${prefix}${w}-${i % 10}`,
                    events: [newEvent('Written', { w, i })],
                    expected: 'any',
                  },
                ]);
              }
            }),
          );
        }
        const seen = (await received).filter(mine);
        expect(seen).toHaveLength(writers * perWriter);
        expect(new Set(seen.map((e) => e.metadata.eventId)).size).toBe(writers * perWriter);
        for (let i = 1; i < seen.length; i++) {
          if (seen[i].position <= seen[i - 1].position) throw new Error(`out of order at ${i}`);
        }
        // Within each stream, revisions arrive gap-free: 0, 1, 2, …
        const perStream = new Map<string, number>();
        for (const e of seen) {
          const expected = (perStream.get(e.streamId) ?? -1) + 1;
          expect(e.revision).toBe(expected);
          perStream.set(e.streamId, expected);
        }
        const replay = await store.readAll({ after: start, maxCount: 100_000 });
        expect(replay.filter(mine).map((e) => e.position)).toEqual(seen.map((e) => e.position));
      }, 180_000);
    });

    it("stores each event's leaf hash, the same on every store for the same events", async () => {
      const fresh = await target.open();
      try {
        for (const { streamId, events } of FIXED_EVENTS)
          await fresh.append([{ streamId, events, expected: 'no_stream' }]);
        const events = await fresh.readAll();
        expect(events.map((e) => e.type)).toEqual(['Opened', 'Noted', 'Noted']);
        // Recomputed from the events as read back: what a verifier does.
        expect(events.map((e) => leafHashOf(e).toString('hex'))).toEqual(
          fresh.kind === 'kurrentdb' ? expect.any(Array) : FIXED_LEAF_HASHES,
        );
        const first = createHash('sha256')
          .update(Buffer.from([0]))
          .update(FIXED_FIRST_LEAF_TEXT)
          .digest('hex');
        expect(FIXED_LEAF_HASHES[0]).toBe(first);
        if (isLeafReader(fresh)) {
          const stored = await fresh.readLeaves(0, 10);
          expect(stored.map((l) => l.position)).toEqual(events.map((e) => e.position));
          expect(stored.map((l) => l.hash.toString('hex'))).toEqual(FIXED_LEAF_HASHES);
          expect((await fresh.readLeaves(stored[0].position, 10)).map((l) => l.position)).toEqual(
            events.slice(1).map((e) => e.position),
          );
        }
      } finally {
        await target.dispose?.(fresh);
        await fresh.close();
      }
    });

    it('reports the head position and answers ping', async () => {
      await store.ping();
      const result = await append(`head-${uid()}`, [newEvent()]);
      expect(await store.headPosition()).toBe(result.position);
    });
  });
}
