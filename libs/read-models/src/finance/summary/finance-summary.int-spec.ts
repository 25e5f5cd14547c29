import { enrollmentsProjection } from '../../enrollments/enrollments.projection';
import { programsProjection } from '../../programs/programs.projection';
import { describeReadModel } from '../../testing/given-events';
import { approved, PROGRAM, programEstablished, proposed } from '../../testing/ledger-events';
import { financeProjection } from '../invoices/invoices.projection';
import { invoiceIdOf, issued, LINE, paid } from '../testing/dues-events';
import { financeSummary } from './finance-summary.query';

const WEST = '0197b000-0000-7000-8000-0000000000b2';

/**
 * A Muara Enim program billing three workers: January paid in full, February not at all.
 * A West Java program billing two workers in January, unpaid.
 */
const history = [
  programEstablished(),
  programEstablished({ programId: WEST, name: 'Program 3201', ownerRegion: '3201' }),
  ...[1, 2, 3].flatMap((n) => [proposed(n, { proposedOn: '2025-12-20' }), approved(n, '2026-01-01')]),
  ...issued('2026-01', [1, 2, 3]),
  paid(invoiceIdOf('2026-01'), 3 * LINE, '2026-01-10', 0, [0, 1, 2]),
  ...issued('2026-02', [1, 2, 3]),
  ...issued('2026-01', [4, 5], { programId: WEST }),
];
const projections = [programsProjection, enrollmentsProjection, financeProjection];

describeReadModel('finance summary', projections, ({ given }) => {
  it('a region’s programs for a year, month by month, the totals their sum', async () => {
    const read = await given(...history);
    const summary = await financeSummary(read, '1603', 2026, '2026-02-28');
    expect(summary).toMatchObject({ region: '1603', year: 2026, asOf: '2026-02-28' });
    expect(summary.programs.map((p) => [p.id, p.owed, p.paid, p.outstanding])).toEqual([
      [PROGRAM, 6 * LINE, 3 * LINE, 3 * LINE],
    ]);
    expect(summary.months.map((m) => [m.month, m.owed, m.paid, m.lines])).toEqual([
      ['2026-01', 3 * LINE, 3 * LINE, 3],
      ['2026-02', 3 * LINE, 0, 3],
    ]);
    expect(summary.totals).toMatchObject({ owed: 6 * LINE, paid: 3 * LINE, outstanding: 3 * LINE, lines: 6 });
  });

  it('the country sums every program; a year outside their periods has none', async () => {
    const read = await given(...history);
    const country = await financeSummary(read, 'ID', 2026, '2026-02-28');
    expect(country.programs.map((p) => p.id).sort()).toEqual([PROGRAM, WEST].sort());
    expect(country.totals.owed).toBe(8 * LINE);
    expect(country.totals.owed).toBe(country.months.reduce((sum, m) => sum + m.owed, 0));
    expect(country.totals.outstanding).toBe(5 * LINE);
    const before = await financeSummary(read, 'ID', 2025, '2026-02-28');
    expect(before.programs).toEqual([]);
    expect(before.totals.owed).toBe(0);
  });
});
