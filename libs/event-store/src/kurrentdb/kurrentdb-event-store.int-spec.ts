/**
 * The conformance suite against a real KurrentDB: the server at KURRENTDB_URL, else a
 * throwaway container of a pinned version (KURRENTDB_IMAGE overrides it) started with
 * testcontainers when a Docker engine is available.
 *
 * A KURRENTDB_URL server must be 25.1+ (multi-stream appends) and accept single-stream
 * appends of a couple of MB: classic appends are limited by MaxAppendSize (1 MiB by default,
 * at most 16 MiB), multi-stream appends by the record size (about 16 MiB per event) and the
 * chunk size (256 MiB per append); the suite writes a 1.5 MB event in a single-stream append.
 * The suite shares the server's log with whatever else is on it: every test writes unique
 * stream ids and reads the global log from `headPosition()` onwards.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describeIfAvailable } from '../conformance/availability';
import { collect, describeEventStoreConformance, newEvent } from '../conformance/event-store.conformance';
import { KurrentDBClient, NO_STREAM, jsonEvent } from '@kurrent/kurrentdb-client';
import { InvalidAppendError, StoreUnavailableError, WrongExpectedVersionError } from '../errors';
import type { EventStore, StreamAppend } from '../port';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { mapClientError } from './kurrentdb-errors';
import { checkAppendResult } from './kurrentdb-events';

const KURRENTDB_IMAGE = process.env.KURRENTDB_IMAGE ?? 'docker.kurrent.io/kurrent-latest/kurrentdb:25.1.0';
const KURRENTDB_PORT = 2113;
const START_TIMEOUT_MS = 300_000;

/**
 * Jest must know when it collects the tests whether they run, so the container runtime is
 * detected synchronously: DOCKER_HOST, or a socket where Docker (rootful, rootless, Desktop)
 * or Podman puts it.
 */
function containerRuntimeAvailable(): boolean {
  if (process.env.DOCKER_HOST) return true;
  const runtimeDir = process.env.XDG_RUNTIME_DIR;
  const sockets = [
    '/var/run/docker.sock',
    join(homedir(), '.docker/run/docker.sock'),
    join(homedir(), '.docker/desktop/docker.sock'),
    ...(runtimeDir ? [join(runtimeDir, 'docker.sock'), join(runtimeDir, 'podman/podman.sock')] : []),
  ];
  return sockets.some((socket) => existsSync(socket));
}

const externalUrl = process.env.KURRENTDB_URL;
const unavailableReason =
  externalUrl || containerRuntimeAvailable()
    ? undefined
    : 'KURRENTDB_URL is not set and no Docker engine is available for testcontainers';

interface Server {
  connectionString: string;
  stop(): Promise<void>;
}

async function startServer(): Promise<Server> {
  if (externalUrl) return { connectionString: externalUrl, stop: async () => undefined };
  // Loaded only when a container is needed, so a skipped suite never touches Docker.
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(KURRENTDB_IMAGE)
    .withEnvironment({
      KURRENTDB_INSECURE: 'true',
      KURRENTDB_RUN_PROJECTIONS: 'None',
      KURRENTDB_MEM_DB: 'true',
      // The conformance suite appends a 1.5 MB event in a classic append, limited to 1 MiB by default.
      KURRENTDB_MAX_APPEND_SIZE: String(8 * 1024 * 1024),
    })
    .withExposedPorts(KURRENTDB_PORT)
    .withWaitStrategy(
      Wait.forHttp('/health/live', KURRENTDB_PORT).forStatusCodeMatching((code) => code >= 200 && code < 300),
    )
    .withStartupTimeout(START_TIMEOUT_MS)
    .start();
  return {
    connectionString: `kurrentdb://${container.getHost()}:${container.getMappedPort(KURRENTDB_PORT)}?tls=false`,
    stop: async () => {
      await container.stop();
    },
  };
}

