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
import { checkNotFuture } from '../shared/backfill';
import type { IsoDate } from '../shared/dates';
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
    // A step takes effect on its day (`on`), never after the day it is recorded.
    for (const d of decided) {
      const day = stepDay(d.event as ClaimEvent);
      if (day !== null) checkNotFuture(d.event.type === 'ClaimPaid' ? 'paidOn' : 'on', day, ctx.today);
    }
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

/** The effective day of a claim step's event; null for an event that is not a step. */
function stepDay(event: ClaimEvent): IsoDate | null {
  switch (event.type) {
    case 'ClaimDocumentsCompleted':
      return event.data.completedOn;
    case 'ClaimSubmitted':
      return event.data.submittedOn;
    case 'ClaimApproved':
      return event.data.approvedOn;
    case 'ClaimRejected':
      return event.data.rejectedOn;
    case 'ClaimPaid':
      return event.data.paidOn;
    case 'ClaimWithdrawn':
      return event.data.withdrawnOn;
    case 'ClaimReopened':
      return event.data.reopenedOn;
    default:
      return null;
  }
}
