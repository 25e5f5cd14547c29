import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import type { IsoDate } from '../../shared/dates';
import type { BudgetDocument } from '../treasury.events';
import { writeTreasury } from '../treasury.deps';
import { budgetCeilingOf, evolveTreasury } from '../treasury.state';
import { decideSetBudgetLine } from './set-budget-line.decider';

export interface SetBudgetLineRequest {
  fiscalYear: number;
  accountCode: string;
  document: BudgetDocument;
  fundingSource: string;
  amount: number;
  setOn?: IsoDate;
}

/** POST /api/programs/:id/budget-lines */
export async function setBudgetLine(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  request: SetBudgetLineRequest,
) {
  let ceiling = 0;
  return writeTreasury(
    deps,
    ctx,
    programId,
    request.fiscalYear,
    async (state) => {
      const decided = decideSetBudgetLine(
        {
          type: 'SetBudgetLine',
          programId,
          fiscalYear: request.fiscalYear,
          accountCode: request.accountCode.trim(),
          document: request.document,
          fundingSource: request.fundingSource.trim(),
          amount: request.amount,
          setOn: request.setOn ?? ctx.today,
        },
        state,
      );
      ceiling = budgetCeilingOf(decided.reduce((s, d) => evolveTreasury(s, d.event as never), state));
      return decided;
    },
    (decided) => ({
      accountCode: request.accountCode.trim(),
      changed: decided.length > 0,
      budgetCeiling: ceiling,
    }),
  );
}
