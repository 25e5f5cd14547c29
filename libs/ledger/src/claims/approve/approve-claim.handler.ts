import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import { runClaimStep } from '../claim.load';
import { decideApprove, type ApproveClaim } from './approve-claim.decider';

/** POST /api/claims/:id/approve */
export function approveClaim(
  deps: LedgerDeps,
  ctx: CommandContext,
  claimId: string,
  request: Omit<ApproveClaim, 'type'>,
) {
  return runClaimStep(deps, ctx, claimId, (state) =>
    decideApprove({ type: 'ApproveClaim', ...request }, state),
  );
}
