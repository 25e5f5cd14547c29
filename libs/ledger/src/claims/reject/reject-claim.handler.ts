import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import { runClaimStep } from '../claim.load';
import { decideReject, type RejectClaim } from './reject-claim.decider';

/** POST /api/claims/:id/reject */
export function rejectClaim(
  deps: LedgerDeps,
  ctx: CommandContext,
  claimId: string,
  request: Omit<RejectClaim, 'type'>,
) {
  return runClaimStep(deps, ctx, claimId, (state) =>
    decideReject({ type: 'RejectClaim', ...request }, state),
  );
}
