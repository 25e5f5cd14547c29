import { birthDates } from '../../participants/registration';
import type { BackfillRequest } from '../../shared/backfill';
import { execute, expectedFor, type CommandContext, type LedgerDeps } from '../../shared/command.deps';
import { streams } from '../../shared/streams';
import { enrollmentAppends, loadForDecision, statusAfter } from '../enrollment.load';
import { decideApproval } from './approve.decider';

/** POST /api/enrollments/:id/approval */
export async function approveEnrollment(
  deps: LedgerDeps,
  ctx: CommandContext,
  enrollmentId: string,
  coverageFrom: string,
  options: { approvedOn?: string; backfill?: BackfillRequest } = {},
) {
  return execute(deps, ctx, async () => {
    const loaded = await loadForDecision(deps, ctx, enrollmentId);
    const { state, program, seats } = loaded;
    // The registry before the person's key: an erasure that destroys the key after this read
    // appends to the registry too, and one of the two appends then conflicts.
    const [last] = await deps.store.readStream(streams.nik(state.nikKey), {
      direction: 'backwards',
      maxCount: 1,
    });
    const birthDate = (await birthDates(deps, [state.participantId])).get(state.participantId) ?? null;
    const decided = decideApproval(
      {
        type: 'ApproveEnrollment',
        coverageFrom,
        ...options,
        today: ctx.today,
        role: ctx.actor.role,
        birthDate,
        program,
        seats,
      },
      state,
    );
    return {
      appends: enrollmentAppends(ctx, { ...loaded, registry: expectedFor(last?.revision ?? -1) }, decided),
      result: statusAfter(state, decided),
    };
  });
}
