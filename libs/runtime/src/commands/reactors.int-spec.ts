import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Client } from 'pg';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import type { RecordedEvent } from '@ledger/event-store';
import { approveEnrollment } from '@ledger/ledger/enrollment/approve/approve.handler';
import { proposeNominations } from '@ledger/ledger/enrollment/propose/propose.handler';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import { commandContext } from '@ledger/ledger/shared/command.deps';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import { loadConfig } from '@ledger/platform/config';
import {
  ReactorRunner,
  ledgerCommand,
  type CommandDispatcher,
  type Reactor,
  type ReactorCommand,
} from '@ledger/read-models';
import { specForReactor } from '@ledger/read-models/reactors/reactor-spec';
import { openRuntime, type LedgerRuntime } from '../runtime';
import { commandBusDispatcher } from './command-bus-dispatcher';
import { LedgerCommand } from './ledger-command';
import { ledgerCommandKinds } from './ledger-command-kinds';
import { openLedgerCommands } from './ledger-commands.module';
import { ledgerDeps, startLedgerReactors } from './start-reactors';

const MUARA_ENIM = '1603';
const EMBAWANG = '1603012011';
const today = todayInIndonesia(new Date());
const next = Number(today.slice(0, 4)) + 1;

/**
 * A reactor of these specs only (the ledger has no death records yet): a recorded death
 * ends the person's coverage on the day of death, through the ledger's deregistration.
 */
const deaths: Reactor = {
  kind: 'reactor',
  name: 'spec_deaths',
  version: 1,
  handles: ['SpecDeathRecorded'],
  react(event) {
    const { enrollmentId, diedOn } = event.data as { enrollmentId: string; diedOn: string };
    return [
      ledgerCommand('enrollment.deregister', {
        enrollmentId,
        reason: 'deceased',
        note: null,
        effectiveDate: diedOn,
      }),
    ];
  },
};

describe('reactor spec of the test reactor: given events, then commands', () => {
  const given = specForReactor(deaths);

  it('a recorded death calls for the deregistration of the enrollment, on the day of death', () =>
    given([
      { type: 'SpecDeathRecorded', data: { enrollmentId: 'e-1', diedOn: '2027-03-31' } },
    ]).thenDispatches([
      {
        type: 'enrollment.deregister',
        input: { enrollmentId: 'e-1', reason: 'deceased', note: null, effectiveDate: '2027-03-31' },
      },
    ]));

  it('an approval calls for nothing', () =>
    given([{ type: 'EnrollmentApproved', data: { enrollmentId: 'e-1' } }]).thenDispatchesNothing());
});

interface Target {
  name: string;
  open(): Promise<{ runtime: LedgerRuntime; cleanup(): Promise<void> }>;
}

