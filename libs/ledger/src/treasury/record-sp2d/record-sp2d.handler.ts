import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import type { Deduction, Sp2dType } from '../treasury.events';
import { writeTreasury } from '../treasury.deps';
import { isNumberUsed } from '../treasury.load';
import { fiscalYearOf, normaliseNumber } from '../treasury.state';
import type { DocumentRequest } from '../record-spp/record-spp.handler';
import { decideRecordSp2d } from './record-sp2d.decider';

export interface Sp2dRequest extends DocumentRequest {
  spmNumber: string;
  sp2dType: Sp2dType;
  lsType?: string | null;
  recipient: string;
  bank: string;
  deductions?: (Omit<Deduction, 'billingId'> & { billingId?: string | null })[];
}

/** POST /api/programs/:id/sp2d */
export async function recordSp2d(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  request: Sp2dRequest,
) {
  const number = normaliseNumber(request.number);
  return writeTreasury(
    deps,
    ctx,
    programId,
    fiscalYearOf(request.date),
    async (state, regionCode) =>
      decideRecordSp2d(
        {
          type: 'RecordSp2d',
          programId,
          regionCode,
          number,
          date: request.date,
          amount: request.amount,
          accountCode: request.accountCode.trim(),
          spmNumber: normaliseNumber(request.spmNumber),
          sp2dType: request.sp2dType,
          lsType: request.lsType ?? null,
          recipient: request.recipient.trim(),
          bank: request.bank.trim(),
          deductions: (request.deductions ?? []).map((d) => ({
            billingId: d.billingId ?? null,
            name: d.name.trim(),
            amount: d.amount,
          })),
          numberUsed: await isNumberUsed(deps, regionCode, fiscalYearOf(request.date), 'sp2d', number),
        },
        state,
      ),
    () => ({ kind: 'sp2d' as const, number }),
  );
}
