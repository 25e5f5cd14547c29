/**
 * A reactor in the API process, as `apps/api/src/main.ts` starts it: its command goes to the
 * application's own CommandBus (the handlers `AppModule` registers), the ledger deregisters,
 * and the read models and the HTTP answers show it, once on SQLite and once on PostgreSQL.
 * The ledger has no reactor of its own yet; this one exists only here.
 */
import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { ledgerCommand, type Reactor, type ReactorRunner } from '@ledger/read-models';
import { startLedgerReactors } from '@ledger/runtime/commands';
import { startLedgerApp, todayWib, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { currentPeriod, EMBAWANG, MUARA_ENIM, programBody, proposal } from './support/ledger-fixtures';

/** A recorded death ends the coverage on the day of death. */
const deaths: Reactor = {
  kind: 'reactor',
  name: 'e2e_deaths',
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

function reactorsSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let reactors: ReactorRunner;
  const year = Number(currentPeriod().from.slice(0, 4));

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    reactors = await startLedgerReactors(ledger.runtime, ledger.app.get(CommandBus), undefined, [deaths]);
  }, 60_000);
  afterAll(async () => {
    await reactors?.stop();
    await ledger?.close();
  });

  it("a recorded death deregisters through the API's CommandBus; the enrollment reads as deregistered by the reactor", async () => {
    const admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-reactors');
    const operator = await ledger.token('village_operator', [EMBAWANG], 'operator-reactors');
    const programId = (await ledger.post('/api/programs', admin, programBody())).body.programId as string;
    const worker = createPeopleGenerator({ seed: 2_611, today: todayWib() }).next({ villageCode: EMBAWANG });
    const proposed = await ledger.post(`/api/programs/${programId}/enrollments`, operator, proposal(worker));
    expect(proposed.status).toBe(201);
    const { enrollmentId } = proposed.body as { enrollmentId: string };
    const approved = await ledger.post(`/api/enrollments/${enrollmentId}/approval`, admin, {
      coverageFrom: `${year}-02-01`,
    });
    expect(approved.status).toBe(200);

    const eventId = randomUUID();
    await ledger.runtime.store.append([
      {
        streamId: `spec_death-${randomUUID()}`,
        expected: 'no_stream',
        events: [
          {
            type: 'SpecDeathRecorded',
            data: { enrollmentId, diedOn: `${year}-06-30` },
            metadata: { eventId, occurredAt: new Date().toISOString(), schemaVersion: 1 },
          },
        ],
      },
    ]);

    // Bounded generously: the reactor is woken by the append, on a loaded machine.
    let deregistered = await ledger.runtime.store.readAll({ types: ['EnrollmentDeregistered'] });
    for (let i = 0; i < 1_000 && deregistered.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      deregistered = await ledger.runtime.store.readAll({ types: ['EnrollmentDeregistered'] });
    }
    expect(deregistered).toHaveLength(1);
    expect(deregistered[0].metadata).toMatchObject({
      actor: { id: 'reactor:e2e_deaths', role: 'reactor' },
      causationId: eventId,
    });

    const read = await ledger.get(
      `/api/enrollments/${enrollmentId}?consistentWith=${deregistered[0].position}`,
      admin,
    );
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      status: 'deregistered',
      coverage: { from: `${year}-02-01`, to: `${year}-06-30` },
      endReason: 'deceased',
    });
    expect((await reactors.status())[0]).toMatchObject({ name: 'e2e_deaths', dispatched: 1 });
  });
}

describe('reactors in the API process: SQLite', () => reactorsSuite('sqlite'));

describeIfAvailable(
  'PostgreSQL reactors in the API process',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => reactorsSuite('postgres'),
);
