import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import { writeTreasury } from '../treasury.deps';
import { isNumberUsed } from '../treasury.load';
import { fiscalYearOf, normaliseNumber } from '../treasury.state';
import type { DocumentRequest } from '../record-spp/record-spp.handler';
import { decideRecordSpm } from './record-spm.decider';

/** POST /api/programs/:id/spm */
export async function recordSpm(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  request: DocumentRequest & { sppNumber: string },
) {
  const number = normaliseNumber(request.number);
  return writeTreasury(
    deps,
    ctx,
    programId,
    fiscalYearOf(request.date),
    async (state, regionCode) =>
      decideRecordSpm(
        {
          type: 'RecordSpm',
          programId,
          regionCode,
          number,
          date: request.date,
          amount: request.amount,
          accountCode: request.accountCode.trim(),
          sppNumber: normaliseNumber(request.sppNumber),
          numberUsed: await isNumberUsed(deps, regionCode, fiscalYearOf(request.date), 'spm', number),
        },
        state,
      ),
    () => ({ kind: 'spm' as const, number }),
  );
}
