import { enrollmentsProjection } from '../../enrollments/enrollments.projection';
import { programsProjection } from '../../programs/programs.projection';
import type { ReadQuery } from '../../read-schema';
import { describeReadModel } from '../../testing/given-events';
import {
  approved,
  deregistered,
  enrollment,
  PROGRAM,
  programEstablished,
  proposed,
} from '../../testing/ledger-events';
import { contributionMonths } from '../contribution-months/contribution-months.query';
import { financeProjection } from '../invoices/invoices.projection';
import { refundableLines } from '../refundable/refundable.query';
import { invoicesOn } from '../invoices/invoices.query';
import {
  adjusted,
  billed,
  cancelled,
  invoiceIdOf,
  issued,
  lapsed,
  paid,
  refunded,
} from '../testing/dues-events';
import { financePrograms, programsMonths } from './program-months.query';

const JAN = invoiceIdOf('2026-01');
const FEB = invoiceIdOf('2026-02');
const MAR = invoiceIdOf('2026-03');
const ALL = [0, 1, 2, 3];

/**
 * Four workers covered from January; worker 3 dies on 10 February (recorded late, so March
 * still bills them). January paid in full, February partly (two lines and part of the
 * third), March over-paid by one line. Worker 4's coverage lapses on 15 April.
 */
const history = [
  programEstablished({ budgetCeiling: 1_000_000 }),
  ...[1, 2, 3, 4].flatMap((n) => [proposed(n, { proposedOn: '2025-12-20' }), approved(n, '2026-01-01')]),
  ...issued('2026-01', [1, 2, 3, 4]),
  paid(JAN, 67_200, '2026-01-10', 0, ALL),
  ...issued('2026-02', [1, 2, 3, 4], { dueDate: '2026-02-16' }),
  paid(FEB, 40_000, '2026-02-12', 0, ALL),
  ...issued('2026-03', [1, 2, 3, 4], { dueDate: '2026-03-16' }),
  paid(MAR, 84_000, '2026-03-20', 0, ALL),
  deregistered(3, '2026-01-01', '2026-02-10', 'deceased'),
  lapsed(4, '2026-04-15', '2026-01-01'),
];

const projections = [programsProjection, enrollmentsProjection, financeProjection];

async function monthsOn(read: ReadQuery, on: string) {
  const [found] = await programsMonths(read, await financePrograms(read, [PROGRAM]), on);
  return found;
}