const sqliteTarget: Target = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-reactors-'));
    const runtime = await openRuntime(loadConfig({ LEDGER_DATA_DIR: dir, LOG_LEVEL: 'silent' }), {
      projections: [],
    });
    return { runtime, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const postgresTarget: Target = {
  name: 'postgres',
  async open() {
    const schema = `reactors_${randomBytes(5).toString('hex')}`;
    const secret = () => randomBytes(32).toString('base64');
    const config = loadConfig({
      LEDGER_STORE: 'postgres',
      DATABASE_URL: process.env.DATABASE_URL,
      LEDGER_PG_SCHEMA: schema,
      LEDGER_KEK: secret(),
      LEDGER_INTEGRITY_SIGNING_KEY: secret(),
      LEDGER_NIK_HMAC_KEY: secret(),
      LEDGER_JWT_SECRET: secret(),
      LOG_LEVEL: 'silent',
    });
    const runtime = await openRuntime(config, { projections: [] });
    return {
      runtime,
      async cleanup() {
        const client = new Client(process.env.DATABASE_URL);
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      },
    };
  },
};

function reactorsSuite(target: Target) {
  let runtime: LedgerRuntime;
  let cleanup: () => Promise<void>;
  let commands: INestApplicationContext;
  let programId: string;
  const people = createPeopleGenerator({ seed: 1_105, today });
  const admin = () => commandContext({ id: 'admin-reactors', role: 'program_admin', region: MUARA_ENIM });
  const operator = () =>
    commandContext({ id: 'operator-reactors', role: 'village_operator', region: EMBAWANG });

  beforeEach(async () => {
    ({ runtime, cleanup } = await target.open());
    commands = await openLedgerCommands(ledgerDeps(runtime));
    ({ programId } = await establishProgram(ledgerDeps(runtime), admin(), {
      fundingSource: 'APBD',
      benefitPackage: 'JKK_JKM',
      declaredIncome: 1_000_000,
      ageCap: 65,
      eligibleOccupations: null,
      budgetCeiling: null,
      name: 'Program Reaktor',
      ownerRegion: MUARA_ENIM,
      payer: 'Pemerintah Kabupaten Muara Enim',
      period: { from: `${next - 1}-01-01`, to: `${next}-12-31` },
      quota: 10,
      // The period began on 1 January: within the tolerance, so not a backfill.
      backfillToleranceDays: 730,
    }));
  });
  afterEach(async () => {
    await commands.close();
    await runtime.close();
    await cleanup();
  });

  /** A worker proposed by the village, and approved unless said otherwise: their enrollment id. */
  async function enrolled(approve = true): Promise<string> {
    const deps = ledgerDeps(runtime);
    const { outcomes } = await proposeNominations(deps, operator(), programId, [
      { key: 1, values: people.next({ villageCode: EMBAWANG, maxAge: 50 }), problems: [] },
    ]);
    expect(outcomes[0]).toMatchObject({ status: 'accepted' });
    const { enrollmentId } = outcomes[0] as { enrollmentId: string };
    if (approve) await approveEnrollment(deps, admin(), enrollmentId, `${next}-02-01`);
    return enrollmentId;
  }

  /** Records a death as some other part of the ledger would: its event, with ids of its own. */
  async function died(enrollmentId: string, diedOn = `${next}-03-31`) {
    const eventId = randomUUID();
    const correlationId = randomUUID();
    const written = await runtime.store.append([
      {
        streamId: `spec_death-${randomUUID()}`,
        expected: 'no_stream',
        events: [
          {
            type: 'SpecDeathRecorded',
            data: { enrollmentId, diedOn },
            metadata: { eventId, correlationId, occurredAt: new Date().toISOString(), schemaVersion: 1 },
          },
        ],
      },
    ]);
    return { eventId, correlationId, position: written.position };
  }

  const deregistrations = () => runtime.store.readAll({ types: ['EnrollmentDeregistered'] });
  const released = async () => (await runtime.store.readAll({ types: ['CoverageReleased'] })).length;
  const position = async (runner: ReactorRunner) => (await runner.status())[0].position;

  it('a reaction is a command object the CommandBus executes: the ledger deregisters, as the reactor, caused by the event', async () => {
    const bus = commands.get(CommandBus);
    const executed: unknown[] = [];
    const seen = bus.subscribe((command) => executed.push(command));
    const enrollmentId = await enrolled();
    const death = await died(enrollmentId);

    const runner = new ReactorRunner(runtime.store, runtime.read, [deaths], commandBusDispatcher(bus));
    await runner.install();
    await runner.catchUp();
    seen.unsubscribe();

    expect(executed).toHaveLength(1);
    const [command] = executed as LedgerCommand<unknown>[];
    expect(command).toBeInstanceOf(ledgerCommandKinds['enrollment.deregister'].command);
    expect(command.constructor.name).toBe('DeregisterEnrollment');
    expect(command.input).toEqual({
      enrollmentId,
      reason: 'deceased',
      note: null,
      effectiveDate: `${next}-03-31`,
    });
    expect(command.context).toMatchObject({
      actor: { id: 'reactor:spec_deaths', role: 'reactor' },
      causationId: death.eventId,
      correlationId: death.correlationId,
    });

    const [deregistered, ...more] = await deregistrations();
    expect(more).toEqual([]);
    expect(deregistered.data).toMatchObject({
      enrollmentId,
      reason: 'deceased',
      effectiveDate: `${next}-03-31`,
    });
    expect(deregistered.metadata).toMatchObject({
      actor: { id: 'reactor:spec_deaths', role: 'reactor' },
      causationId: death.eventId,
      correlationId: death.correlationId,
    });
    expect(await released()).toBe(1);
    expect(await position(runner)).toBe(death.position);
  });

  it('crash after the commands, before the checkpoint: the restarted process acts once', async () => {
    const first = [await enrolled(), await enrolled()];
    await died(first[0]);
    const last = await died(first[1]);

    /** The process's dispatcher, recording each result, dying once it applied `crashAfter` commands. */
    const dispatcherOf = (bus: CommandBus, crashAfter?: number) => {
      const results: unknown[] = [];
      const inner = commandBusDispatcher(bus);
      const dispatcher: CommandDispatcher = {
        async dispatch(command: ReactorCommand, context) {
          results.push(await inner.dispatch(command, context));
          if (results.length === crashAfter) throw new Error('crash: the process dies before the checkpoint');
          return results.at(-1);
        },
      };
      return { dispatcher, results };
    };

    const crashing = dispatcherOf(commands.get(CommandBus), 2);
    const before = new ReactorRunner(runtime.store, runtime.read, [deaths], crashing.dispatcher);
    await before.install();
    await expect(before.catchUp()).rejects.toThrow('crash');
    // Both deregistrations applied, the checkpoint not moved: the next start asks again.
    expect(await deregistrations()).toHaveLength(2);
    expect(await position(before)).toBe(0);
    await commands.close();

    // The restarted process: a CommandBus of its own, a runner of its own, the same log.
    commands = await openLedgerCommands(ledgerDeps(runtime));
    const replay = dispatcherOf(commands.get(CommandBus));
    const after = new ReactorRunner(runtime.store, runtime.read, [deaths], replay.dispatcher);
    await after.install();
    await after.catchUp();
    // Asked again for both; each found the first run's result under its key.
    expect(replay.results).toEqual(crashing.results);
    expect((replay.results as { status: string }[]).map((r) => r.status)).toEqual([
      'deregistered',
      'deregistered',
    ]);
    expect(await deregistrations()).toHaveLength(2);
    expect(await released()).toBe(2);
    expect(await position(after)).toBe(last.position);

    // And once checkpointed, a third start asks for nothing.
    const third = dispatcherOf(commands.get(CommandBus));
    const again = new ReactorRunner(runtime.store, runtime.read, [deaths], third.dispatcher);
    await again.install();
    await again.catchUp();
    expect(third.results).toEqual([]);
    expect(await deregistrations()).toHaveLength(2);
  });

  it('a refused command is its answer: logged with its rule, and the reactor goes on past it', async () => {
    const proposedOnly = await enrolled(false);
    const active = await enrolled();
    const refusal = await died(proposedOnly);
    const last = await died(active);
    const logged: { msg: string; fields?: object }[] = [];
    const logger = { info: (msg: string, fields?: object) => logged.push({ msg, fields }), error: () => {} };

    const runner = new ReactorRunner(
      runtime.store,
      runtime.read,
      [deaths],
      commandBusDispatcher(commands.get(CommandBus), logger),
    );
    await runner.install();
    await runner.catchUp();

    expect(
      (await deregistrations()).map((e: RecordedEvent) => (e.data as { enrollmentId: string }).enrollmentId),
    ).toEqual([active]);
    expect(logged).toContainEqual({
      msg: 'reactor command refused',
      fields: {
        reactor: 'spec_deaths',
        command: 'enrollment.deregister',
        causationId: refusal.eventId,
        rule: 'enrollment.notActive',
      },
    });
    expect(await position(runner)).toBe(last.position);
  });

  it('a command without a handler on the bus stops the reactor at its event, the checkpoint unmoved', async () => {
    await died(await enrolled());
    const unknown: Reactor = {
      ...deaths,
      name: 'spec_unknown',
      react: () => [{ type: 'nothing.here', input: {} }],
    };
    const runner = new ReactorRunner(
      runtime.store,
      runtime.read,
      [unknown],
      commandBusDispatcher(commands.get(CommandBus)),
    );
    await runner.install();
    await expect(runner.catchUp()).rejects.toThrow(
      'reactor spec_unknown asks for nothing.here, which has no handler',
    );
    expect(await position(runner)).toBe(0);
    expect(await deregistrations()).toEqual([]);
  });

  it('startLedgerReactors, as the API and the projector call it, follows the log live', async () => {
    const runner = await startLedgerReactors(runtime, commands.get(CommandBus), undefined, [deaths]);
    try {
      const enrollmentId = await enrolled();
      const death = await died(enrollmentId);
      // Bounded generously: the live loop is woken by the append, on a loaded machine.
      for (let i = 0; i < 1_000 && (await deregistrations()).length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect((await deregistrations()).map((e) => e.metadata.causationId)).toEqual([death.eventId]);
    } finally {
      await runner.stop();
    }
  });
}

describe('reactors through the CommandBus: SQLite', () => reactorsSuite(sqliteTarget));

describeIfAvailable(
  'PostgreSQL reactors through the CommandBus',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => reactorsSuite(postgresTarget),
);
