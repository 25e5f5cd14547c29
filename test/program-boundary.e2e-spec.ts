/**
 * Every rule that spans a program and the commands deciding with it holds under every
 * interleaving: two commands started together (in process, and as two HTTP requests) are
 * repeated REPETITIONS times per race, each time on a fresh program, on SQLite and on
 * PostgreSQL. Whatever order the store settles on, the outcome must be one a serial order
 * gives: quota never below the seats in use, nothing accepted after the program closed or
 * after its period moved, no deregistration past the program's end, no proposal attached to a
 * person erased before it was written.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import type { EventStore, RecordedEvent } from '@ledger/event-store';
import { approveEnrollment } from '@ledger/ledger/enrollment/approve/approve.handler';
import { loadEnrollment } from '@ledger/ledger/enrollment/enrollment.load';
import { deregisterEnrollment } from '@ledger/ledger/enrollment/deregister/deregister.handler';
import {
  approveEnrollments,
  importedEnrollments,
} from '@ledger/ledger/enrollment/import/approve/approve-import.handler';
import { importNominations } from '@ledger/ledger/enrollment/import/upload/upload.handler';
import { proposeNominations } from '@ledger/ledger/enrollment/propose/propose.handler';
import { rejectEnrollment } from '@ledger/ledger/enrollment/reject/reject.handler';
import { eraseParticipant } from '@ledger/ledger/participants/erase/erase.handler';
import {
  createPeopleGenerator,
  type PeopleGenerator,
  type SyntheticPerson,
} from '@ledger/ledger/participants/synthetic-people';
import { amendProgram } from '@ledger/ledger/programs/amend/amend.handler';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import { loadProgram, loadSeats } from '@ledger/ledger/programs/program.load';
import { regions } from '@ledger/ledger/regions/region-directory';
import { commandContext, type CommandContext, type LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { RuleViolation } from '@ledger/ledger/shared/rule-violation';
import { streams } from '@ledger/ledger/shared/streams';
import { startLedgerApp, todayWib, type LedgerApp, type LedgerMode } from './support/ledger-app';
import {
  currentPeriod,
  EMBAWANG,
  MUARA_ENIM,
  nominationCsv,
  nominationRow,
  programBody,
  proposal,
} from './support/ledger-fixtures';

const REPETITIONS = 100;
/** Repetitions run this many at a time, each on its own program: the race is inside each one. */
const AT_ONCE = 10;

interface Outcome {
  ok: boolean;
  rule?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body?: any;
}

/** The commands a race needs, either called in process or sent over HTTP. */
interface Driver {
  establish(quota: number): Promise<string>;
  propose(programId: string, person: SyntheticPerson): Promise<Outcome>;
  importFile(programId: string, people: SyntheticPerson[]): Promise<Outcome>;
  amendQuota(programId: string, quota: number): Promise<Outcome>;
  amendPeriod(programId: string, period: { from: string; to: string }): Promise<Outcome>;
  close(programId: string, closedOn: string): Promise<Outcome>;
  approve(enrollmentId: string, coverageFrom: string): Promise<Outcome>;
  approveImport(importId: string, coverageFrom: string): Promise<Outcome>;
  reject(enrollmentId: string): Promise<Outcome>;
  deregister(enrollmentId: string, effectiveDate: string): Promise<Outcome>;
  erase(participantId: string): Promise<Outcome>;
}

const period = currentPeriod();
const today = todayWib();
const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

async function inProcess(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, body: await run() };
  } catch (error) {
    if (error instanceof RuleViolation) return { ok: false, rule: error.rule };
    const code = (error as { code?: string }).code;
    if (code === 'WRONG_EXPECTED_VERSION') return { ok: false, rule: 'concurrency.conflict' };
    throw error;
  }
}

