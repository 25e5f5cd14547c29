/**
 * The quota on the days a coverage runs, over HTTP, once on SQLite and once on PostgreSQL: a
 * past program of quota 1; worker A covered from 2025-10-01 dies on 2025-11-15 (reported
 * late). A's seat is released, but only for coverages that start after 2025-11-16: worker B
 * proposed from 2025-10-01 is refused (two covered on the same days otherwise), from
 * 2025-11-16 accepted, and B's approval with an earlier start is refused. Each refusal is a
 * problem naming the rule that leaves the log head unchanged.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import { startLedgerApp, type ApiResponse, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, programBody, proposal } from './support/ledger-fixtures';

const PERIOD = { from: '2025-10-01', to: '2025-12-31' };
const DEATH = '2025-11-15';

function quotaSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let programId: string;
  const workers: SyntheticPerson[] = [];

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    const people = createPeopleGenerator({ seed: 1_115, today: PERIOD.from });
    for (let i = 0; i < 2; i++) workers.push(people.next({ villageCode: EMBAWANG, maxAge: 50 }));
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const head = () => ledger.runtime.store.headPosition();
  async function refused(send: () => Promise<ApiResponse>, status: number, rule: string) {
    const before = await head();
    const response = await send();
    expect({ status: response.status, type: response.body?.type }).toEqual({
      status,
      type: `https://ledger.example.id/problems/${rule}`,
    });
    expect(await head()).toBe(before);
    return response;
  }
  const propose = (worker: SyntheticPerson, coverageFrom: string) =>
    ledger.post(`/api/programs/${programId}/enrollments`, admin, {
      ...proposal(worker),
      coverageFrom,
      backfillReason: 'migration',
    });

  it('worker A covered from 2025-10-01 in a past program of quota 1, then dead on 2025-11-15', async () => {
    const established = await ledger.post('/api/programs', admin, {
      ...programBody({ name: 'Perlindungan Muara Enim 2025 (kuota 1)', period: PERIOD, quota: 1 }),
      backfillToleranceDays: undefined,
      backfillReason: 'migration',
    });
    expect(established.status).toBe(201);
    programId = established.body.programId;
    const a = await propose(workers[0], PERIOD.from);
    expect(a.status).toBe(201);
    const approved = await ledger.post(`/api/enrollments/${a.body.enrollmentId}/approval`, admin, {
      coverageFrom: PERIOD.from,
      backfillReason: 'migration',
    });
    expect(approved.status).toBe(200);
    const died = await ledger.post(`/api/enrollments/${a.body.enrollmentId}/deregistration`, admin, {
      reason: 'deceased',
      effectiveDate: DEATH,
      note: null,
      backfillReason: 'late_report',
    });
    expect(died.status).toBe(200);
    const program = await ledger.get(
      `/api/programs/${programId}?consistentWith=${died.body.consistencyToken}`,
      admin,
    );
    expect(program.body).toMatchObject({ quota: 1, seatsInUse: 0 });
  });

  it("B from 2025-10-01 is refused: A's coverage still ran on those days", async () => {
    const response = await refused(() => propose(workers[1], PERIOD.from), 409, 'enrollment.quota');
    expect(response.text).toContain(DEATH);
    expect(response.text).not.toContain(workers[1].nik);
  });

  it('B from 2025-11-16 takes the released seat; an approval from an earlier day is refused', async () => {
    const b = await propose(workers[1], '2025-11-16');
    expect(b.status).toBe(201);
    const url = `/api/enrollments/${b.body.enrollmentId}/approval`;
    await refused(
      () => ledger.post(url, admin, { coverageFrom: '2025-11-01', backfillReason: 'migration' }),
      409,
      'enrollment.quota',
    );
    const approved = await ledger.post(url, admin, {
      coverageFrom: '2025-11-16',
      backfillReason: 'migration',
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved' });
  });
}

describe('SQLite e2e: the quota on the days a coverage runs', () => quotaSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: the quota on the days a coverage runs',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => quotaSuite('postgres'),
);
