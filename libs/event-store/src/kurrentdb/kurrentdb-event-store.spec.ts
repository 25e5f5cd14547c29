/**
 * The KurrentDB adapter's own I/O paths that need no KurrentDB server: the real client against
 * a TCP server that accepts connections and never answers (a stalled or half-dead node), so
 * deadlines, close() and the checks made before anything is sent are proven here. Everything
 * that needs a server's answers is in kurrentdb-event-store.int-spec.ts.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { newEvent } from '../conformance/event-store.conformance';
import { InvalidAppendError, StoreUnavailableError } from '../errors';
import type { RecordedEvent } from '../port';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { StoreDeadlineError } from './kurrentdb-errors';

describe('KurrentDB adapter against a server that never answers', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let port = 0;
  const stores: KurrentDbEventStore[] = [];
  /** A store on the silent server; `deadlineMs` becomes the connection string's defaultDeadline. */
  const open = (deadlineMs: number, extra = '') => {
    const store = KurrentDbEventStore.open({
      connectionString: `kurrentdb://127.0.0.1:${port}?tls=false&defaultDeadline=${deadlineMs}${extra}`,
    });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses throwOnAppendFailure=false before connecting', () => {
    expect(() => open(1000, '&throwOnAppendFailure=false')).toThrow(StoreUnavailableError);
    expect(() => open(1000, '&throwOnAppendFailure=false')).toThrow(
      /would let a version conflict pass as a write/,
    );
  });

  it('a read past its deadline fails with a timeout error naming the server and the setting', async () => {
    const store = open(300);
    for (const [operation, read] of [
      ['read $all', () => store.readAll({ after: 0 })],
      ['read $all', () => store.readAll({ after: 4242, categories: ['account'], types: ['Opened'] })],
      ['read stream account-1', () => store.readStream('account-1')],
      ['read the head of $all', () => store.headPosition()],
      ['ping', () => store.ping()],
    ] as const) {
      const error = await (read as () => Promise<unknown>)().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreDeadlineError);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toBe(
        `KurrentDB at kurrentdb://127.0.0.1:${port} is unreachable or stalled ` +
          `(${operation}: no answer within 300 ms, the connection string's defaultDeadline)`,
      );
    }
  });

  it('an append the server never answers fails as unavailable instead of hanging', async () => {
    const store = open(300);
    const error = await store
      .append([{ streamId: `account-1`, events: [newEvent('Opened')], expected: 'no_stream' }])
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toContain(`kurrentdb://127.0.0.1:${port}`);
  });

  it('refuses before sending what the server would refuse: the answer comes without waiting for it', async () => {
    // Any request sent would wait for its deadline (an hour) and fail as unavailable.
    const store = open(3_600_000);
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (e: unknown) => e,
      );
    const twice = await refusal(
      store.append([
        { streamId: 'quota-Sijunjung', events: [newEvent('Reserved')], expected: 'any' },
        { streamId: 'quota-sijunjung', events: [newEvent('Reserved')], expected: 'any' },
      ]),
    );
    expect(twice).toBeInstanceOf(InvalidAppendError);
    expect((twice as Error).message).toContain('differ only in case');
    expect(
      await refusal(store.append([{ streamId: '$$quota-1', events: [newEvent()], expected: 'any' }])),
    ).toBeInstanceOf(InvalidAppendError);
    expect(
      await refusal(
        store.append([
          { streamId: 'quota-1', events: [newEvent()], expected: 'any' },
          { streamId: 'nik-1', events: [newEvent('Klaim NIK')], expected: 'any' },
        ]),
      ),
    ).toBeInstanceOf(InvalidAppendError);
  });

  it('a subscription from a checkpoint checks it against the log within the deadline', async () => {
    const store = open(300);
    const iterator = store.subscribe({ after: 90_210 })[Symbol.asyncIterator]();
    const error = await iterator.next().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreDeadlineError);
    expect((error as Error).message).toContain('check the checkpoint');
  });

  it('close() ends a subscription whose filter matches nothing', async () => {
    const store = open(3_600_000);
    const iterator = store.subscribe({ after: 0, categories: [] })[Symbol.asyncIterator]();
    const next = iterator.next();
    await store.close();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
  });

  it('close() ends a subscription waiting on a read, long before the read deadline', async () => {
    const store = open(3_600_000);
    const seen: RecordedEvent[][] = [];
    const consumed = (async () => {
      for await (const batch of store.subscribe({ after: 0, categories: ['account'] })) seen.push(batch);
    })();
    // Once the catch-up read is in flight (the server will never answer it), close.
    await new Promise((resolve) => setImmediate(resolve));
    await store.close();
    await expect(consumed).resolves.toBeUndefined();
    expect(seen).toEqual([]);
  });

  it("the caller's signal ends a subscription waiting on a read", async () => {
    const store = open(3_600_000);
    const controller = new AbortController();
    const iterator = store.subscribe({ after: 0, signal: controller.signal })[Symbol.asyncIterator]();
    const next = iterator.next();
    controller.abort();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    // The store itself goes on.
    await expect(store.readAll({ types: [] })).resolves.toEqual([]);
  });
});
