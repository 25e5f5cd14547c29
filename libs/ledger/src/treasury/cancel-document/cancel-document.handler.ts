import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import type { IsoDate } from '../../shared/dates';
import type { TreasuryDocumentKind } from '../treasury.events';
import { writeTreasury } from '../treasury.deps';
import { normaliseNumber } from '../treasury.state';
import { decideCancelDocument } from './cancel-document.decider';

export interface CancelDocumentRequest {
  fiscalYear: number;
  kind: TreasuryDocumentKind;
  number: string;
  reason: string;
  cancelledOn?: IsoDate;
}

/** POST /api/programs/:id/treasury-cancellations */
export async function cancelTreasuryDocument(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  request: CancelDocumentRequest,
) {
  const number = normaliseNumber(request.number);
  return writeTreasury(
    deps,
    ctx,
    programId,
    request.fiscalYear,
    async (state) =>
      decideCancelDocument(
        {
          type: 'CancelDocument',
          programId,
          fiscalYear: request.fiscalYear,
          kind: request.kind,
          number,
          reason: request.reason.trim(),
          cancelledOn: request.cancelledOn ?? ctx.today,
        },
        state,
      ),
    () => ({ kind: request.kind, number, cancelled: true }),
  );
}
