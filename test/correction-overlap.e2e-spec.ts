/**
 * One coverage per NIK when a correction widens a coverage, over HTTP, once on SQLite and once
 * on PostgreSQL: a worker deregistered from program A on 2025-11-15 and covered by program B
 * from 2025-11-16; moving A's last day to 2025-11-30 would cover the NIK twice and is refused
 * (a problem naming the rule and the field, the log head unchanged); a last day before B's
 * start is accepted.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import { startLedgerApp, type ApiResponse, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, programBody, proposal } from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

const PERIOD = { from: '2025-10-01', to: '2025-12-31' };
const A_ENDS = '2025-11-15';
const B_STARTS = '2025-11-16';

function correctionOverlapSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let worker: SyntheticPerson;
  let inA = '';

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    worker = createPeopleGenerator({ seed: 1_116, today: PERIOD.from }).next({
      villageCode: EMBAWANG,
      maxAge: 50,
    });
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const head = () => ledger.runtime.store.headPosition();
  const ok = (response: ApiResponse, status: number) => {
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
    return response;
  };

  /** A past program, an enrollment in it approved from `coverageFrom`: the enrollment id. */
  async function coveredIn(name: string, coverageFrom: string) {
    const program = ok(
      await ledger.post('/api/programs', admin, {
        ...programBody({ name, period: PERIOD, quota: 10 }),
        backfillToleranceDays: undefined,
        backfillReason: 'migration',
      }),
      201,
    );
    const proposed = ok(
      await ledger.post(`/api/programs/${program.body.programId}/enrollments`, admin, {
        ...proposal(worker),
        coverageFrom,
        backfillReason: 'migration',
      }),
      201,
    );
    const enrollmentId = proposed.body.enrollmentId as string;
    ok(
      await ledger.post(`/api/enrollments/${enrollmentId}/approval`, admin, {
        coverageFrom,
        backfillReason: 'migration',
      }),
      200,
    );
    return enrollmentId;
  }

  it('is covered by A until 2025-11-15, then by B from 2025-11-16', async () => {
    inA = await coveredIn('Perlindungan Pekerja Rentan Muara Enim A 2025', PERIOD.from);
    ok(
      await ledger.post(`/api/enrollments/${inA}/deregistration`, admin, {
        reason: 'moved_away',
        effectiveDate: A_ENDS,
        note: null,
        backfillReason: 'late_report',
      }),
      200,
    );
    await coveredIn('Perlindungan Pekerja Rentan Muara Enim B 2025', B_STARTS);
  }, 60_000);

  it("refuses A's last day moved onto B's coverage (409 nik.coverageOverlap), changing nothing", async () => {
    const before = await head();
    const response = await ledger.post(`/api/enrollments/${inA}/correction`, admin, {
      endedOn: '2025-11-30',
      reason: 'late_report',
      note: 'Tanggal pindah salah',
    });
    expect({ status: response.status, type: response.body?.type, field: response.body?.field }).toEqual({
      status: 409,
      type: problemType('nik.coverageOverlap'),
      field: 'endedOn',
    });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.text).not.toContain(worker.nik);
    expect(await head()).toBe(before);
  });

  it("accepts a last day before B's start", async () => {
    const response = ok(
      await ledger.post(`/api/enrollments/${inA}/correction`, admin, {
        endedOn: '2025-11-10',
        reason: 'correction',
        note: 'Tanggal pindah salah',
      }),
      200,
    );
    expect(response.body).toMatchObject({ status: 'deregistered' });
  });

  it('a proposal not yet approved counts over its whole program period: its approval may pick any start', async () => {
    // Another worker: covered by A until 2025-11-15, then proposed to C from 2025-12-15.
    const other = createPeopleGenerator({ seed: 2_117, today: PERIOD.from }).next({
      villageCode: EMBAWANG,
      maxAge: 50,
    });
    const programOf = async (name: string) =>
      ok(
        await ledger.post('/api/programs', admin, {
          ...programBody({ name, period: PERIOD, quota: 10 }),
          backfillToleranceDays: undefined,
          backfillReason: 'migration',
        }),
        201,
      ).body.programId as string;
    const propose = async (programId: string, coverageFrom: string) =>
      ok(
        await ledger.post(`/api/programs/${programId}/enrollments`, admin, {
          ...proposal(other),
          coverageFrom,
          backfillReason: 'migration',
        }),
        201,
      ).body.enrollmentId as string;
    const decide = (enrollmentId: string, what: string, body: Record<string, unknown>) =>
      ledger.post(`/api/enrollments/${enrollmentId}/${what}`, admin, body);
    const a = await propose(await programOf('Perlindungan A2 2025'), PERIOD.from);
    ok(await decide(a, 'approval', { coverageFrom: PERIOD.from, backfillReason: 'migration' }), 200);
    ok(
      await decide(a, 'deregistration', {
        reason: 'moved_away',
        effectiveDate: A_ENDS,
        note: null,
        backfillReason: 'late_report',
      }),
      200,
    );
    const c = await propose(await programOf('Perlindungan C 2025'), '2025-12-15');
    const widen = { endedOn: '2025-11-30', reason: 'late_report', note: 'Tanggal pindah salah' };
    const before = await head();
    const refused = await decide(a, 'correction', widen);
    expect({ status: refused.status, type: refused.body?.type }).toEqual({
      status: 409,
      type: problemType('nik.coverageOverlap'),
    });
    expect(await head()).toBe(before);
    // Once C is approved from 2025-12-15, A may end on 2025-11-30: the two do not meet.
    ok(await decide(c, 'approval', { coverageFrom: '2025-12-15', backfillReason: 'migration' }), 200);
    expect((await decide(a, 'correction', widen)).status).toBe(200);
  }, 60_000);
}

describe('SQLite e2e: a correction widening a coverage', () => correctionOverlapSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: a correction widening a coverage',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => correctionOverlapSuite('postgres'),
);
