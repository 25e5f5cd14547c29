import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import { runClaimStep } from '../claim.load';
import { decideCompleteDocuments, type CompleteDocuments } from './complete-documents.decider';

/** POST /api/claims/:id/complete-documents */
export function completeDocuments(
  deps: LedgerDeps,
  ctx: CommandContext,
  claimId: string,
  request: Omit<CompleteDocuments, 'type'>,
) {
  return runClaimStep(deps, ctx, claimId, (state) =>
    decideCompleteDocuments({ type: 'CompleteDocuments', ...request }, state),
  );
}
