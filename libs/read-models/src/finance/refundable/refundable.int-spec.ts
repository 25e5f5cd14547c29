import { enrollmentsProjection } from '../../enrollments/enrollments.projection';
import { programsProjection } from '../../programs/programs.projection';
import { describeReadModel } from '../../testing/given-events';
import {
  approved,
  deregistered,
  enrollment,
  programEstablished,
  proposed,
} from '../../testing/ledger-events';
import { financeProjection } from '../invoices/invoices.projection';
import { invoiceIdOf, issued, LINE, paid, refunded } from '../testing/dues-events';
import { refundableReport } from './refundable-report.query';

const FEB = invoiceIdOf('2026-02');
const MAR = invoiceIdOf('2026-03');

/**
 * Three workers covered from January; worker 3 died on 31 January, recorded late: February
 * and March still billed and paid its line. March was also over-paid by 5,000.
 */
const history = [
  programEstablished(),
  ...[1, 2, 3].flatMap((n) => [proposed(n, { proposedOn: '2025-12-20' }), approved(n, '2026-01-01')]),
  ...issued('2026-01', [1, 2, 3]),
  paid(invoiceIdOf('2026-01'), 3 * LINE, '2026-01-10', 0, [0, 1, 2]),
  ...issued('2026-02', [1, 2, 3]),
  paid(FEB, 3 * LINE, '2026-02-10', 0, [0, 1, 2]),
  ...issued('2026-03', [1, 2, 3]),
  paid(MAR, 3 * LINE + 5_000, '2026-03-10', 0, [0, 1, 2]),
  deregistered(3, '2026-01-01', '2026-01-31', 'deceased'),
];
const projections = [programsProjection, enrollmentsProjection, financeProjection];
const all = { regions: [''], region: null, payer: null };

describeReadModel('refundable months', projections, ({ given }) => {
  it('paid lines of an ended coverage and over-payments, per invoice and payer, the totals their sum', async () => {
    const read = await given(...history);
    const report = await refundableReport(read, all, '2026-03-31');
    expect(report.invoices.map((i) => [i.invoiceId, i.lines, i.linesAmount, i.overpaid, i.total])).toEqual([
      [FEB, 1, LINE, 0, LINE],
      [MAR, 1, LINE, 5_000, LINE + 5_000],
    ]);
    expect(report.lines.map((l) => [l.invoiceId, l.enrollmentId, l.amount])).toEqual([
      [FEB, enrollment(3), LINE],
      [MAR, enrollment(3), LINE],
    ]);
    expect(report.payers).toEqual([{ payer: 'regency', lines: 2, total: 2 * LINE + 5_000 }]);
    expect(report.totals).toEqual({
      lines: 2,
      linesAmount: 2 * LINE,
      overpaid: 5_000,
      total: 2 * LINE + 5_000,
    });
  });

  it('a refund agreed takes its lines and over-payment off; another payer or region has none', async () => {
    const read = await given(
      ...history,
      refunded(FEB, '2026-04-02', [2], 0),
      refunded(MAR, '2026-04-02', [2], 5_000),
    );
    expect((await refundableReport(read, all, '2026-04-30')).invoices).toEqual([]);
    expect((await refundableReport(read, all, '2026-04-01')).totals.total).toBe(2 * LINE + 5_000);
    expect((await refundableReport(read, { ...all, payer: 'province' }, '2026-03-31')).invoices).toEqual([]);
    expect((await refundableReport(read, { ...all, regions: ['3201'] }, '2026-03-31')).invoices).toEqual([]);
  });
});
