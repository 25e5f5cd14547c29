/**
 * The finance reports as the ledger knew them (`knownAt`), once on SQLite and once on
 * PostgreSQL: a program of October–December 2025 recorded as a migration, four workers from
 * 1 October. The money arrives in steps — three invoices, October paid in full and November
 * partly, December paid, a death on 15 November reported late, the dead worker's December
 * refunded — and after each step the position is kept. Asked with each position, the months,
 * the summary and the refundable months give what the ledger held then (figures computed here
 * from the writes); with the head they give exactly the report without `knownAt`.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import { startLedgerApp, todayWib, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, nominationCsv, nominationRow, programBody } from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

const PERIOD = { from: '2025-10-01', to: '2025-12-31' };
const LINE = 16_800;
const WORKERS = 4;
const MONTH_TOTAL = WORKERS * LINE;
const NOVEMBER_PAID = 2 * LINE + 5_000;
const migration = { backfillReason: 'migration', backfillNote: 'Data 2025' };
const REFUND_DAY = '2026-01-12';
const DAYS = ['2025-10-13', '2025-10-31', '2025-11-16', '2025-11-30', '2025-12-31', REFUND_DAY, todayWib()];

function financeKnownAtSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let finance: string;
  let programId: string;
  let deadWorker: string;
  /** Positions after each step: before the program, invoices issued, Oct+Nov paid, Dec paid, death, refund. */
  const at: Record<'none' | 'issued' | 'paid' | 'december' | 'death' | 'refund', number> = {
    none: 0,
    issued: 0,
    paid: 0,
    december: 0,
    death: 0,
    refund: 0,
  };

  const head = () => ledger.runtime.store.headPosition();

  async function caughtUp() {
    const position = await head();
    const names = (await ledger.runtime.runner.status()).map((s) => s.name);
    expect(await ledger.runtime.runner.waitFor(names, position, 60_000)).toBe(true);
  }

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-muara-enim');
    const people = createPeopleGenerator({ seed: 47, today: PERIOD.from });
    const workers = Array.from({ length: WORKERS }, () => people.next({ villageCode: EMBAWANG, maxAge: 50 }));
    at.none = await head();

    const program = await ledger.post('/api/programs', admin, {
      ...programBody({ name: 'Perlindungan Pekerja Rentan Muara Enim 2025', period: PERIOD, quota: 10 }),
      budgetCeiling: 10 * LINE * 3,
      // The default tolerance (7 days): the year-old money is a backfill.
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
    const rows = (await ledger.runtime.store.readStream(`import-${imported.body.importId}`))
      .filter((e) => e.type === 'NominationRowsRecorded')
      .flatMap((e) => (e.data as { rows: { enrollmentId: string }[] }).rows);
    deadWorker = rows[0].enrollmentId;

    // Finance records last year's money itself, as a late report.
    const pay = async (month: string, amount: number, paidOn: string, reference: string) => {
      const response = await ledger.post(`/api/invoices/${programId}_${month}/payments`, finance, {
        backfillReason: 'late_report',
        amount,
        paidOn,
        reference,
      });
      expect(response.status).toBe(201);
      const invoice = await ledger.get(`/api/invoices/${programId}_${month}`, finance);
      expect(invoice.body.payments.at(-1).backfill).toEqual({ reason: 'late_report', note: null });
      return response.body.consistencyToken as number;
    };
    for (const month of ['2025-10', '2025-11', '2025-12'])
      expect((await ledger.post(`/api/programs/${programId}/invoices`, finance, { month })).status).toBe(201);
    at.issued = await head();
    await pay('2025-10', MONTH_TOTAL, '2025-10-14', 'VA-OKT-K');
    at.paid = await pay('2025-11', NOVEMBER_PAID, '2025-11-14', 'VA-NOV-K');
    at.december = await pay('2025-12', MONTH_TOTAL, '2025-12-10', 'VA-DES-K');
    const died = await ledger.post(`/api/enrollments/${deadWorker}/deregistration`, admin, {
      reason: 'deceased',
      effectiveDate: '2025-11-15',
      backfillReason: 'late_report',
    });
    expect(died.status).toBe(200);
    at.death = died.body.consistencyToken;
    // The refund was agreed with BPJS in January: recorded late, it needs its reason.
    const refundBody = { reason: 'deceased', reference: 'BA-03/2025', agreedOn: REFUND_DAY };
    const unexplained = await ledger.post(`/api/invoices/${programId}_2025-12/refunds`, finance, refundBody);
    expect([unexplained.status, unexplained.body.type]).toEqual([
      422,
      problemType('backfill.reasonRequired'),
    ]);
    const refund = await ledger.post(`/api/invoices/${programId}_2025-12/refunds`, finance, {
      ...refundBody,
      backfillReason: 'late_report',
    });
    expect(refund.status).toBe(201);
    at.refund = refund.body.consistencyToken;
    expect(at.refund).toBe(await head());
    await caughtUp();
  }, 180_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const months = (asOf: string, knownAt?: number | string) =>
    ledger.get(
      `/api/finance/programs/${programId}/months?asOf=${asOf}` +
        (knownAt === undefined ? '' : `&knownAt=${encodeURIComponent(String(knownAt))}`),
      finance,
    );
  const summary = (asOf: string, knownAt?: number) =>
    ledger.get(
      `/api/finance/summary?region=${MUARA_ENIM}&year=2025&asOf=${asOf}` +
        (knownAt === undefined ? '' : `&knownAt=${knownAt}`),
      finance,
    );
  const refundable = (asOf: string, knownAt?: number) =>
    ledger.get(
      `/api/finance/refundable?region=${MUARA_ENIM}&asOf=${asOf}` +
        (knownAt === undefined ? '' : `&knownAt=${knownAt}`),
      finance,
    );

  /**
   * The figures of one month as of a day, known at a step, computed from the writes: what was
   * paid by that day (payments known by then), the refundable dead worker's December line
   * (paid, the death known, the refund not yet), the refund once known and agreed by the day.
   */
  function expected(month: string, day: string, known: keyof typeof at) {
    const step = at[known];
    const owed = day >= `${month}-01` && step >= at.issued ? MONTH_TOTAL : 0;
    const payments: Record<string, [number, string, number]> = {
      '2025-10': [MONTH_TOTAL, '2025-10-14', at.paid],
      '2025-11': [NOVEMBER_PAID, '2025-11-14', at.paid],
      '2025-12': [MONTH_TOTAL, '2025-12-10', at.december],
    };
    const [amount, paidOn, recordedAt] = payments[month];
    const paid = owed > 0 && day >= paidOn && step >= recordedAt ? amount : 0;
    const deathKnown = step >= at.death && day > '2025-11-15';
    const refundKnown = step >= at.refund && day >= REFUND_DAY;
    const decLinePaid = month === '2025-12' && paid === MONTH_TOTAL;
    return {
      owed,
      paid,
      outstanding: owed - paid,
      refundable: decLinePaid && deathKnown && !refundKnown ? LINE : 0,
      refunded: decLinePaid && refundKnown ? LINE : 0,
    };
  }

  it('with the head position, every report is the one without knownAt, and echoes the position', async () => {
    for (const day of DAYS) {
      const [live, known] = [await months(day), await months(day, at.refund)];
      expect(known.status).toBe(200);
      expect(known.body.knownAt).toBe(at.refund);
      const { knownAt: _k, ...rest } = known.body;
      expect(rest).toEqual(live.body);
      const [liveSummary, knownSummary] = [await summary(day), await summary(day, at.refund)];
      const { knownAt: _s, ...summaryRest } = knownSummary.body;
      expect(summaryRest).toEqual(liveSummary.body);
      const [liveRefundable, knownRefundable] = [await refundable(day), await refundable(day, at.refund)];
      const { knownAt: _r, ...refundableRest } = knownRefundable.body;
      expect(refundableRest).toEqual(liveRefundable.body);
    }
  });

  it('on every day, known at every step: the money the ledger held then, and the sums of its lines', async () => {
    for (const known of ['issued', 'paid', 'december', 'death', 'refund'] as const) {
      for (const day of DAYS) {
        const response = await months(day, at[known]);
        expect(response.status).toBe(200);
        expect(response.body.knownAt).toBe(at[known]);
        for (const row of response.body.months) {
          const figures = { owed: row.owed, paid: row.paid, outstanding: row.outstanding };
          const want = expected(row.month, day, known);
          expect({
            known,
            day,
            month: row.month,
            ...figures,
            refundable: row.refundable,
            refunded: row.refunded,
          }).toEqual({
            known,
            day,
            month: row.month,
            ...want,
          });
        }
        const sum = (name: string) =>
          response.body.months.reduce((s: number, m: Record<string, number>) => s + m[name], 0);
        expect(response.body.totals).toMatchObject({
          owed: sum('owed'),
          paid: sum('paid'),
          refundable: sum('refundable'),
          refunded: sum('refunded'),
        });
        const inSummary = await summary(day, at[known]);
        expect(inSummary.body.knownAt).toBe(at[known]);
        expect(inSummary.body.totals).toEqual(response.body.totals);
      }
    }
  });

  it('known before November was paid in full, its partly paid lines; known before the death, nothing to refund', async () => {
    const before = (await months('2025-12-31', at.issued)).body;
    expect(before.months.map((m: { status: string }) => m.status)).toEqual(['open', 'open', 'open']);
    expect(before.months[1]).toMatchObject({ paidLines: 0, unpaidLines: WORKERS });
    const paid = (await months('2025-12-31', at.paid)).body;
    expect(paid.months[1]).toMatchObject({
      status: 'partly_paid',
      paidLines: 2,
      partialLines: 1,
      unpaidLines: 1,
    });
    expect(paid.months[2]).toMatchObject({ status: 'open', paid: 0, arrears: { upTo1: MONTH_TOTAL } });
    // December paid, the death not yet reported: the report printed then showed nothing refundable.
    expect((await refundable('2025-12-31', at.december)).body.totals).toEqual({
      lines: 0,
      linesAmount: 0,
      overpaid: 0,
      total: 0,
    });
    const afterDeath = (await refundable(todayWib(), at.death)).body;
    expect(afterDeath.lines).toEqual([
      expect.objectContaining({
        invoiceId: `${programId}_2025-12`,
        enrollmentId: deadWorker,
        endReason: 'deceased',
        endedOn: '2025-11-15',
        amount: LINE,
      }),
    ]);
    // Refunded since: the live report has nothing left to refund.
    expect((await refundable(todayWib())).body.totals.total).toBe(0);
  });

  it("the dead worker's history: each month's contribution as the ledger knew it at each step", async () => {
    const enrollment = await ledger.get(`/api/enrollments/${deadWorker}`, admin);
    const states = async (knownAt?: number) => {
      const known = knownAt === undefined ? '' : `&knownAt=${knownAt}`;
      const found = await ledger.get(
        `/api/participants/${enrollment.body.participantId}/history?asOf=${todayWib()}${known}`,
        admin,
      );
      expect(found.status).toBe(200);
      expect(found.body.knownAt).toBe(knownAt);
      return found.body.contributions.months.map((m: { month: string; state: string; paid: number }) => [
        m.month,
        m.state,
        m.paid,
      ]);
    };
    expect(await states(at.issued)).toEqual([
      ['2025-10', 'unpaid', 0],
      ['2025-11', 'unpaid', 0],
      ['2025-12', 'unpaid', 0],
    ]);
    // November's first two lines were paid in full, the third partly (lines in enrollment order).
    const november = (await states(at.paid))[1];
    const line = (
      await ledger.get(`/api/participants/${enrollment.body.participantId}/history?knownAt=${at.paid}`, admin)
    ).body.contributions.months[1].line as number;
    const novemberPaid = line < 2 ? LINE : line === 2 ? NOVEMBER_PAID - 2 * LINE : 0;
    const novemberState = line < 2 ? 'paid' : line === 2 ? 'partial' : 'unpaid';
    expect(november).toEqual(['2025-11', novemberState, novemberPaid]);
    expect((await states(at.paid))[0]).toEqual(['2025-10', 'paid', LINE]);
    expect((await states(at.paid))[2]).toEqual(['2025-12', 'unpaid', 0]);
    expect((await states(at.december))[2]).toEqual(['2025-12', 'paid', LINE]);
    expect((await states(at.death))[2]).toEqual(['2025-12', 'refundable', LINE]);
    expect((await states(at.refund))[2]).toEqual(['2025-12', 'refunded', LINE]);
    expect(await states()).toEqual(await states(at.refund));
  });

  it('a program established later is not known; knownAt as an instant; exports name the position', async () => {
    const early = await months('2025-12-31', at.none);
    expect([early.status, early.body.type]).toEqual([404, problemType('program.notFound')]);
    expect((await summary('2025-12-31', at.none)).body).toMatchObject({ knownAt: at.none, programs: [] });
    const now = new Date().toISOString();
    const byInstant = await months('2025-12-31', now);
    expect(byInstant.body.knownAt).toBe(at.refund);
    const csv = await ledger.get(
      `/api/finance/programs/${programId}/months?asOf=2025-12-31&knownAt=${at.paid}&format=csv`,
      finance,
    );
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-disposition'])).toContain(`posisi-${at.paid}`);
  });

  it('a malformed knownAt, or one beyond the log, is a 400 naming knownAt and changes nothing', async () => {
    const before = await head();
    for (const url of [
      `/api/finance/programs/${programId}/months?knownAt=kemarin`,
      `/api/finance/summary?region=${MUARA_ENIM}&knownAt=${before + 1000}`,
      `/api/finance/refundable?region=${MUARA_ENIM}&knownAt=2025-13-01`,
    ]) {
      const response = await ledger.get(url, finance);
      expect({ status: response.status, type: response.body.type }).toEqual({
        status: 400,
        type: problemType('request.invalid'),
      });
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'knownAt' })]);
    }
    expect(await head()).toBe(before);
  });
}

describe('SQLite e2e: finance reports as the ledger knew them', () => financeKnownAtSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: finance reports as the ledger knew them',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => financeKnownAtSuite('postgres'),
);
