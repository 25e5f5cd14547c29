import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import { runClaimStep } from '../claim.load';
import { decidePay, type PayClaim } from './pay-claim.decider';

/** POST /api/claims/:id/pay */
export function payClaim(
  deps: LedgerDeps,
  ctx: CommandContext,
  claimId: string,
  request: Omit<PayClaim, 'type'>,
) {
  return runClaimStep(deps, ctx, claimId, (state) => decidePay({ type: 'PayClaim', ...request }, state));
}
