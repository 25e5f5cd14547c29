import type { BackfillRequest } from '../../shared/backfill';
import { execute, type CommandContext, type LedgerDeps } from '../../shared/command.deps';
import { enrollmentAppends, loadForDecision, statusAfter } from '../enrollment.load';
import { decideRejection } from './reject.decider';

/** POST /api/enrollments/:id/rejection */
export async function rejectEnrollment(
  deps: LedgerDeps,
  ctx: CommandContext,
  enrollmentId: string,
  reason: string,
  options: { rejectedOn?: string; backfill?: BackfillRequest } = {},
) {
  return execute(deps, ctx, async () => {
    const loaded = await loadForDecision(deps, ctx, enrollmentId);
    const decided = decideRejection(
      {
        type: 'RejectEnrollment',
        reason,
        ...options,
        today: ctx.today,
        role: ctx.actor.role,
        backfillToleranceDays: loaded.program.terms.backfillToleranceDays,
        seats: loaded.seats,
      },
      loaded.state,
    );
    return { appends: enrollmentAppends(ctx, loaded, decided), result: statusAfter(loaded.state, decided) };
  });
}