describeReadModel('finance: a program’s months', projections, ({ given }) => {
  it('as of the end of March: owed, paid, outstanding, arrears by age, refundable and budget use', async () => {
    const read = await given(...history);
    const found = await monthsOn(read, '2026-03-31');
    expect(found.months.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    const [jan, feb, mar] = found.months;
    expect(jan).toMatchObject({
      invoiceId: JAN,
      status: 'paid',
      owed: 67_200,
      paid: 67_200,
      outstanding: 0,
      refundable: 0,
    });
    expect(feb).toMatchObject({
      invoiceId: FEB,
      status: 'partly_paid',
      owed: 67_200,
      paid: 40_000,
      outstanding: 27_200,
      // Due on 16 February: at the end of March, in its second month of arrears.
      arrears: { upTo1: 0, months2: 27_200, months3: 0, over3: 0 },
      lines: 4,
      paidLines: 2,
      partialLines: 1,
      unpaidLines: 1,
      // The partly paid line is worker 3's, whose February was still owed (died on the 10th).
      refundable: 0,
      billedByBpjs: null,
    });
    expect(mar).toMatchObject({
      status: 'paid',
      owed: 67_200,
      paid: 84_000,
      overpaid: 16_800,
      outstanding: 0,
      // Worker 3's March (not owed after the death) and the over-payment.
      refundable: 33_600,
    });
    expect(found.totals).toMatchObject({
      owed: 201_600,
      paid: 191_200,
      outstanding: 27_200,
      overpaid: 16_800,
      refundable: 33_600,
      lines: 12,
      paidLines: 10,
      partialLines: 1,
      unpaidLines: 1,
    });
    expect(found.budget).toEqual({
      ceiling: 1_000_000,
      owedToDate: 201_600,
      // March's roster for April … December.
      projectedToPeriodEnd: 201_600 + 9 * 67_200,
      owedPercent: 20.16,
      projectedPercent: 80.64,
      remaining: 1_000_000 - 806_400,
    });
  });

  it('every figure as of an earlier day, by effective dates', async () => {
    const read = await given(...history);
    const feb20 = await monthsOn(read, '2026-02-20');
    expect(feb20.months.map((m) => [m.month, m.paid, m.outstanding, m.arrears.upTo1])).toEqual([
      ['2026-01', 67_200, 0, 0],
      ['2026-02', 40_000, 27_200, 27_200],
    ]);
    const feb11 = await monthsOn(read, '2026-02-11');
    // Before the February payment and its due date: owed, not late.
    expect(feb11.months[1]).toMatchObject({
      paid: 0,
      outstanding: 67_200,
      arrears: { upTo1: 0 },
      unpaidLines: 4,
    });
    const mar10 = await monthsOn(read, '2026-03-10');
    expect(mar10.months[2]).toMatchObject({ status: 'open', paid: 0, outstanding: 67_200, refundable: 0 });
    expect(mar10.months[1].arrears).toEqual({ upTo1: 27_200, months2: 0, months3: 0, over3: 0 });
    const apr30 = await monthsOn(read, '2026-04-30');
    expect(apr30.months[3]).toMatchObject({
      month: '2026-04',
      status: 'notIssued',
      owed: 0,
      lapsedWorkers: 1,
    });
    expect((await monthsOn(read, '2026-04-14')).months[3].lapsedWorkers).toBe(0);
    // January's invoice, issued on the 2nd, owes from the month's first day; before it nothing.
    expect((await monthsOn(read, '2026-01-01')).totals).toMatchObject({ owed: 67_200, paid: 0, lines: 4 });
    expect((await monthsOn(read, '2025-12-31')).totals).toMatchObject({ owed: 0, paid: 0, lines: 0 });
  });

  it("a participant's contribution months: paid, partial, unpaid, refundable", async () => {
    const read = await given(...history);
    const states = async (n: number, on: string) =>
      (await contributionMonths(read, [enrollment(n)], on)).map((m) => [m.month, m.state, m.paid]);
    expect(await states(3, '2026-03-31')).toEqual([
      ['2026-01', 'paid', 16_800],
      ['2026-02', 'partial', 6_400],
      ['2026-03', 'refundable', 16_800],
    ]);
    expect(await states(3, '2026-03-10')).toEqual([
      ['2026-01', 'paid', 16_800],
      ['2026-02', 'partial', 6_400],
      ['2026-03', 'unpaid', 0],
    ]);
    expect(await states(4, '2026-03-31')).toEqual([
      ['2026-01', 'paid', 16_800],
      ['2026-02', 'unpaid', 0],
      ['2026-03', 'paid', 16_800],
    ]);
    expect(await states(1, '2026-01-05')).toEqual([['2026-01', 'unpaid', 0]]);
  });

  it('the refundable lines name the invoice, the line, the enrollment and why its coverage ended', async () => {
    const read = await given(...history);
    const invoices = await invoicesOn(read, { programIds: [PROGRAM] }, '2026-03-31');
    const lines = await refundableLines(read, invoices, new Map([[PROGRAM, '2026-12-31']]), '2026-03-31');
    expect(lines).toEqual([
      {
        invoiceId: MAR,
        programId: PROGRAM,
        month: '2026-03',
        payer: 'regency',
        line: 2,
        enrollmentId: enrollment(3),
        endReason: 'deceased',
        endedOn: '2026-02-10',
        amount: 16_800,
      },
    ]);
  });

  it('an adjustment cancels a line and allocates the money again; a refund takes the over-payment', async () => {
    const read = await given(
      ...history,
      adjusted(MAR, '2026-03-25', { cancelled: [2], activeAfter: [0, 1, 3], paid: 84_000 }),
      refunded(MAR, '2026-04-05', [], 33_600, 'overpaid'),
    );
    const mar = async (on: string) => (await monthsOn(read, on)).months[2];
    // Before the adjustment took effect, as the first answer.
    expect(await mar('2026-03-22')).toMatchObject({
      owed: 67_200,
      lines: 4,
      overpaid: 16_800,
      refundable: 33_600,
    });
    expect(await mar('2026-03-31')).toMatchObject({
      owed: 50_400,
      lines: 3,
      paidLines: 3,
      overpaid: 33_600,
      refundable: 33_600,
      refunded: 0,
    });
    expect(await mar('2026-04-10')).toMatchObject({ overpaid: 33_600, refundable: 0, refunded: 33_600 });
    // The cancelled line is no month of the worker any more.
    expect((await contributionMonths(read, [enrollment(3)], '2026-03-31')).map((m) => m.month)).toEqual([
      '2026-01',
      '2026-02',
    ]);
  });

  it('billed by BPJS: the latest bill received by the day, null before any', async () => {
    const read = await given(
      ...history,
      billed(FEB, '2026-02-10', 50_400, 1),
      billed(FEB, '2026-02-20', 67_200, 2),
    );
    const feb = async (on: string) => (await monthsOn(read, on)).months[1].billedByBpjs;
    expect(await feb('2026-02-05')).toBeNull();
    expect(await feb('2026-02-15')).toBe(50_400);
    expect(await feb('2026-02-25')).toBe(67_200);
    const found = await monthsOn(read, '2026-03-31');
    expect(found.months.map((m) => m.billedByBpjs)).toEqual([null, 67_200, null]);
    expect(found.totals.billedByBpjs).toBe(67_200);
  });

  it('a coverage that had ended before its roster was frozen is refundable the same', async () => {
    const death = history.find((e) => e.type === 'EnrollmentDeregistered')!;
    const rest = history.filter((e) => e !== death);
    // Recorded right after the approvals, before any invoice.
    const read = await given(...rest.slice(0, 9), death, ...rest.slice(9));
    expect((await monthsOn(read, '2026-03-31')).months.map((m) => m.refundable)).toEqual([0, 0, 33_600]);
  });

  it('a lapse ends the coverage like a deregistration: a month paid after it is refundable', async () => {
    const read = await given(
      ...history.filter((e) => e.type !== 'CoverageLapsed'),
      lapsed(4, '2026-02-27', '2026-01-01'),
    );
    const found = await monthsOn(read, '2026-03-31');
    expect(found.months[1].lapsedWorkers).toBe(1);
    expect(found.months[2].refundable).toBe(3 * 16_800);
    const invoices = await invoicesOn(read, { programIds: [PROGRAM] }, '2026-03-31');
    const lines = await refundableLines(read, invoices, new Map([[PROGRAM, '2026-12-31']]), '2026-03-31');
    expect(lines.map((l) => [l.enrollmentId, l.endReason])).toEqual([
      [enrollment(3), 'deceased'],
      [enrollment(4), 'lapsed'],
    ]);
  });

  it('a refunded line is refunded, not refundable', async () => {
    const read = await given(...history, refunded(MAR, '2026-04-05', [2], 0));
    expect((await monthsOn(read, '2026-04-10')).months[2]).toMatchObject({
      refundable: 16_800,
      refunded: 16_800,
    });
    expect((await contributionMonths(read, [enrollment(3)], '2026-04-10'))[2]).toMatchObject({
      state: 'refunded',
    });
    expect((await contributionMonths(read, [enrollment(3)], '2026-04-01'))[2]).toMatchObject({
      state: 'refundable',
    });
  });

  it('an invoice cancelled and issued again: the month shows the new one, money on the old one is over-paid', async () => {
    const read = await given(
      programEstablished(),
      ...[1, 2, 3].flatMap((n) => [proposed(n, { proposedOn: '2025-12-20' }), approved(n, '2026-01-01')]),
      ...issued('2026-01', [1, 2, 3], { issuedOn: '2026-01-02' }),
      paid(JAN, 16_800, '2026-01-03', 0, [0, 1, 2]),
      cancelled(JAN, '2026-01-04'),
      ...issued('2026-01', [1, 2, 3], { issuedOn: '2026-01-05', n: 2 }),
      paid(invoiceIdOf('2026-01', PROGRAM, 2), 50_400, '2026-01-10', 0, [0, 1, 2]),
    );
    const jan = async (on: string) => (await monthsOn(read, on)).months[0];
    // Issued again on the 5th: the new invoice owes from that day, not from the month's first.
    expect(await jan('2026-01-04')).toMatchObject({ owed: 0 });
    expect(await jan('2026-01-03')).toMatchObject({ invoiceId: JAN, owed: 50_400, paid: 16_800 });
    expect(await jan('2026-01-04')).toMatchObject({
      invoiceId: JAN,
      status: 'cancelled',
      owed: 0,
      overpaid: 16_800,
    });
    expect(await jan('2026-01-31')).toMatchObject({
      invoiceId: invoiceIdOf('2026-01', PROGRAM, 2),
      status: 'paid',
      owed: 50_400,
      paid: 67_200,
      overpaid: 16_800,
      refundable: 16_800,
      lines: 3,
    });
    expect(
      (await contributionMonths(read, [enrollment(1)], '2026-01-31')).map((m) => [m.invoiceId, m.state]),
    ).toEqual([[invoiceIdOf('2026-01', PROGRAM, 2), 'paid']]);
  });
});