/** "Live" is not "leader yet": wait until the node takes a write. */
async function waitUntilWritable(connectionString: string, deadlineMs = 120_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      const store = await KurrentDbEventStore.create({ connectionString });
      try {
        await store.append([
          { streamId: `readiness-${randomUUID()}`, events: [newEvent('Ready')], expected: 'any' },
        ]);
        return;
      } finally {
        await store.close();
      }
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

describeIfAvailable('KurrentDB event store conformance', unavailableReason, () => {
  let server: Server | undefined;
  const connectionString = () => {
    if (!server) throw new Error('the KurrentDB server did not start');
    return server.connectionString;
  };

  beforeAll(async () => {
    server = await startServer();
    await waitUntilWritable(server.connectionString);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  describeEventStoreConformance('kurrentdb', {
    // One log for the whole suite: the conformance tests isolate themselves by unique ids and headPosition().
    open: () => KurrentDbEventStore.create({ connectionString: connectionString() }),
    // Eight stores, each with its own client and connection: real concurrent appends.
    async concurrentWriters(_store, writers, perWriter, prefix) {
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const writer = await KurrentDbEventStore.create({ connectionString: connectionString() });
          try {
            for (let i = 0; i < perWriter; i++) {
              await writer.append([
                {
                  streamId: `${prefix}${w}-${i % 10}`,
                  events: [newEvent('Written', { w, i })],
                  expected: 'any',
                },
              ]);
            }
          } finally {
            await writer.close();
          }
        }),
      );
    },
    async dispose(store: EventStore) {
      await store.close();
    },
  });

  describe('KurrentDB adapter', () => {
    let store: KurrentDbEventStore;
    /** The client itself, for what the port does not do (hard deletes) and to see the server's own answers. */
    let raw: KurrentDBClient;
    const uid = () => randomUUID().replace(/-/g, '').slice(0, 12);
    const withOption = (option: string) =>
      `${connectionString()}${connectionString().includes('?') ? '&' : '?'}${option}`;

    beforeAll(async () => {
      store = await KurrentDbEventStore.create({ connectionString: connectionString() });
      raw = KurrentDBClient.connectionString(connectionString());
    });
    afterAll(async () => {
      await store?.close();
      await raw?.dispose();
    });

    it('survives a hard-deleted stream: its tombstone is skipped by category reads, subscriptions, ping and the head', async () => {
      const category = `tomb${uid()}`;
      const start = await store.headPosition();
      const before = await store.append([
        { streamId: `${category}-1`, events: [newEvent('Before')], expected: 'no_stream' },
      ]);
      await raw.tombstoneStream(`${category}-1`);
      // The tombstone is (about) the last record of $all now.
      await store.ping();
      expect(await store.headPosition()).toBeGreaterThanOrEqual(before.position);
      const after = await store.append([
        { streamId: `${category}-2`, events: [newEvent('After')], expected: 'no_stream' },
      ]);

      const read = await store.readAll({ after: start, categories: [category] });
      expect(read.map((e) => e.type)).toContain('After');
      expect(read.every((e) => !e.type.startsWith('$'))).toBe(true);
      // Paged from the deleted stream's event, one at a time: the page moves past the tombstone.
      expect(
        (await store.readAll({ after: before.position, categories: [category], maxCount: 1 })).map(
          (e) => e.type,
        ),
      ).toEqual(['After']);
      const live = await collect(store, start, (seen) => seen.some((e) => e.type === 'After'), 30_000, {
        categories: [category],
      });
      expect(live.map((e) => e.position)).toContain(after.position);
      // Resumed between the deleted stream's event and the tombstone, the subscription goes on.
      const resumed = await collect(store, before.position, (seen) => seen.length > 0, 30_000, {
        categories: [category],
      });
      expect(resumed.map((e) => e.type)).toEqual(['After']);
      expect(await store.headPosition()).toBe(after.position);
    });

    it('refuses a subscription from a checkpoint beyond the end of the log', async () => {
      const end = await store.headPosition();
      const iterator = store.subscribe({ after: end + 1_000_000_000_000 })[Symbol.asyncIterator]();
      await expect(iterator.next()).rejects.toThrow(
        /beyond the end of the KurrentDB log.*projections rebuild all/,
      );
    });

    it("maps the server's own refusals of a multi-stream append to named errors", async () => {
      const stream = `twice-${uid()}`;
      const appends: StreamAppend[] = [
        { streamId: stream, events: [newEvent('A')], expected: 'any' },
        { streamId: `other-${uid()}`, events: [newEvent('B')], expected: 'any' },
        { streamId: stream, events: [newEvent('C')], expected: 'any' },
      ];
      const request = (type: (i: number) => string) =>
        appends.map(({ streamId }, i) => ({
          streamName: streamId,
          expectedState: 'any' as const,
          events: [jsonEvent({ id: randomUUID(), type: type(i), data: { i } })],
        }));
      // Sent past the adapter's own checks, to see what the server answers.
      const twice = await raw.multiStreamAppend(request(() => 'A')).then(
        () => undefined,
        (e: unknown) => e,
      );
      const mappedTwice = mapClientError(twice, { operation: 'append', target: 'test', appends });
      expect(mappedTwice).toBeInstanceOf(InvalidAppendError);
      expect(mappedTwice.message).toContain(`stream ${stream} appears twice`);
      const badType = await raw.multiStreamAppend(request(() => 'Paid (v2)').slice(0, 2)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(
        mapClientError(badType, { operation: 'append', target: 'test', appends: appends.slice(0, 2) }),
      ).toBeInstanceOf(InvalidAppendError);
      // Through the adapter both are refused before sending.
      await expect(store.append(appends)).rejects.toBeInstanceOf(InvalidAppendError);
    });

    it('a client with throwOnAppendFailure=false reports a conflict as { success: false }: the adapter refuses both', async () => {
      await expect(
        KurrentDbEventStore.create({ connectionString: withOption('throwOnAppendFailure=false') }),
      ).rejects.toThrow(/throwOnAppendFailure=false/);
      const lenient = KurrentDBClient.connectionString(withOption('throwOnAppendFailure=false'));
      try {
        const streamId = `lenient-${uid()}`;
        await store.append([{ streamId, events: [newEvent()], expected: 'no_stream' }]);
        const result = await lenient.appendToStream(
          streamId,
          jsonEvent({ id: randomUUID(), type: 'Again', data: {} }),
          {
            streamState: NO_STREAM,
          },
        );
        expect(result.success).toBe(false);
        expect(() => checkAppendResult(result, { streamId, events: [], expected: 'no_stream' })).toThrow(
          WrongExpectedVersionError,
        );
      } finally {
        await lenient.dispose();
      }
    });

    it('reads back the exact metadata of a multi-stream append (string-only properties on the wire)', async () => {
      const a = newEvent('A', { n: 1 });
      const b = newEvent('B', [1, 'two', { three: 3 }]);
      const ids = [`multimeta-${uid()}`, `multimeta-${uid()}`];
      await store.append([
        { streamId: ids[0], events: [a], expected: 'no_stream' },
        { streamId: ids[1], events: [b], expected: 'no_stream' },
      ]);
      const [readA] = await store.readStream(ids[0]);
      const [readB] = await store.readStream(ids[1]);
      expect(readA).toMatchObject({ type: 'A', data: a.data, revision: 0 });
      expect(readA.metadata).toEqual(a.metadata);
      expect(readB.data).toEqual(b.data);
      expect(readB.metadata).toEqual(b.metadata);
    });

    it('selects a category exactly: the stream named like it, not a longer category', async () => {
      const category = `cat${uid()}`;
      const start = await store.headPosition();
      await store.append([{ streamId: category, events: [newEvent('Bare')], expected: 'any' }]);
      await store.append([{ streamId: `${category}-1`, events: [newEvent('Dashed')], expected: 'any' }]);
      await store.append([{ streamId: `${category}x-1`, events: [newEvent('Longer')], expected: 'any' }]);
      const read = await store.readAll({ after: start, categories: [category] });
      expect(read.map((e) => e.type)).toEqual(['Bare', 'Dashed']);
    });

    it('pages a filtered read past events the server cannot filter', async () => {
      const category = `page${uid()}`;
      const start = await store.headPosition();
      for (let i = 0; i < 5; i++) {
        await store.append([
          {
            streamId: `${category}-1`,
            events: [newEvent('Noise'), newEvent('Signal', { i })],
            expected: 'any',
          },
        ]);
      }
      // Categories go to the server, types are checked on arrival: still 3 matches per page of 3.
      const page = await store.readAll({
        after: start,
        categories: [category],
        types: ['Signal'],
        maxCount: 3,
      });
      expect(page.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2]);
      const rest = await store.readAll({
        after: page[2].position,
        categories: [category],
        types: ['Signal'],
      });
      expect(rest.map((e) => (e.data as { i: number }).i)).toEqual([3, 4]);
    });
  });
});

describe('KurrentDB adapter without a server', () => {
  // Not hanging is the point: the connect timeout (3 s) ends it, and the test's own timeout
  // fails it otherwise; how long it took on this machine is not asserted.
  it('fails to open within its connect timeout, in one line, naming the server but not the password', async () => {
    const error = await KurrentDbEventStore.create({
      connectionString: 'kurrentdb://admin:s3cret-pw@127.0.0.1:1?tls=false',
      connectTimeoutMs: 3000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('kurrentdb://127.0.0.1:1');
    expect(message).toContain('unreachable');
    expect(message).not.toContain('s3cret-pw');
    expect(message).not.toContain('\n');
  }, 30_000);

  it('refuses a malformed connection string without connecting', async () => {
    const error = await KurrentDbEventStore.create({ connectionString: 'mysql://nope' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });
});
