import { ruleOf } from '../../contributions/dues.examples';
import { ACCOUNT, PROGRAM, STREAM, YEAR, lineSet, treasuryOf } from '../treasury.examples';
import { budgetCeilingOf, evolveTreasury } from '../treasury.state';
import { decideSetBudgetLine, type SetBudgetLine } from './set-budget-line.decider';

const command = (over: Partial<SetBudgetLine> = {}): SetBudgetLine => ({
  type: 'SetBudgetLine',
  programId: PROGRAM,
  fiscalYear: YEAR,
  accountCode: ACCOUNT,
  document: 'DPA',
  fundingSource: 'PAD',
  amount: 1_000_000_000,
  setOn: '2025-12-20',
  ...over,
});

describe('setting a budget line', () => {
  it('a new line has no previous amount', () =>
    expect(decideSetBudgetLine(command(), treasuryOf([]))).toEqual([
      {
        streamId: STREAM,
        event: {
          type: 'BudgetLineSet',
          data: {
            programId: PROGRAM,
            fiscalYear: YEAR,
            accountCode: ACCOUNT,
            document: 'DPA',
            fundingSource: 'PAD',
            amount: 1_000_000_000,
            previousAmount: null,
            setOn: '2025-12-20',
          },
        },
      },
    ]));

  it('a revision keeps the amount it replaces, and the ceiling is the sum of the current lines', () => {
    const state = treasuryOf([lineSet(1_000_000_000)]);
    const [revised] = decideSetBudgetLine(command({ document: 'APBD-P', amount: 800_000_000 }), state);
    expect(revised.event).toMatchObject({ data: { amount: 800_000_000, previousAmount: 1_000_000_000 } });
    const other = decideSetBudgetLine(
      command({ accountCode: '5.1.02.01.01.0002', amount: 50_000_000 }),
      state,
    );
    const after = [revised, ...other].reduce((s, d) => evolveTreasury(s, d.event as never), state);
    expect(budgetCeilingOf(after)).toBe(850_000_000);
    expect(after.lines.get(ACCOUNT)?.revisions.map((r) => r.amount)).toEqual([1_000_000_000, 800_000_000]);
  });

  it('the same figures again decide nothing; a revision may bring a line to zero', () => {
    const state = treasuryOf([lineSet(1_000_000_000)]);
    expect(decideSetBudgetLine(command(), state)).toEqual([]);
    expect(decideSetBudgetLine(command({ document: 'APBD-P', amount: 0 }), state)).toHaveLength(1);
  });

  it('refuses a malformed account code, an unknown document, a bad amount and a year out of range', () => {
    const empty = treasuryOf([]);
    expect(ruleOf(() => decideSetBudgetLine(command({ accountCode: '5-1-02' }), empty))).toBe(
      'accountCode.format',
    );
    expect(ruleOf(() => decideSetBudgetLine(command({ document: 'RKA' as never }), empty))).toBe(
      'document.oneOf',
    );
    expect(ruleOf(() => decideSetBudgetLine(command({ amount: 0 }), empty))).toBe('amount.positive');
    expect(ruleOf(() => decideSetBudgetLine(command({ amount: 1.5 }), empty))).toBe('amount.integer');
    expect(ruleOf(() => decideSetBudgetLine(command({ fiscalYear: 1999 }), empty))).toBe('fiscalYear.range');
  });
});
