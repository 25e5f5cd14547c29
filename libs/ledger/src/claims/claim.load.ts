import {
  appendsOf,
  assertScope,
  execute,
  expectedFor,
  fold,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../shared/command.deps';
import { RuleViolation } from '../shared/rule-violation';
import { streams, type StreamEvent } from '../shared/streams';
import type { ClaimEvent, ClaimGuardEvent } from './claim.events';
import {
  evolveClaim,
  evolveClaimGuard,
  initialClaimGuard,
  initialClaimState,
  type ClaimGuardState,
  type ClaimState,
} from './claim.state';

export async function loadClaim(deps: Pick<LedgerDeps, 'store'>, claimId: string) {
  const loaded = await fold<ClaimState, ClaimEvent>(
    deps.store,
    streams.claim(claimId),
    evolveClaim,
    initialClaimState(),
  );
  if (loaded.state.status === 'none' || !loaded.state.filed)
    throw new RuleViolation('claim.notFound', 'Klaim tidak ditemukan', 'not_found');
  return { state: loaded.state, filed: loaded.state.filed, revision: loaded.revision };
}

export function loadClaimGuard(deps: Pick<LedgerDeps, 'store'>, participantId: string) {
  return fold<ClaimGuardState, ClaimGuardEvent>(
    deps.store,
    streams.claimGuard(participantId),
    evolveClaimGuard,
    initialClaimGuard(),
  );
}

/**
 * One step of a claim's lifecycle: the claim (in the caller's scope) and the participant's
 * guard are read, the step's decider decides, and both streams are appended at the revisions
 * read, so two officers acting on one claim, or on two claims of one kind, cannot both pass.
 */
export async function runClaimStep<F = undefined>(
  deps: LedgerDeps,
  ctx: CommandContext,
  claimId: string,
  decide: (
    state: ClaimState,
    guard: ClaimGuardState,
    facts: F,
  ) => StreamEvent<ClaimEvent | ClaimGuardEvent>[],
  /** Further facts the step decides on, read once the claim is known (in the caller's scope). */
  facts?: (filed: NonNullable<ClaimState['filed']>) => Promise<F>,
) {
  return execute(deps, ctx, async () => {
    const claim = await loadClaim(deps, claimId);
    assertScope(ctx, claim.filed.ownerRegion);
    const guard = await loadClaimGuard(deps, claim.filed.participantId);
    const decided = decide(claim.state, guard.state, (facts ? await facts(claim.filed) : undefined) as F);
    const expected = (streamId: string) =>
      streamId === streams.claim(claimId) ? claim.revision : expectedFor(guard.revision);
    const own = decided.filter((d) => d.streamId === streams.claim(claimId));
    const state = own.reduce((s, d) => evolveClaim(s, d.event as ClaimEvent), claim.state);
    return {
      appends: appendsOf(decided, expected, () => metadata(ctx)),
      result: { claimId, status: state.status },
    };
  });
}
