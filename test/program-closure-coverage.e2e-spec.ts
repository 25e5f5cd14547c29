/**
 * A program's closure or period change against the coverages it approved, over HTTP on SQLite
 * and on PostgreSQL: a closure on D ends every coverage still running on D, and the coverage
 * report, the program summary and the participant history all say so; a closure before an
 * approved coverage's start, or a period that would leave an approved start outside it, is
 * refused with their count and changes nothing.
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

function suite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let operator: string;
  let auditor: string;
  const today = todayWib();
  const year = Number(today.slice(0, 4));
  const next = year + 1;
  const period = { from: `${year}-01-01`, to: `${next}-12-31` };
  let programId: string;
  /** Approved from 1 January, 1 March and 1 June of next year. */
  const enrollments: { enrollmentId: string; participantId: string }[] = [];
  let token = 0;

  async function ok(url: string, who: string, body: unknown, status = 200) {
    const response = await ledger.post(url, who, body);
    expect({ url, status: response.status, body: response.status === status ? null : response.body }).toEqual(
      {
        url,
        status,
        body: null,
      },
    );
    token = Math.max(token, response.body.consistencyToken ?? 0);
    return response.body;
  }
  const program = async () =>
    (await ledger.get(`/api/programs/${programId}?consistentWith=${token}`, admin)).body;

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    const people = createPeopleGenerator({ seed: 31_337, today });
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    operator = await ledger.token('village_operator', [EMBAWANG], 'operator-embawang');
    auditor = await ledger.token('auditor', ['16'], 'auditor-sumsel');
    programId = (await ok('/api/programs', admin, programBody({ name: 'Program Penutupan', period }), 201))
      .programId;
    for (const start of [`${next}-01-01`, `${next}-03-01`, `${next}-06-01`]) {
      const worker = people.next({ villageCode: EMBAWANG, maxAge: 50 });
      const proposed = await ok(`/api/programs/${programId}/enrollments`, operator, proposal(worker), 201);
      await ok(`/api/enrollments/${proposed.enrollmentId}/approval`, admin, { coverageFrom: start });
      enrollments.push({ enrollmentId: proposed.enrollmentId, participantId: proposed.participantId });
    }
  }, 120_000);
  afterAll(async () => {
    await ledger?.close();
  });

  it('a closure before an approved start is refused with the count of such coverages, changing nothing', async () => {
    const refused = await ledger.post(`/api/programs/${programId}/closure`, admin, {
      closedOn: `${next}-02-15`,
    });
    expectProblem(refused, 409, 'program.closure.coverageAfter');
    expect(refused.body).toMatchObject({ count: 2, closedOn: `${next}-02-15` });
    expect(refused.body.detail ?? refused.body.title).toMatch(/2 kepesertaan/);
    expect(await program()).toMatchObject({ status: 'open', period });
  });

  it('a period leaving approved starts outside it is refused with their count, changing nothing', async () => {
    const shorter = { from: period.from, to: `${next}-02-28` };
    const refused = await ledger.post(`/api/programs/${programId}/period`, admin, shorter);
    expectProblem(refused, 409, 'program.period.coverageOutside');
    expect(refused.body).toMatchObject({ count: 2, period: shorter });
    const later = { from: `${next}-01-02`, to: period.to };
    expect((await ledger.post(`/api/programs/${programId}/period`, admin, later)).body).toMatchObject({
      rule: 'program.period.coverageOutside',
      count: 1,
    });
    expect(await program()).toMatchObject({ status: 'open', period });
  });

  it('a shorter period that keeps every start ends the coverages running past it on its last day', async () => {
    const shorter = { from: period.from, to: `${next}-09-30` };
    await ok(`/api/programs/${programId}/period`, admin, shorter, 201);
    expect(await program()).toMatchObject({ status: 'open', period: shorter });
    const summary = await ledger.get(
      `/api/programs/${programId}/summary?date=${next}-10-01&consistentWith=${token}`,
      admin,
    );
    expect(summary.body).toMatchObject({ approved: 3, active: 0, ended: 3 });
  });

  it('a closure on D ends every coverage running on D: coverage, summary and history agree', async () => {
    // The latest start moved onto the closing day: the closure may now go ahead.
    const last = enrollments[2];
    await ok(`/api/enrollments/${last.enrollmentId}/correction`, admin, {
      coverageFrom: `${next}-03-01`,
      reason: 'correction',
      note: 'Tanggal mulai sesuai SK',
    });
    await ok(`/api/programs/${programId}/closure`, admin, { closedOn: `${next}-03-01` }, 201);
    expect(await program()).toMatchObject({ status: 'closed', closedOn: `${next}-03-01` });

    const onDay = async (date: string) => {
      const summary = (
        await ledger.get(`/api/programs/${programId}/summary?date=${date}&consistentWith=${token}`, admin)
      ).body;
      const coverage = (
        await ledger.get(`/api/coverage?region=${MUARA_ENIM}&date=${date}&consistentWith=${token}`, admin)
      ).body;
      const histories = await Promise.all(
        enrollments.map(
          async ({ participantId }) =>
            (
              await ledger.get(
                `/api/participants/${participantId}/history?asOf=${date}&consistentWith=${token}`,
                auditor,
              )
            ).body.asOf.enrollments[0],
        ),
      );
      return { summary, coverage, histories };
    };
    // On the closing day all three run; the day after none does, in every report.
    const closing = await onDay(`${next}-03-01`);
    expect(closing.summary).toMatchObject({ active: 3, ended: 0 });
    expect(closing.coverage.active).toBe(3);
    expect(closing.histories.map((h) => h.status)).toEqual(['active', 'active', 'active']);
    const after = await onDay(`${next}-03-02`);
    expect(after.summary).toMatchObject({ active: 0, ended: 3 });
    expect(after.coverage.active).toBe(0);
    expect(after.histories.map((h) => [h.status, h.coverage?.to])).toEqual([
      ['ended', `${next}-03-01`],
      ['ended', `${next}-03-01`],
      ['ended', `${next}-03-01`],
    ]);
  });
}

describe('SQLite e2e: closure and period against approved coverage', () => suite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: closure and period against approved coverage',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => suite('postgres'),
);
