/**
 * A program's closure or period change against the coverages it approved, over HTTP on SQLite
 * and on PostgreSQL. A closure on D, or an end moved earlier, ends every coverage running on
 * that day, and one approved to start after it never runs: the coverage report, the program
 * summary and the participant history all say so, on the day and the day after. A start moved
 * later than an approved coverage's start is refused with the count of such coverages and
 * changes nothing.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import {
  startLedgerApp,
  todayWib,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, programBody, proposal } from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

function expectProblem(response: ApiResponse, status: number, rule: string) {
  expect({ status: response.status, type: response.body?.type, rule: response.body?.rule }).toEqual({
    status,
    type: problemType(rule),
    rule,
  });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
}

interface Approved {
  enrollmentId: string;
  participantId: string;
}

function suite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let operator: string;
  let auditor: string;
  const today = todayWib();
  const next = Number(today.slice(0, 4)) + 1;
  const period = { from: `${next - 1}-01-01`, to: `${next}-12-31` };
  let token = 0;
  let people: ReturnType<typeof createPeopleGenerator>;

  async function ok(url: string, who: string, body: unknown, status = 200) {
    const response = await ledger.post(url, who, body);
    expect({ url, status: response.status, body: response.status === status ? null : response.body }).toEqual(
      { url, status, body: null },
    );
    token = Math.max(token, response.body.consistencyToken ?? 0);
    return response.body;
  }
  const programOf = async (programId: string) =>
    (await ledger.get(`/api/programs/${programId}?consistentWith=${token}`, admin)).body;

  /** A program with coverages approved from each of `starts`. */
  async function programWith(name: string, starts: string[]) {
    const programId = (await ok('/api/programs', admin, programBody({ name, period }), 201))
      .programId as string;
    const approved: Approved[] = [];
    for (const coverageFrom of starts) {
      const worker = people.next({ villageCode: EMBAWANG, maxAge: 50 });
      const proposed = await ok(`/api/programs/${programId}/enrollments`, operator, proposal(worker), 201);
      await ok(`/api/enrollments/${proposed.enrollmentId}/approval`, admin, { coverageFrom });
      approved.push({ enrollmentId: proposed.enrollmentId, participantId: proposed.participantId });
    }
    return { programId, approved };
  }

  /** What the coverage report, the summary and each history say on `date`. */
  async function reportsOn(programId: string, approved: Approved[], date: string) {
    const at = `date=${date}&consistentWith=${token}`;
    const summary = (await ledger.get(`/api/programs/${programId}/summary?${at}`, admin)).body;
    const coverage = (await ledger.get(`/api/coverage?region=${MUARA_ENIM}&${at}`, admin)).body;
    const histories = await Promise.all(
      approved.map(
        async ({ participantId }) =>
          (
            await ledger.get(
              `/api/participants/${participantId}/history?asOf=${date}&consistentWith=${token}`,
              auditor,
            )
          ).body.asOf.enrollments[0] as { status: string; coverage: { from: string; to: string } | null },
      ),
    );
    return {
      summary: { active: summary.active, notYetStarted: summary.notYetStarted, ended: summary.ended },
      active:
        (coverage.byProgram as { programId: string; active: number }[]).find((p) => p.programId === programId)
          ?.active ?? 0,
      histories: histories.map((h) => [h.status, h.coverage]),
    };
  }

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    people = createPeopleGenerator({ seed: 31_337, today });
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    operator = await ledger.token('village_operator', [EMBAWANG], 'operator-embawang');
    auditor = await ledger.token('auditor', ['16'], 'auditor-sumsel');
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  it('a start moved past approved starts is refused with their count, changing nothing', async () => {
    const { programId } = await programWith('Program Awal Bergeser', [`${next}-01-01`, `${next}-03-01`]);
    const later = { from: `${next}-02-01`, to: period.to };
    const refused = await ledger.post(`/api/programs/${programId}/period`, admin, later);
    expectProblem(refused, 409, 'program.period.coverageBefore');
    expect(refused.body).toMatchObject({ count: 1, period: later });
    expect(refused.body.title).toMatch(/^1 kepesertaan/);
    expect(
      (
        await ledger.post(`/api/programs/${programId}/period`, admin, {
          from: `${next}-03-02`,
          to: period.to,
        })
      ).body,
    ).toMatchObject({ rule: 'program.period.coverageBefore', count: 2 });
    expect(await programOf(programId)).toMatchObject({ status: 'open', period });
    // Up to the earliest approved start it may move.
    await ok(`/api/programs/${programId}/period`, admin, { from: `${next}-01-01`, to: period.to }, 201);
  });

  it('a closure on D ends the coverages running on D, and one approved after D never runs: every report agrees', async () => {
    const starts = [`${next}-01-01`, `${next}-03-01`, `${next}-06-01`];
    const { programId, approved } = await programWith('Program Ditutup Awal', starts);
    const closedOn = `${next}-04-30`;
    await ok(`/api/programs/${programId}/closure`, admin, { closedOn, reason: 'Anggaran dialihkan' }, 201);
    expect(await programOf(programId)).toMatchObject({ status: 'closed', closedOn });
    // Nothing more starts in it.
    expectProblem(
      await ledger.post(
        `/api/programs/${programId}/enrollments`,
        operator,
        proposal(people.next({ villageCode: EMBAWANG, maxAge: 50 })),
      ),
      409,
      'program.closed',
    );
    expect(await reportsOn(programId, approved, closedOn)).toEqual({
      summary: { active: 2, notYetStarted: 1, ended: 0 },
      active: 2,
      histories: [
        ['active', { from: starts[0], to: closedOn }],
        ['active', { from: starts[1], to: closedOn }],
        ['approved-not-yet-started', null],
      ],
    });
    expect(await reportsOn(programId, approved, `${next}-05-01`)).toEqual({
      summary: { active: 0, notYetStarted: 0, ended: 3 },
      active: 0,
      histories: [
        ['ended', { from: starts[0], to: closedOn }],
        ['ended', { from: starts[1], to: closedOn }],
        ['ended', null],
      ],
    });
    // The day the never-run coverage would have started: still nothing.
    expect((await reportsOn(programId, approved, starts[2])).active).toBe(0);
  });

  it('an end moved earlier ends the coverages past it the same way', async () => {
    const starts = [`${next}-01-01`, `${next}-06-01`];
    const { programId, approved } = await programWith('Program Dipersingkat', starts);
    const end = `${next}-03-31`;
    await ok(`/api/programs/${programId}/period`, admin, { from: period.from, to: end }, 201);
    expect(await reportsOn(programId, approved, end)).toEqual({
      summary: { active: 1, notYetStarted: 1, ended: 0 },
      active: 1,
      histories: [
        ['active', { from: starts[0], to: end }],
        ['approved-not-yet-started', null],
      ],
    });
    expect(await reportsOn(programId, approved, `${next}-06-15`)).toEqual({
      summary: { active: 0, notYetStarted: 0, ended: 2 },
      active: 0,
      histories: [
        ['ended', { from: starts[0], to: end }],
        ['ended', null],
      ],
    });
    // Moved back out again, the period covers them again: the end is data, not a deregistration.
    await ok(`/api/programs/${programId}/period`, admin, period, 201);
    expect((await reportsOn(programId, approved, `${next}-06-15`)).active).toBe(2);
  });
}

describe('SQLite e2e: closure and period against approved coverage', () => suite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: closure and period against approved coverage',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => suite('postgres'),
);
