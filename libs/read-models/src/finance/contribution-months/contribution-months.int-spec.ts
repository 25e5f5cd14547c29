import { enrollmentsProjection } from '../../enrollments/enrollments.projection';
import { programsProjection } from '../../programs/programs.projection';
import type { ReadQuery } from '../../read-schema';
import { describeReadModel } from '../../testing/given-events';
import {
  approved,
  deregistered,
  enrollment,
  programEstablished,
  proposed,
} from '../../testing/ledger-events';
import { financeProjection } from '../invoices/invoices.projection';
import { invoiceIdOf, issued, LINE, paid } from '../testing/dues-events';
import { contributionMonths } from './contribution-months.query';

/**
 * Two workers covered from January. January paid one line and a half, February both lines;
 * worker 2 died on 31 January (recorded in February, after its payment), so March bills worker 1 alone.
 */
const history = [
  programEstablished(),
  ...[1, 2].flatMap((n) => [proposed(n, { proposedOn: '2025-12-20' }), approved(n, '2026-01-01')]),
  ...issued('2026-01', [1, 2]),
  paid(invoiceIdOf('2026-01'), LINE + 8_000, '2026-01-10', 0, [0, 1]),
  ...issued('2026-02', [1, 2]),
  paid(invoiceIdOf('2026-02'), 2 * LINE, '2026-02-10', 0, [0, 1]),
  deregistered(2, '2026-01-01', '2026-01-31', 'deceased'),
  ...issued('2026-03', [1]),
];
const projections = [programsProjection, enrollmentsProjection, financeProjection];
const months = async (read: ReadQuery, n: number, on: string) =>
  (await contributionMonths(read, [enrollment(n)], on)).map((m) => [m.month, m.state, m.paid]);

describeReadModel('contribution months of a participant', projections, ({ given }) => {
  it('each month billed, paid, partly paid or not, oldest first', async () => {
    const read = await given(...history);
    expect(await months(read, 1, '2026-03-31')).toEqual([
      ['2026-01', 'paid', LINE],
      ['2026-02', 'paid', LINE],
      ['2026-03', 'unpaid', 0],
    ]);
    // Before January's payment, and before February was issued.
    expect(await months(read, 1, '2026-01-05')).toEqual([['2026-01', 'unpaid', 0]]);
  });

  it('a month paid after the coverage ended is refundable; a month it owed keeps what was paid of it', async () => {
    const read = await given(...history);
    expect(await months(read, 2, '2026-03-31')).toEqual([
      ['2026-01', 'partial', 8_000],
      ['2026-02', 'refundable', LINE],
    ]);
    expect(await contributionMonths(read, [], '2026-03-31')).toEqual([]);
    expect(await contributionMonths(read, ['no-such-enrollment'], '2026-03-31')).toEqual([]);
  });
});
