import { describeReadModel, type GivenEvent } from '../testing/given-events';
import {
  reconBudgetLinesProjection,
  reconInvoicesProjection,
  reconSp2dProjection,
} from './reconciliation.projection';
import { reconciliation } from './reconciliation.query';

const P = 'p1';
const invoice = (month: string, totalAmount: number, payer = 'pemkab'): GivenEvent => ({
  stream: `invoice-${P}_${month}`,
  type: 'InvoiceIssued',
  data: { invoiceId: `${P}_${month}`, programId: P, payer, ownerRegion: '1603', month, totalAmount },
});
const bill = (month: string, version: number, amount: number): GivenEvent => ({
  stream: `invoice-${P}_${month}`,
  type: 'BpjsBillRecorded',
  data: { invoiceId: `${P}_${month}`, billId: `b-${month}`, version, billed: { amount } },
});
const sp2d = (number: string, date: string, amount: number): GivenEvent => ({
  stream: `sp2d-${number}`,
  type: 'Sp2dRecorded',
  data: { programId: P, fiscalYear: 2026, number, date, amount, accountCode: '5.1.02' },
});
const link = (number: string, invoiceIds: string[]): GivenEvent => ({
  stream: `sp2d-${number}`,
  type: 'Sp2dInvoicesLinked',
  data: { programId: P, fiscalYear: 2026, sp2dNumber: number, invoiceIds },
});
const budgetLine = (amount: number): GivenEvent => ({
  stream: `budget-${P}`,
  type: 'BudgetLineSet',
  data: { programId: P, fiscalYear: 2026, accountCode: '5.1.02', amount },
});
const linesOf = (
  lines: { code: string; invoiceId: string | null; sp2dNumbers: string[]; amount: number }[],
) => lines.map((l) => [l.code, l.invoiceId, l.sp2dNumbers, l.amount]);

describeReadModel(
  'reconciliation read model',
  [reconInvoicesProjection, reconSp2dProjection, reconBudgetLinesProjection],
  ({ given }) => {
    it('roster, latest BPJS bill and SP2D per month, with each difference coded', async () => {
      const read = await given(
        budgetLine(120_000),
        invoice('2026-01', 100_000),
        bill('2026-01', 1, 90_000),
        bill('2026-01', 2, 100_000),
        sp2d('A', '2026-01-20', 100_000),
        link('A', [`${P}_2026-01`]),
        invoice('2026-02', 50_000),
        sp2d('B', '2026-02-05', 30_000),
        sp2d('C', '2026-02-06', 70_000),
        {
          stream: 'sp2d-C',
          type: 'TreasuryDocumentCancelled',
          data: { kind: 'sp2d', programId: P, fiscalYear: 2026, number: 'C' },
        },
      );
      const answer = await reconciliation(read, P, null, 2026, ['2026-01', '2026-02']);
      const [jan, feb] = answer.months;
      // January: billed as rostered (the second bill replaces the first), paid by one SP2D.
      expect(jan).toMatchObject({
        month: '2026-01',
        roster: 100_000,
        billed: 100_000,
        disbursed: 100_000,
        lines: [],
      });
      // February: not billed, not paid; an SP2D linked to no invoice, beyond what the budget line had left.
      expect(feb).toMatchObject({ month: '2026-02', roster: 50_000, billed: 0, disbursed: 30_000 });
      expect(linesOf(feb.lines)).toEqual([
        ['ROSTER_NOT_BILLED', `${P}_2026-02`, [], 50_000],
        ['INVOICE_UNPAID', `${P}_2026-02`, [], 50_000],
        ['DISBURSED_WITHOUT_INVOICE', null, ['B'], 30_000],
        ['OUTSIDE_BUDGET_LINE', null, ['B'], 10_000],
      ]);
      expect(answer).toMatchObject({ period: '2026', roster: 150_000, billed: 100_000, disbursed: 130_000 });
    });

    it('a bill differing from the roster, an SP2D paying more than its invoice, and one payer only', async () => {
      const read = await given(
        budgetLine(1_000_000),
        invoice('2026-03', 80_000),
        bill('2026-03', 1, 84_000),
        sp2d('D', '2026-03-25', 90_000),
        link('D', [`${P}_2026-03`]),
        { ...invoice('2026-04', 10_000, 'pemprov'), stream: `invoice-${P}_2026-04` },
      );
      const march = await reconciliation(read, P, 'pemkab', 2026, ['2026-03', '2026-04']);
      expect(linesOf(march.lines)).toEqual([
        ['AMOUNT_DIFFERS', `${P}_2026-03`, [], 4_000],
        ['DISBURSEMENT_EXCEEDS_INVOICE', `${P}_2026-03`, ['D'], 10_000],
      ]);
      expect(march.roster).toBe(80_000);
      const other = await reconciliation(read, P, 'pemprov', 2026, ['2026-04']);
      expect(other).toMatchObject({ period: '2026-04', roster: 10_000 });
      expect(linesOf(other.lines)).toEqual([
        ['ROSTER_NOT_BILLED', `${P}_2026-04`, [], 10_000],
        ['INVOICE_UNPAID', `${P}_2026-04`, [], 10_000],
      ]);
    });
  },
);
