import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import { runClaimStep } from '../claim.load';
import { decideSubmit, type SubmitClaim } from './submit-claim.decider';

/** POST /api/claims/:id/submit */
export function submitClaim(
  deps: LedgerDeps,
  ctx: CommandContext,
  claimId: string,
  request: Omit<SubmitClaim, 'type'>,
) {
  return runClaimStep(deps, ctx, claimId, (state) =>
    decideSubmit({ type: 'SubmitClaim', ...request }, state),
  );
}
