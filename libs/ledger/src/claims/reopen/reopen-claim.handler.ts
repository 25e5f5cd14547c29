import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import { runClaimStep } from '../claim.load';
import { decideReopen, type ReopenClaim } from './reopen-claim.decider';

/** POST /api/claims/:id/reopen */
export function reopenClaim(
  deps: LedgerDeps,
  ctx: CommandContext,
  claimId: string,
  request: Omit<ReopenClaim, 'type'>,
) {
  return runClaimStep(deps, ctx, claimId, (state, guard) =>
    decideReopen({ type: 'ReopenClaim', ...request }, state, guard),
  );
}