function inProcessDriver(deps: LedgerDeps): Driver {
  const admin = (): CommandContext =>
    commandContext({ id: 'admin-boundary', role: 'program_admin', region: MUARA_ENIM });
  const operator = (): CommandContext =>
    commandContext({ id: 'operator-boundary', role: 'village_operator', region: EMBAWANG });
  return {
    async establish(quota) {
      const body = programBody({ name: 'Program Batas Konsistensi', quota });
      const { programId } = await establishProgram(deps, admin(), {
        ...body,
        fundingSource: 'APBD',
        declaredIncome: 1_000_000,
        ageCap: 65,
        eligibleOccupations: null,
        budgetCeiling: null,
      });
      return programId;
    },
    async propose(programId, person) {
      const result = await inProcess(() =>
        proposeNominations(deps, operator(), programId, [{ key: 1, values: person, problems: [] }]),
      );
      if (!result.ok) return result;
      const [outcome] = (result.body as Awaited<ReturnType<typeof proposeNominations>>).outcomes;
      return outcome.status === 'accepted'
        ? { ok: true, body: outcome }
        : { ok: false, rule: outcome.reasons[0].rule, body: outcome };
    },
    importFile: (programId, people) =>
      inProcess(() =>
        importNominations(deps, admin(), programId, {
          content: Buffer.from(nominationCsv(people.map(nominationRow))),
          fileName: 'usulan.csv',
          contentType: 'text/csv',
        }),
      ),
    amendQuota: (programId, quota) =>
      inProcess(() =>
        amendProgram(deps, admin(), programId, { type: 'AmendProgramQuota', quota, reason: null }),
      ),
    amendPeriod: (programId, next) =>
      inProcess(() =>
        amendProgram(deps, admin(), programId, { type: 'AmendProgramPeriod', period: next, reason: null }),
      ),
    close: (programId, closedOn) =>
      inProcess(() =>
        amendProgram(deps, admin(), programId, { type: 'CloseProgram', closedOn, reason: null }),
      ),
    approve: (enrollmentId, coverageFrom) =>
      inProcess(() => approveEnrollment(deps, admin(), enrollmentId, coverageFrom)),
    approveImport: (importId, coverageFrom) =>
      inProcess(async () => {
        const { enrollmentIds } = await importedEnrollments(deps, importId);
        return approveEnrollments(deps, admin(), enrollmentIds, coverageFrom, importId);
      }),
    reject: (enrollmentId) => inProcess(() => rejectEnrollment(deps, admin(), enrollmentId, 'Data ganda')),
    deregister: (enrollmentId, effectiveDate) =>
      inProcess(() =>
        deregisterEnrollment(deps, admin(), enrollmentId, {
          reason: 'moved_away',
          note: null,
          effectiveDate,
        }),
      ),
    erase: (participantId) => inProcess(() => eraseParticipant(deps, admin(), participantId, null)),
  };
}

function httpDriver(ledger: LedgerApp, admin: string, operator: string): Driver {
  const send = async (url: string, token: string, body: unknown, headers?: Record<string, string>) => {
    const response = await ledger.post(url, token, body, headers);
    // Never a 5xx: a lost race retries inside the command, or refuses as a rule.
    expect(response.status).toBeLessThan(500);
    return response.status < 300
      ? { ok: true, body: response.body }
      : { ok: false, rule: response.body?.rule as string, body: response.body };
  };
  return {
    async establish(quota) {
      const response = await ledger.post(
        '/api/programs',
        admin,
        programBody({ name: 'Program Batas Konsistensi', quota }),
      );
      expect(response.status).toBe(201);
      return response.body.programId;
    },
    propose: (programId, person) =>
      send(`/api/programs/${programId}/enrollments`, operator, proposal(person)),
    importFile: (programId, people) =>
      send(`/api/programs/${programId}/enrollments/import`, admin, nominationCsv(people.map(nominationRow)), {
        'content-type': 'text/csv',
        'x-file-name': 'usulan.csv',
      }),
    amendQuota: (programId, quota) => send(`/api/programs/${programId}/quota`, admin, { quota }),
    amendPeriod: (programId, next) => send(`/api/programs/${programId}/period`, admin, next),
    close: (programId, closedOn) => send(`/api/programs/${programId}/closure`, admin, { closedOn }),
    approve: (enrollmentId, coverageFrom) =>
      send(`/api/enrollments/${enrollmentId}/approval`, admin, { coverageFrom }),
    approveImport: (importId, coverageFrom) =>
      send(`/api/imports/${importId}/approval`, admin, { coverageFrom }),
    reject: (enrollmentId) =>
      send(`/api/enrollments/${enrollmentId}/rejection`, admin, { reason: 'Data ganda' }),
    deregister: (enrollmentId, effectiveDate) =>
      send(`/api/enrollments/${enrollmentId}/deregistration`, admin, { reason: 'moved_away', effectiveDate }),
    erase: (participantId) => send(`/api/participants/${participantId}/erasure`, admin, {}),
  };
}

/** Global position of the first event of `type` in a stream; Infinity when there is none. */
async function positionOf(store: EventStore, streamId: string, type: string): Promise<number> {
  const events: RecordedEvent[] = await store.readStream(streamId);
  return events.find((e) => e.type === type)?.position ?? Infinity;
}

