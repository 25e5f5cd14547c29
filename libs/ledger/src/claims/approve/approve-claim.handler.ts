import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import { isDeath } from '../claim.state';
import { runClaimStep } from '../claim.load';
import { decideApprove, type ApproveClaim } from './approve-claim.decider';
import { loadContributedMonths } from './contributed-months';

/** POST /api/claims/:id/approve */
export function approveClaim(
  deps: LedgerDeps,
  ctx: CommandContext,
  claimId: string,
  request: Omit<ApproveClaim, 'type' | 'contributedMonths'>,
) {
  return runClaimStep(
    deps,
    ctx,
    claimId,
    (state, _guard, contributedMonths: number) =>
      decideApprove({ type: 'ApproveClaim', ...request, contributedMonths }, state),
    // Only a JKM death's education benefit counts them: other approvals read no dues.
    async (filed) =>
      filed.kind === 'JKM' && isDeath(filed)
        ? loadContributedMonths(deps, filed.enrollmentId, filed.eventDate)
        : 0,
  );
}
