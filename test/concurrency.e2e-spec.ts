/**
 * The ledger's cross-stream invariants under concurrent HTTP requests, once on SQLite and once
 * on PostgreSQL: one active coverage per NIK across programs, and a program's quota across
 * simultaneous nomination imports.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator, type PeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import {
  startLedgerApp,
  todayWib,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import {
  currentPeriod,
  EMBAWANG,
  MUARA_ENIM,
  nominationCsv,
  nominationRow,
  PAGAR_DEWA,
  programBody,
  proposal,
} from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

function concurrencySuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let people: PeopleGenerator;
  let admin: string;
  let operator: string;
  const period = currentPeriod();

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    people = createPeopleGenerator({ seed: 2026, today: todayWib() });
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    operator = await ledger.token('village_operator', [EMBAWANG], 'operator-embawang');
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  async function establish(name: string, quota: number): Promise<{ id: string; token: number }> {
    const response = await ledger.post('/api/programs', admin, programBody({ name, quota, period }));
    expect(response.status).toBe(201);
    return { id: response.body.programId, token: response.body.consistencyToken };
  }

  /** Appends refused for a wrong expected revision: proof that the requests really raced at the store. */
  async function conflicts(): Promise<number> {
    const metrics = await ledger.get('/metrics');
    expect(metrics.status).toBe(200);
    const line = metrics.text
      .split('\n')
      .find((l) => l.startsWith('ledger_appends_total{') && l.includes('outcome="WRONG_EXPECTED_VERSION"'));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  const tally = (responses: ApiResponse[]) => {
    const counts: Record<string, number> = {};
    for (const r of responses) {
      const key = `${r.status} ${r.body?.rule ?? ''}`.trim();
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };

  it('one NIK proposed to 100 overlapping programs at once: exactly one 201, 99 × 409 participant.alreadyCovered', async () => {
    const programs: { id: string; token: number }[] = [];
    // Ten at a time: the programs themselves are not what is under test.
    for (let i = 0; i < 100; i += 10) {
      programs.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, j) => establish(`Program Serentak ${i + j + 1}`, 10)),
        )),
      );
    }
    const worker = people.next({ villageCode: EMBAWANG });
    const body = proposal(worker);

    const conflictsBefore = await conflicts();
    const responses = await Promise.all(
      programs.map((p) => ledger.post(`/api/programs/${p.id}/enrollments`, operator, body)),
    );
    expect(tally(responses)).toEqual({ '201': 1, '409 participant.alreadyCovered': 99 });
    if (mode === 'postgres') {
      // Every request read the NIK's registry before the first append: 99 of them lost that race
      // at the store and decided again. (In-process SQLite does its I/O synchronously, so the
      // event loop runs each command whole and the race cannot show; the outcome must not differ.)
      expect((await conflicts()) - conflictsBefore).toBeGreaterThan(0);
    }
    const winner = responses.find((r) => r.status === 201)!;
    const winningProgram = programs[responses.indexOf(winner)];
    for (const refused of responses.filter((r) => r.status === 409)) {
      expect(refused.body.type).toBe(problemType('participant.alreadyCovered'));
      // Every refusal names the program that holds the NIK.
      expect(refused.body.title).toContain(winningProgram.id);
      expect(refused.text).not.toContain(worker.nik);
    }

    const { enrollmentId, participantId } = winner.body as { enrollmentId: string; participantId: string };
    const approved = await ledger.post(`/api/enrollments/${enrollmentId}/approval`, admin, {
      coverageFrom: period.from,
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ enrollmentId, status: 'approved', consistencyToken: expect.any(Number) });

    const participant = await ledger.get(
      `/api/participants/${participantId}?consistentWith=${approved.body.consistencyToken}`,
      admin,
    );
    expect(participant.status).toBe(200);
    expect(participant.body.enrollments).toEqual([
      {
        enrollmentId,
        programId: winningProgram.id,
        status: 'approved',
        coverageFrom: period.from,
        endedOn: null,
        endReason: null,
      },
    ]);

    // One seat in use over all hundred programs.
    const list = await ledger.get(`/api/programs?consistentWith=${approved.body.consistencyToken}`, admin);
    expect(list.status).toBe(200);
    const ours = (list.body.programs as { id: string; seatsInUse: number }[]).filter((p) =>
      programs.some((q) => q.id === p.id),
    );
    expect(ours).toHaveLength(100);
    expect(ours.filter((p) => p.seatsInUse > 0)).toEqual([
      expect.objectContaining({ id: winningProgram.id, seatsInUse: 1 }),
    ]);

    // And a later attempt is still refused.
    const late = await ledger.post(
      `/api/programs/${programs[0].id === winningProgram.id ? programs[1].id : programs[0].id}/enrollments`,
      operator,
      body,
    );
    expect(late.status).toBe(409);
    expect(late.body.rule).toBe('participant.alreadyCovered');
  });

  it('two imports of 100 workers each into a program with quota 150: exactly 150 accepted, the rest enrollment.quota', async () => {
    const { id: programId } = await establish('Program Kuota 150', 150);
    const fileOf = (villageCode: string) =>
      nominationCsv(Array.from({ length: 100 }, () => nominationRow(people.next({ villageCode }))));
    const files = [fileOf(EMBAWANG), fileOf(PAGAR_DEWA)];

    const responses = await Promise.all(
      files.map((csv, i) =>
        ledger.post(`/api/programs/${programId}/enrollments/import`, admin, csv, {
          'content-type': 'text/csv',
          'x-file-name': `usulan-${i + 1}.csv`,
        }),
      ),
    );
    for (const r of responses) {
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ programId, status: 'completed', total: 100, repeated: false });
    }
    expect(responses[0].body.importId).not.toBe(responses[1].body.importId);
    const accepted = responses.reduce((n, r) => n + r.body.accepted, 0);
    const rejected = responses.reduce((n, r) => n + r.body.rejected, 0);
    expect({ accepted, rejected }).toEqual({ accepted: 150, rejected: 50 });
    // Whichever import decided first took 100 seats; the other got the 50 left, whether it decided
    // after the first one's append or lost the race at the store and decided again.
    expect(responses.map((r) => r.body.accepted as number).sort((a, b) => a - b)).toEqual([50, 100]);

    const token = Math.max(...responses.map((r) => r.body.consistencyToken as number));
    const reasons: Record<string, number> = {};
    for (const r of responses) {
      const report = await ledger.get(
        `/api/imports/${r.body.importId}/report?format=json&consistentWith=${token}`,
        admin,
      );
      expect(report.status).toBe(200);
      expect(report.body.rows).toHaveLength(100);
      for (const row of report.body.rows as { status: string; reasons: { rule: string }[] }[]) {
        const key =
          row.status === 'accepted' ? 'accepted' : row.reasons.map((reason) => reason.rule).join(',');
        reasons[key] = (reasons[key] ?? 0) + 1;
      }
    }
    expect(reasons).toEqual({ accepted: 150, 'enrollment.quota': 50 });

    const program = await ledger.get(`/api/programs/${programId}?consistentWith=${token}`, admin);
    expect(program.status).toBe(200);
    expect(program.body).toMatchObject({ quota: 150, seatsInUse: 150 });
  });
}

describe('SQLite e2e: concurrency over HTTP', () => concurrencySuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: concurrency over HTTP',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => concurrencySuite('postgres'),
);
