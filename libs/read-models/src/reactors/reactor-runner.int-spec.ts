import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent, RecordedEvent } from '@ledger/event-store';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { execute, metadata, type CommandContext } from '@ledger/ledger/shared/command.deps';
import type { ReadDb } from '../read-db';
import { readDbTargets, readFixture, type ReadDbTarget } from '../testing/read-db-targets';
import { reactorCommandContext } from './ledger-commands';
import type { CommandDispatcher, Reactor } from './reactor';
import { ReactorRunner } from './reactor-runner';
import { specForReactor } from './reactor-spec';

/** A process manager as a context would write one: a death closes the person's file, and their dependants'. */
const deaths: Reactor = {
  kind: 'reactor',
  name: 'deaths',
  version: 1,
  handles: ['PersonDied'],
  react(event) {
    const { personId, dependants = [] } = event.data as { personId: string; dependants?: string[] };
    return [personId, ...dependants].map((id) => ({ type: 'file.close', input: { personId: id } }));
  },
};

/** The command's handler: appends FileClosed through the ledger's `execute`, whatever came before. */
const closeFile = (store: EventStore, ctx: CommandContext, input: { personId: string }) =>
  execute({ store }, ctx, async () => ({
    appends: [
      {
        streamId: `file-${input.personId}`,
        expected: 'any' as const,
        events: [{ type: 'FileClosed', data: { personId: input.personId }, metadata: metadata(ctx) }],
      },
    ],
    result: { closed: input.personId },
  }));

const event = (type: string, data: Record<string, unknown> = {}): NewEvent => ({
  type,
  data,
  metadata: { eventId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 },
});

describe('reactor spec: given events, then commands dispatched', () => {
  const given = specForReactor(deaths);

  it('a death closes the file of the person and of each dependant', () =>
    given([{ type: 'PersonDied', data: { personId: 'p-1', dependants: ['p-2'] } }]).thenDispatches([
      { type: 'file.close', input: { personId: 'p-1' } },
      { type: 'file.close', input: { personId: 'p-2' } },
    ]));

  it('other events call for nothing', () =>
    given([{ type: 'PersonRegistered', data: { personId: 'p-1' } }]).thenDispatchesNothing());
});

/**
 * The runner against the dispatcher port, with the real SQLite event store and the read
 * database of the target. (The ledger's own dispatcher, the CommandBus, and its refusals are
 * specified where it is composed: libs/runtime/src/commands.)
 */
function reactorRunnerSuite(target: ReadDbTarget) {
  const fixture = readFixture(target, 'ledger-reactor-');
  let store: EventStore;
  let read: ReadDb;
  beforeEach(() => ({ store, read } = fixture));

  /** A dispatcher running the command in this process, recording what it was asked, and failing on demand after applying. */
  function dispatcher(crashAfter?: number) {
    const asked: string[] = [];
    const recording: CommandDispatcher = {
      async dispatch(command, context) {
        const result = await closeFile(
          store,
          reactorCommandContext(command, context),
          command.input as { personId: string },
        );
        asked.push(context.idempotencyKey);
        if (asked.length === crashAfter) throw new Error('crash: the process dies before the checkpoint');
        return result;
      },
    };
    return { recording, asked };
  }

  const closed = async () =>
    (await store.readAll({ types: ['FileClosed'] })).map(
      (e: RecordedEvent) => (e.data as { personId: string }).personId,
    );

  /** Where the reactor stands once it has seen every death: the last one (commands it caused come after). */
  const lastDeath = async () => (await store.readAll({ types: ['PersonDied'] })).at(-1)!.position;

  const died = (personId: string, dependants: string[] = []) =>
    store.append([
      {
        streamId: `person-${personId}`,
        events: [event('PersonDied', { personId, dependants })],
        expected: 'any',
      },
    ]);

  it('dispatches once per causing event, live, and its commands land in the log', async () => {
    const { recording, asked } = dispatcher();
    const runner = new ReactorRunner(store, read, [deaths], recording);
    await runner.install();
    runner.start();
    try {
      await died('a');
      await store.append([{ streamId: 'x', events: [event('PersonRegistered')], expected: 'any' }]);
      await died('b', ['c']);
      for (let i = 0; i < 500 && asked.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await runner.stop();
    }
    expect(asked).toHaveLength(3);
    expect(new Set(asked).size).toBe(3);
    expect(await closed()).toEqual(['a', 'b', 'c']);
    const [status] = await runner.status();
    expect(status).toMatchObject({ name: 'deaths', dispatched: 3, position: await lastDeath() });
  });

  it('after a crash between dispatch and checkpoint, the replay applies nothing twice', async () => {
    await died('a');
    await died('b', ['c']);
    const crashing = dispatcher(2);
    const first = new ReactorRunner(store, read, [deaths], crashing.recording);
    await first.install();
    await expect(first.catchUp()).rejects.toThrow('crash');
    // Two commands applied, none checkpointed: the checkpoint is where it was.
    expect(await closed()).toEqual(['a', 'b']);
    expect((await first.status())[0].position).toBe(0);

    const { recording, asked } = dispatcher();
    const restarted = new ReactorRunner(store, read, [deaths], recording);
    await restarted.install();
    await restarted.catchUp();
    // Asked again for all three, but the two already applied are recognised by their keys.
    expect(asked).toEqual(crashing.asked.concat(asked.slice(2)));
    expect(asked).toHaveLength(3);
    expect(await closed()).toEqual(['a', 'b', 'c']);
  });

  it('resumes from its checkpoint: a restarted runner dispatches only what came after', async () => {
    await died('a');
    const before = dispatcher();
    const first = new ReactorRunner(store, read, [deaths], before.recording);
    await first.install();
    await first.catchUp();
    expect(before.asked).toHaveLength(1);

    await died('b');
    const after = dispatcher();
    const second = new ReactorRunner(store, read, [deaths], after.recording);
    await second.install(); // an existing checkpoint is kept
    await second.catchUp();
    expect(after.asked).toEqual([expect.stringMatching(/^deaths:/)]);
    expect(after.asked[0]).not.toBe(before.asked[0]);
    expect(await closed()).toEqual(['a', 'b']);
  });

  it('a reactor that starts at the head leaves the past alone', async () => {
    await died('a');
    const { recording, asked } = dispatcher();
    const runner = new ReactorRunner(
      store,
      read,
      [{ ...deaths, name: 'deaths_from_now', startAt: 'head' }],
      recording,
    );
    await runner.install();
    await died('b');
    await runner.catchUp();
    expect(asked).toHaveLength(1);
    expect(await closed()).toEqual(['b']);
  });
}

describe('reactor runner: SQLite read database', () => reactorRunnerSuite(readDbTargets.sqlite));

describeIfAvailable(
  'PostgreSQL read database: reactor runner',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => reactorRunnerSuite(readDbTargets.postgres),
);