async function repeat(run: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < REPETITIONS; i += AT_ONCE) {
    await Promise.all(Array.from({ length: AT_ONCE }, (_, j) => run(i + j)));
  }
}

/**
 * Starts `second` a little after `first` (by `i % spread` store round trips or turns of the
 * event loop), so that over the repetitions it lands in every phase of the first.
 */
async function race<A, B>(
  store: EventStore,
  i: number,
  first: () => Promise<A>,
  second: () => Promise<B>,
  spread = AT_ONCE,
): Promise<[A, B]> {
  const late = async () => {
    // Even repetitions wait on the store (microtasks on SQLite), odd ones on the event loop.
    for (let k = 0; k < i % spread; k++) {
      if (i % 2 === 0) await store.headPosition();
      else await new Promise((resolve) => setImmediate(resolve));
    }
    return second();
  };
  return Promise.all([first(), late()]);
}

function boundarySuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let store: EventStore;
  let people: PeopleGenerator;
  let deps: LedgerDeps;
  const drivers: Record<string, Driver> = {};

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    store = ledger.runtime.store;
    people = createPeopleGenerator({ seed: 909, today });
    deps = {
      store,
      keys: ledger.runtime.keys,
      nikHmacKey: ledger.runtime.secrets.nikHmacKey,
      regions: regions(),
    };
    drivers['in process'] = inProcessDriver(deps);
    drivers['over HTTP'] = httpDriver(
      ledger,
      await ledger.token('program_admin', [MUARA_ENIM], 'admin-boundary'),
      await ledger.token('village_operator', [EMBAWANG], 'operator-boundary'),
    );
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const worker = () => people.next({ villageCode: EMBAWANG, maxAge: 50 });

  describe.each(['in process', 'over HTTP'])('%s', (via) => {
    const driver = () => drivers[via];
    // What comes before the race is not under test: it goes the short way.
    const setup = () => drivers['in process'];

    it(`quota amendment against a proposal: never fewer seats than in use (${REPETITIONS}×)`, async () => {
      const wins: Record<string, number> = {};
      await repeat(async (i) => {
        const programId = await setup().establish(2);
        expect((await setup().propose(programId, worker())).ok).toBe(true);
        const [amended, proposed] = await race(
          store,
          i,
          () => driver().amendQuota(programId, 1),
          () => driver().propose(programId, worker()),
        );
        // Exactly one of them wins; the other is refused by the rule the winner made true.
        if (amended.ok) expect(proposed).toMatchObject({ ok: false, rule: 'enrollment.quota' });
        else expect([amended.rule, proposed.ok]).toEqual(['program.quota.belowUse', true]);
        const key = amended.ok ? 'amendment first' : 'proposal first';
        wins[key] = (wins[key] ?? 0) + 1;
        const program = (await loadProgram({ store }, programId)).state;
        const seats = await loadSeats({ store }, programId);
        expect(program.status === 'open' && seats.inUse <= program.terms.quota).toBe(true);
      });
      expect(Object.values(wins).reduce((a, b) => a + b)).toBe(REPETITIONS);
    });

    it(`closure against a proposal: nothing is proposed after ProgramClosed (${REPETITIONS}×)`, async () => {
      await repeat(async (i) => {
        const programId = await setup().establish(10);
        const [closed, proposed] = await race(
          store,
          i,
          () => driver().close(programId, today),
          () => driver().propose(programId, worker()),
        );
        expect(closed.ok).toBe(true);
        const closedAt = await positionOf(store, streams.program(programId), 'ProgramClosed');
        if (proposed.ok) {
          const proposedAt = await positionOf(
            store,
            streams.enrollment(proposed.body.enrollmentId),
            'EnrollmentProposed',
          );
          expect(proposedAt).toBeLessThan(closedAt);
        } else expect(proposed.rule).toBe('program.closed');
      });
    });

    it(`closure against an import: no row is proposed after ProgramClosed (${REPETITIONS}×)`, async () => {
      await repeat(async (i) => {
        const programId = await setup().establish(10);
        const [imported, closed] = await race(
          store,
          i,
          () => driver().importFile(programId, [worker(), worker()]),
          () => driver().close(programId, today),
          // An import reads and parses its file before its first chunk: the closure is spread wider.
          REPETITIONS,
        );
        expect(closed.ok).toBe(true);
        if (!imported.ok) expect(imported.rule).toBe('program.closed');
        const closedAt = await positionOf(store, streams.program(programId), 'ProgramClosed');
        const seats = await store.readStream(streams.seats(programId));
        for (const taken of seats.filter((e) => e.type === 'SeatsTaken')) {
          expect(taken.position).toBeLessThan(closedAt);
        }
        expect(seats.filter((e) => e.type === 'SeatsTaken').length).toBe(imported.ok ? 1 : 0);
      });
    });

    it(`closure against an approval: nothing is approved after ProgramClosed (${REPETITIONS}×)`, async () => {
      await repeat(async (i) => {
        const programId = await setup().establish(10);
        const proposed = await setup().propose(programId, worker());
        expect(proposed.ok).toBe(true);
        const enrollmentId = proposed.body.enrollmentId as string;
        const [closed, approved] = await race(
          store,
          i,
          () => driver().close(programId, today),
          () => driver().approve(enrollmentId, period.from),
        );
        expect(closed.ok).toBe(true);
        const closedAt = await positionOf(store, streams.program(programId), 'ProgramClosed');
        const approvedAt = await positionOf(store, streams.enrollment(enrollmentId), 'EnrollmentApproved');
        if (approved.ok) expect(approvedAt).toBeLessThan(closedAt);
        else expect([approved.rule, approvedAt]).toEqual(['program.closed', Infinity]);
      });
    });

    it(`closure against the approval of an import: no row is approved after ProgramClosed (${REPETITIONS}×)`, async () => {
      await repeat(async (i) => {
        const programId = await setup().establish(10);
        const imported = await setup().importFile(programId, [worker(), worker(), worker()]);
        expect(imported.body).toMatchObject({ accepted: 3 });
        const [closed, approved] = await race(
          store,
          i,
          () => driver().close(programId, today),
          () => driver().approveImport(imported.body.importId, period.from),
        );
        expect(closed.ok).toBe(true);
        expect(approved.ok).toBe(true);
        const closedAt = await positionOf(store, streams.program(programId), 'ProgramClosed');
        const { enrollmentIds } = await importedEnrollments(deps, imported.body.importId);
        const approvedAt = await Promise.all(
          enrollmentIds.map((id) => positionOf(store, streams.enrollment(id), 'EnrollmentApproved')),
        );
        for (const at of approvedAt.filter(Number.isFinite)) expect(at).toBeLessThan(closedAt);
        // All three before the closure, or none: one chunk is one decision.
        const count = approvedAt.filter(Number.isFinite).length;
        expect([count, approved.body.approved]).toEqual(count === 0 ? [0, 0] : [3, 3]);
        if (count === 0) {
          expect(new Set(approved.body.refused.map((r: { rule: string }) => r.rule))).toEqual(
            new Set(['program.closed']),
          );
        }
      });
    });

    it(`period amendment against an approval: no coverage starts outside the period it was approved under (${REPETITIONS}×)`, async () => {
      await repeat(async (i) => {
        const programId = await setup().establish(10);
        const proposed = await setup().propose(programId, worker());
        expect(proposed.ok).toBe(true);
        const enrollmentId = proposed.body.enrollmentId as string;
        const [amended, approved] = await race(
          store,
          i,
          () => driver().amendPeriod(programId, { from: nextDay(period.from), to: period.to }),
          () => driver().approve(enrollmentId, period.from),
        );
        // Exactly one wins: the coverage approved first keeps the period from moving past its start.
        expect(amended.ok).not.toBe(approved.ok);
        const amendedAt = await positionOf(store, streams.program(programId), 'ProgramPeriodAmended');
        const approvedAt = await positionOf(store, streams.enrollment(enrollmentId), 'EnrollmentApproved');
        if (approved.ok)
          expect([amended.rule, amendedAt]).toEqual(['program.period.coverageBefore', Infinity]);
        else expect([approved.rule, approvedAt]).toEqual(['coverage.outsidePeriod', Infinity]);
      });
    });

    it(`closure against a deregistration: no coverage ends after the program did (${REPETITIONS}×)`, async () => {
      await repeat(async (i) => {
        const programId = await setup().establish(10);
        const proposed = await setup().propose(programId, worker());
        const enrollmentId = proposed.body.enrollmentId as string;
        expect((await setup().approve(enrollmentId, period.from)).ok).toBe(true);
        const [closed, deregistered] = await race(
          store,
          i,
          () => driver().close(programId, today),
          () => driver().deregister(enrollmentId, period.to),
        );
        expect(closed.ok).toBe(true);
        const closedAt = await positionOf(store, streams.program(programId), 'ProgramClosed');
        const endedAt = await positionOf(store, streams.enrollment(enrollmentId), 'EnrollmentDeregistered');
        if (deregistered.ok) expect(endedAt).toBeLessThan(closedAt);
        else expect([deregistered.rule, endedAt]).toEqual(['enrollment.notActive', Infinity]);
      });
    });

    it(`erasure against a proposal: no proposal names a person erased before it was written (${REPETITIONS}×)`, async () => {
      await repeat(async (i) => {
        const programId = await setup().establish(10);
        const person = worker();
        const first = await setup().propose(programId, person);
        expect(first.ok).toBe(true);
        const participantId = first.body.participantId as string;
        // Rejected: the NIK is free again, and its registry still names the participant.
        expect((await setup().reject(first.body.enrollmentId)).ok).toBe(true);
        const [proposed, erased] = await race(
          store,
          i,
          () => driver().propose(programId, person),
          () => driver().erase(participantId),
        );
        expect(erased.ok).toBe(true);
        expect(proposed.ok).toBe(true);
        if (proposed.body.participantId === participantId) {
          const erasedAt = await positionOf(store, streams.participant(participantId), 'ParticipantErased');
          const proposedAt = await positionOf(
            store,
            streams.enrollment(proposed.body.enrollmentId),
            'EnrollmentProposed',
          );
          expect(proposedAt).toBeLessThan(erasedAt);
        }
      });
    });

    it(`erasure against an approval: no coverage starts for a person erased before it was written (${REPETITIONS}×)`, async () => {
      const wins: Record<string, number> = {};
      await repeat(async (i) => {
        const programId = await setup().establish(10);
        const proposed = await setup().propose(programId, worker());
        expect(proposed.ok).toBe(true);
        const { enrollmentId, participantId } = proposed.body as {
          enrollmentId: string;
          participantId: string;
        };
        const [approved, erased] = await race(
          store,
          i,
          () => driver().approve(enrollmentId, period.from),
          () => driver().erase(participantId),
        );
        expect(erased.ok).toBe(true);
        const erasedAt = await positionOf(store, streams.participant(participantId), 'ParticipantErased');
        const approvedAt = await positionOf(store, streams.enrollment(enrollmentId), 'EnrollmentApproved');
        if (approved.ok) expect(approvedAt).toBeLessThan(erasedAt);
        else expect([approved.rule, approvedAt]).toEqual(['participant.erased', Infinity]);
        const key = approved.ok ? 'approval first' : 'erasure first';
        wins[key] = (wins[key] ?? 0) + 1;
      });
      expect(Object.values(wins).reduce((a, b) => a + b)).toBe(REPETITIONS);
    });

    it(`erasure against the approval of an import: no row of a person erased before it is approved (${REPETITIONS}×)`, async () => {
      await repeat(async (i) => {
        const programId = await setup().establish(10);
        const imported = await setup().importFile(programId, [worker(), worker(), worker()]);
        expect(imported.body).toMatchObject({ accepted: 3 });
        const { enrollmentIds } = await importedEnrollments(deps, imported.body.importId);
        const [erasedEnrollment] = enrollmentIds;
        const participantId = (await loadEnrollment(deps, erasedEnrollment)).state.participantId;
        const [approved, erased] = await race(
          store,
          i,
          () => driver().approveImport(imported.body.importId, period.from),
          () => driver().erase(participantId),
        );
        expect(erased.ok).toBe(true);
        expect(approved.ok).toBe(true);
        const erasedAt = await positionOf(store, streams.participant(participantId), 'ParticipantErased');
        const approvedAt = await positionOf(
          store,
          streams.enrollment(erasedEnrollment),
          'EnrollmentApproved',
        );
        if (Number.isFinite(approvedAt)) expect(approvedAt).toBeLessThan(erasedAt);
        else {
          expect(approved.body.refused).toEqual([
            expect.objectContaining({ enrollmentId: erasedEnrollment, rule: 'participant.erased' }),
          ]);
        }
        // The other two rows are approved either way.
        expect(approved.body.approved).toBe(Number.isFinite(approvedAt) ? 3 : 2);
      });
    });
  });
}

describe('SQLite e2e: one consistency boundary per program', () => boundarySuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: one consistency boundary per program',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => boundarySuite('postgres'),
);
