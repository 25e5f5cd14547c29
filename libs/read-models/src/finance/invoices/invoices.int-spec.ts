import { describeReadModel } from '../../testing/given-events';
import { deregistered, enrollment, PROGRAM } from '../../testing/ledger-events';
import { adjusted, billed, cancelled, invoiceIdOf, issued, LINE, paid } from '../testing/dues-events';
import { financeProjection } from './invoices.projection';
import { invoicesOn } from './invoices.query';

const JAN = invoiceIdOf('2026-01');
const FEB = invoiceIdOf('2026-02');

/**
 * Three workers billed for January, paid two lines and a part of the third on the 10th; the
 * third worker's line cancelled on the 20th (the payment is allocated again over two lines),
 * BPJS's bill received twice (the second replaces the first). February issued and cancelled.
 */
const history = [
  ...issued('2026-01', [1, 2, 3]),
  paid(JAN, 40_000, '2026-01-10', 0, [0, 1, 2]),
  adjusted(JAN, '2026-01-20', { cancelled: [2], activeAfter: [0, 1], paid: 40_000 }),
  billed(JAN, '2026-01-22', 3 * LINE, 1),
  billed(JAN, '2026-01-25', 2 * LINE, 2),
  ...issued('2026-02', [1, 2]),
  cancelled(FEB, '2026-02-05'),
];

describeReadModel('finance invoices read model', [financeProjection], ({ given }) => {
  it('an invoice row holds its current totals, allocation and latest bill; its lines say which was cancelled', async () => {
    const read = await given(...history);
    const row = await read
      .selectFrom('finance_invoices')
      .selectAll()
      .where('invoice_id', '=', JAN)
      .executeTakeFirstOrThrow();
    expect({ ...row, paid: Number(row.paid) }).toMatchObject({
      program_id: PROGRAM,
      month: '2026-01',
      effective_on: '2026-01-01',
      cancelled_on: null,
      line_count: 3,
      active_lines: 2,
      total: 2 * LINE,
      paid: 40_000,
      fully_paid_lines: 2,
      overpaid: 40_000 - 2 * LINE,
      billed_amount: 2 * LINE,
      billed_version: 2,
      settled_on: '2026-01-20',
    });
    const lines = await read
      .selectFrom('finance_invoice_lines')
      .select(['line', 'enrollment_id', 'cancelled_on'])
      .where('invoice_id', '=', JAN)
      .orderBy('line')
      .execute();
    expect(lines.map((l) => [Number(l.line), l.enrollment_id, l.cancelled_on])).toEqual([
      [0, enrollment(1), null],
      [1, enrollment(2), null],
      [2, enrollment(3), '2026-01-20'],
    ]);
  });

  it('answers an invoice as of any day from its day-deltas: before the adjustment, after it, and after a cancellation', async () => {
    const read = await given(...history);
    const [before] = await invoicesOn(read, { invoiceIds: [JAN] }, '2026-01-15');
    expect(before).toMatchObject({
      lines: 3,
      total: 3 * LINE,
      paid: 40_000,
      outstanding: 3 * LINE - 40_000,
      billedByBpjs: null,
    });
    const [after] = await invoicesOn(read, { invoiceIds: [JAN] }, '2026-01-31');
    expect(after).toMatchObject({
      lines: 2,
      total: 2 * LINE,
      paid: 40_000,
      outstanding: 0,
      overpaid: 40_000 - 2 * LINE,
      billedByBpjs: 2 * LINE,
    });
    const [feb] = await invoicesOn(read, { invoiceIds: [FEB] }, '2026-02-10');
    expect(feb).toMatchObject({ total: 0, lines: 0 });
    expect(await invoicesOn(read, { invoiceIds: [JAN] }, '2025-12-31')).toEqual([]);
  });

  it('a line of a coverage ended before its month is a refund candidate from the freeze on', async () => {
    const read = await given(
      deregistered(2, '2026-01-01', '2026-01-31', 'deceased'),
      ...issued('2026-02', [1, 2]),
    );
    const candidates = await read.selectFrom('finance_refund_candidates').selectAll().execute();
    expect(candidates.map((c) => [c.invoice_id, Number(c.line), c.enrollment_id])).toEqual([
      [FEB, 1, enrollment(2)],
    ]);
  });
});
