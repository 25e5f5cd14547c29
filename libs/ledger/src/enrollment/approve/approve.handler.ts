import { birthDates } from '../../participants/registration';
import type { BackfillRequest } from '../../shared/backfill';
import { execute, type CommandContext, type LedgerDeps } from '../../shared/command.deps';
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
    return { appends: enrollmentAppends(ctx, loaded, decided), result: statusAfter(state, decided) };
  });
}
