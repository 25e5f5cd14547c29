import type { IsoDate } from '../../shared/dates';
import { fieldRefusal } from '../../contributions/refusal';
import type { StreamEvent } from '../../shared/streams';
import { BUDGET_DOCUMENTS, type BudgetDocument, type TreasuryEvent } from '../treasury.events';
import { treasuryStreams } from '../treasury.streams';
import { checkRupiah, type TreasuryState } from '../treasury.state';

export interface SetBudgetLine {
  type: 'SetBudgetLine';
  programId: string;
  fiscalYear: number;
  accountCode: string;
  document: BudgetDocument;
  fundingSource: string;
  amount: number;
  setOn: IsoDate;
}

/** Kode rekening of the regional chart of accounts: dot-separated digit groups (5.1.02.01.01.0001). */
const ACCOUNT_CODE = /^\d+(\.\d+){1,7}$/;

/**
 * Sets a budget line, or revises it: a revision is a new event that keeps the amount it
 * replaces. A revision to zero is allowed (an APBD-P that removes a line); the same figures
 * again decide nothing.
 */
export function decideSetBudgetLine(
  command: SetBudgetLine,
  state: TreasuryState,
): StreamEvent<TreasuryEvent>[] {
  if (!ACCOUNT_CODE.test(command.accountCode)) {
    throw fieldRefusal(
      'accountCode',
      'accountCode.format',
      'accountCode harus berbentuk kode rekening (5.1.02.01.01.0001)',
    );
  }
  if (!BUDGET_DOCUMENTS.includes(command.document)) {
    throw fieldRefusal(
      'document',
      'document.oneOf',
      `document harus salah satu dari ${BUDGET_DOCUMENTS.join(', ')}`,
    );
  }
  const before = state.lines.get(command.accountCode);
  checkRupiah(command.amount, 'amount', before !== undefined);
  // A DPA is often set in the last weeks of the year before, so the day need not fall in the year.
  if (!Number.isInteger(command.fiscalYear) || command.fiscalYear < 2000 || command.fiscalYear > 2100) {
    throw fieldRefusal('fiscalYear', 'fiscalYear.range', 'fiscalYear harus tahun antara 2000 dan 2100');
  }
  if (
    before &&
    before.amount === command.amount &&
    before.document === command.document &&
    before.fundingSource === command.fundingSource
  ) {
    return [];
  }
  return [
    {
      streamId: treasuryStreams.treasury(command.programId, command.fiscalYear),
      event: {
        type: 'BudgetLineSet',
        data: {
          programId: command.programId,
          fiscalYear: command.fiscalYear,
          accountCode: command.accountCode,
          document: command.document,
          fundingSource: command.fundingSource,
          amount: command.amount,
          previousAmount: before ? before.amount : null,
          setOn: command.setOn,
        },
      },
    },
  ];
}
