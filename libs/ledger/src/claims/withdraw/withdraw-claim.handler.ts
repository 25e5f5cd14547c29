import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import { runClaimStep } from '../claim.load';
import { decideWithdraw, type WithdrawClaim } from './withdraw-claim.decider';

/** POST /api/claims/:id/withdraw */
export function withdrawClaim(
  deps: LedgerDeps,
  ctx: CommandContext,
  claimId: string,
  request: Omit<WithdrawClaim, 'type'>,
) {
  return runClaimStep(deps, ctx, claimId, (state) =>
    decideWithdraw({ type: 'WithdrawClaim', ...request }, state),
  );
}
