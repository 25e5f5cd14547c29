/**
 * The conformance suite against a real KurrentDB: the server at KURRENTDB_URL, else a
 * throwaway container started with testcontainers when a Docker engine is available.
 *
 * A KURRENTDB_URL server must be 25.1+ (multi-stream appends) and accept appends of a
 * couple of MB (MaxAppendSize, default 1 MiB; the suite writes a 1.5 MB event). The suite
 * shares the server's log with whatever else is on it: every test writes unique stream ids
 * and reads the global log from `headPosition()` onwards.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describeIfAvailable } from '../conformance/availability';
import { describeEventStoreConformance, newEvent } from '../conformance/event-store.conformance';
import { StoreUnavailableError } from '../errors';
import type { EventStore } from '../port';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const KURRENTDB_IMAGE = process.env.KURRENTDB_IMAGE ?? 'docker.kurrent.io/kurrent-latest/kurrentdb:latest';
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
      // The conformance suite appends a 1.5 MB event; the default limit is 1 MiB.
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
    const uid = () => randomUUID().replace(/-/g, '').slice(0, 12);

    beforeAll(async () => {
      store = await KurrentDbEventStore.create({ connectionString: connectionString() });
    });
    afterAll(async () => {
      await store?.close();
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
  it('fails to open quickly, in one line, naming the server but not the password', async () => {
    const started = Date.now();
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
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses a malformed connection string without connecting', async () => {
    const error = await KurrentDbEventStore.create({ connectionString: 'mysql://nope' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });
});
