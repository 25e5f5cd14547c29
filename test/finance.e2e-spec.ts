/**
 * The finance reports over HTTP, once on SQLite and once on PostgreSQL: a program of
 * October–December 2025 recorded as a migration, five workers covered from 1 October.
 * October is paid in full, November partly, December in full; a worker dies on 15 November,
 * which makes their paid December refundable. Every figure is asked as of several days and
 * checked against what the writes said; the exports open; bad parameters are problems naming
 * their field, and tokens of another region or role are refused.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { startLedgerApp, todayWib, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, nominationCsv, nominationRow, programBody } from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const PERIOD = { from: '2025-10-01', to: '2025-12-31' };
const LINE = 16_800;
const WORKERS = 5;
const MONTH_TOTAL = WORKERS * LINE;
const migration = { backfillReason: 'migration', backfillNote: 'Data 2025' };

function financeSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let finance: string;
  let programId: string;
  const enrollmentIds: string[] = [];

  async function caughtUp() {
    const head = await ledger.runtime.store.headPosition();
    const names = (await ledger.runtime.runner.status()).map((s) => s.name);
    expect(await ledger.runtime.runner.waitFor(names, head, 60_000)).toBe(true);
  }

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-muara-enim');
    const people = createPeopleGenerator({ seed: 31, today: PERIOD.from });
    const workers = Array.from({ length: WORKERS }, () => people.next({ villageCode: EMBAWANG, maxAge: 50 }));

    const program = await ledger.post('/api/programs', admin, {
      ...programBody({ name: 'Perlindungan Pekerja Rentan Muara Enim 2025', period: PERIOD, quota: 10 }),
      budgetCeiling: 10 * LINE * 3,
      backfillToleranceDays: undefined,
      ...migration,
    });
    expect(program.status).toBe(201);
    programId = program.body.programId;
    const imported = await ledger.request(
      'POST',
      `/api/programs/${programId}/enrollments/import?coverageFrom=${PERIOD.from}&proposedOn=2025-09-20&backfillReason=migration`,
      {
        token: admin,
        payload: nominationCsv(workers.map(nominationRow)),
        headers: { 'content-type': 'text/csv' },
      },
    );
    expect(imported.body).toMatchObject({ accepted: WORKERS, rejected: 0 });
    const approved = await ledger.post(`/api/imports/${imported.body.importId}/approval`, admin, {
      coverageFrom: PERIOD.from,
      approvedOn: '2025-09-28',
      backfillReason: 'migration',
    });
    expect(approved.body).toMatchObject({ approved: WORKERS });
    const recorded = await ledger.runtime.store.readStream(`import-${imported.body.importId}`);
    for (const event of recorded.filter((e) => e.type === 'NominationRowsRecorded'))
      for (const row of (event.data as { rows: { enrollmentId: string }[] }).rows)
        enrollmentIds.push(row.enrollmentId);
    expect(enrollmentIds).toHaveLength(WORKERS);

    const pay = async (invoiceId: string, amount: number, paidOn: string, reference: string) => {
      const response = await ledger.post(`/api/invoices/${invoiceId}/payments`, admin, {
        ...migration,
        amount,
        paidOn,
        reference,
      });
      expect(response.status).toBe(201);
    };
    for (const month of ['2025-10', '2025-11', '2025-12']) {
      const issued = await ledger.post(`/api/programs/${programId}/invoices`, finance, { month });
      expect(issued.status).toBe(201);
    }
    await pay(`${programId}_2025-10`, MONTH_TOTAL, '2025-10-14', 'VA-OKT');
    await pay(`${programId}_2025-11`, 40_000, '2025-11-14', 'VA-NOV');
    await pay(`${programId}_2025-12`, MONTH_TOTAL, '2025-12-10', 'VA-DES');
    const died = await ledger.post(`/api/enrollments/${enrollmentIds[0]}/deregistration`, admin, {
      reason: 'deceased',
      effectiveDate: '2025-11-15',
      backfillReason: 'late_report',
    });
    expect(died.status).toBe(200);
    await caughtUp();
  }, 180_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const months = (asOf: string, token = finance) =>
    ledger.get(`/api/finance/programs/${programId}/months?asOf=${asOf}`, token);

  it("a program's months at the end of December: owed, paid, arrears by age, refundable, budget use", async () => {
    const response = await months('2025-12-31');
    expect(response.status).toBe(200);
    const [oct, nov, dec] = response.body.months;
    expect(response.body.months.map((m: { month: string }) => m.month)).toEqual([
      '2025-10',
      '2025-11',
      '2025-12',
    ]);
    expect(oct).toMatchObject({ status: 'paid', owed: MONTH_TOTAL, paid: MONTH_TOTAL, outstanding: 0 });
    expect(nov).toMatchObject({
      status: 'partly_paid',
      owed: MONTH_TOTAL,
      paid: 40_000,
      // Exactly the unpaid remainder; due on 17 November (the 15th was a Saturday), so in its second month.
      outstanding: MONTH_TOTAL - 40_000,
      dueDate: '2025-11-17',
      arrears: { upTo1: 0, months2: MONTH_TOTAL - 40_000, months3: 0, over3: 0 },
      paidLines: 2,
      partialLines: 1,
      unpaidLines: 2,
      refundable: 0,
    });
    // The deceased worker's December line, paid, is refundable.
    expect(dec).toMatchObject({ status: 'paid', paid: MONTH_TOTAL, refundable: LINE, billedByBpjs: null });
    expect(response.body.totals).toMatchObject({
      owed: 3 * MONTH_TOTAL,
      paid: 2 * MONTH_TOTAL + 40_000,
      outstanding: MONTH_TOTAL - 40_000,
      refundable: LINE,
      lines: 3 * WORKERS,
    });
    expect(response.body.budget).toEqual({
      ceiling: 30 * LINE,
      owedToDate: 3 * MONTH_TOTAL,
      projectedToPeriodEnd: 3 * MONTH_TOTAL,
      owedPercent: 50,
      projectedPercent: 50,
      remaining: 15 * LINE,
    });
  });

  it('as of earlier days, by the days the money was paid', async () => {
    // Each invoice was issued today for a past month: it owes from the month's first day.
    const nov30 = (await months('2025-11-30')).body;
    expect(nov30.months.map((m: { month: string }) => m.month)).toEqual(['2025-10', '2025-11']);
    expect(nov30.months[1]).toMatchObject({
      outstanding: MONTH_TOTAL - 40_000,
      arrears: { upTo1: MONTH_TOTAL - 40_000 },
    });
    const oct13 = (await months('2025-10-13')).body;
    // Before the first payment October was all outstanding, not yet late.
    expect(oct13.months[0]).toMatchObject({ paid: 0, outstanding: MONTH_TOTAL, arrears: { upTo1: 0 } });
    const dec5 = (await months('2025-12-05')).body;
    expect(dec5.months[2]).toMatchObject({ paid: 0, refundable: 0 });
  });

  it('the summary of the regency’s year is the sum of its programs and of its months', async () => {
    const response = await ledger.get(
      `/api/finance/summary?region=${MUARA_ENIM}&year=2025&asOf=2025-12-31`,
      finance,
    );
    expect(response.status).toBe(200);
    const program = (await months('2025-12-31')).body;
    expect(response.body.programs).toHaveLength(1);
    expect(response.body.programs[0]).toMatchObject({ id: programId, ...program.totals });
    expect(response.body.totals).toEqual(program.totals);
    expect(response.body.months.map((m: { owed: number }) => m.owed)).toEqual([
      MONTH_TOTAL,
      MONTH_TOTAL,
      MONTH_TOTAL,
    ]);
    const other = await ledger.get(`/api/finance/summary?region=${MUARA_ENIM}&year=2024`, finance);
    expect(other.body).toMatchObject({ programs: [], totals: { owed: 0 } });
  });

  it('the refundable months per payer, then refunded', async () => {
    const before = await ledger.get(
      `/api/finance/refundable?region=${MUARA_ENIM}&asOf=${todayWib()}`,
      finance,
    );
    expect(before.status).toBe(200);
    expect(before.body.lines).toEqual([
      expect.objectContaining({
        invoiceId: `${programId}_2025-12`,
        enrollmentId: enrollmentIds[0],
        endReason: 'deceased',
        endedOn: '2025-11-15',
        amount: LINE,
      }),
    ]);
    expect(before.body.totals).toEqual({ lines: 1, linesAmount: LINE, overpaid: 0, total: LINE });
    const byPayer = await ledger.get(
      `/api/finance/refundable?payer=${encodeURIComponent(before.body.invoices[0].payer)}`,
      finance,
    );
    expect(byPayer.body.totals.total).toBe(LINE);
    const history = async () => {
      const enrollment = await ledger.get(`/api/enrollments/${enrollmentIds[0]}`, admin);
      const found = await ledger.get(`/api/participants/${enrollment.body.participantId}/history`, admin);
      expect(found.status).toBe(200);
      return found.body.contributions;
    };
    const contributions = await history();
    expect(contributions.months.map((m: { month: string }) => m.month)).toEqual([
      '2025-10',
      '2025-11',
      '2025-12',
    ]);
    expect(contributions.months[2]).toMatchObject({ state: 'refundable', paid: LINE, amount: LINE });

    const refund = await ledger.post(`/api/invoices/${programId}_2025-12/refunds`, finance, {
      reason: 'deceased',
      reference: 'BA-02/2025',
      agreedOn: todayWib(),
    });
    expect(refund.status).toBe(201);
    await caughtUp();
    const after = await ledger.get(`/api/finance/refundable?region=${MUARA_ENIM}`, finance);
    expect(after.body.totals.total).toBe(0);
    expect((await months(todayWib())).body.months[2]).toMatchObject({ refundable: 0, refunded: LINE });
    expect((await history()).months[2]).toMatchObject({ state: 'refunded' });
  });

  it('CSV and XLSX of each report', async () => {
    for (const url of [
      `/api/finance/programs/${programId}/months?asOf=2025-12-31`,
      `/api/finance/summary?region=${MUARA_ENIM}&year=2025`,
      `/api/finance/refundable?region=${MUARA_ENIM}`,
    ]) {
      const csv = await ledger.get(`${url}&format=csv`, finance);
      expect([csv.status, String(csv.headers['content-type']).split(';')[0]]).toEqual([200, 'text/csv']);
      const xlsx = await ledger.get(`${url}&format=xlsx`, finance);
      expect([xlsx.status, xlsx.headers['content-type']]).toEqual([200, XLSX]);
    }
    const csv = (
      await ledger.get(`/api/finance/programs/${programId}/months?asOf=2025-12-31&format=csv`, finance)
    ).text;
    expect(csv).toContain('Kewajiban iuran');
    expect(csv).toContain('Jumlah');
  });

  it('bad parameters are problems naming the field; other regions and roles are refused', async () => {
    const refused = async (url: string, token: string, status: number, rule: string, field?: string) => {
      const response = await ledger.get(url, token);
      expect({ status: response.status, type: response.body?.type }).toEqual({
        status,
        type: problemType(rule),
      });
      if (field) expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
    };
    await refused(
      `/api/finance/programs/${programId}/months?asOf=2025-02-30`,
      finance,
      400,
      'request.invalid',
      'asOf',
    );
    await refused('/api/finance/summary?year=25', finance, 400, 'request.invalid', 'year');
    await refused('/api/finance/summary?region=9999', finance, 400, 'request.invalid', 'region');
    await refused(
      `/api/finance/refundable?region=${MUARA_ENIM}&asOf=kemarin`,
      finance,
      400,
      'request.invalid',
      'asOf',
    );
    await refused('/api/finance/programs/bukan-program/months', finance, 400, 'request.invalid', 'id');
    await refused(
      '/api/finance/programs/0197a000-0000-7000-8000-0000000000a1/months',
      finance,
      404,
      'program.notFound',
    );
    const sijunjung = await ledger.token('finance', ['1303'], 'keuangan-sijunjung');
    await refused(`/api/finance/programs/${programId}/months`, sijunjung, 404, 'program.notFound');
    await refused(`/api/finance/summary?region=${MUARA_ENIM}`, sijunjung, 403, 'auth.scope');
    await refused(`/api/finance/refundable?region=${MUARA_ENIM}`, sijunjung, 403, 'auth.scope');
    // Without a region the refundable months are the token's own regions': none of Muara Enim.
    expect((await ledger.get('/api/finance/refundable', sijunjung)).body.invoices).toEqual([]);
    // A token of one village inside the regency's program does not see the program's money.
    const village = await ledger.token('program_admin', [EMBAWANG], 'admin-embawang');
    await refused(`/api/finance/programs/${programId}/months`, village, 403, 'auth.scope');
    const viewer = await ledger.token('viewer', [MUARA_ENIM], 'pembaca');
    await refused(`/api/finance/summary?region=${MUARA_ENIM}`, viewer, 403, 'auth.role');
  });
}

describe('SQLite e2e: finance reports', () => financeSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: finance reports',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => financeSuite('postgres'),
);
