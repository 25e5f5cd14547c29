import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import type { IsoDate } from '../../shared/dates';
import { writeTreasury } from '../treasury.deps';
import { isNumberUsed } from '../treasury.load';
import { fiscalYearOf, normaliseNumber } from '../treasury.state';
import { decideRecordSpp } from './record-spp.decider';

export interface DocumentRequest {
  number: string;
  date: IsoDate;
  amount: number;
  accountCode: string;
}

/** POST /api/programs/:id/spp */
export async function recordSpp(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  request: DocumentRequest,
) {
  const number = normaliseNumber(request.number);
  return writeTreasury(
    deps,
    ctx,
    programId,
    fiscalYearOf(request.date),
    async (state, regionCode) =>
      decideRecordSpp(
        {
          type: 'RecordSpp',
          programId,
          regionCode,
          number,
          date: request.date,
          amount: request.amount,
          accountCode: request.accountCode.trim(),
          numberUsed: await isNumberUsed(deps, regionCode, fiscalYearOf(request.date), 'spp', number),
        },
        state,
      ),
    () => ({ kind: 'spp' as const, number }),
  );
}
