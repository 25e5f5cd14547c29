import { execute, type CommandContext, type LedgerDeps } from '../../shared/command.deps';
import { enrollmentAppends, loadForDecision, statusAfter } from '../enrollment.load';
import { decideDeregistration, type DeregisterEnrollment } from './deregister.decider';

/** POST /api/enrollments/:id/deregistration */
export async function deregisterEnrollment(
  deps: LedgerDeps,
  ctx: CommandContext,
  enrollmentId: string,
  request: Pick<DeregisterEnrollment, 'reason' | 'note' | 'effectiveDate' | 'backfill'>,
) {
  return execute(deps, ctx, async () => {
    const loaded = await loadForDecision(deps, ctx, enrollmentId);
    const decided = decideDeregistration(
      {
        type: 'DeregisterEnrollment',
        ...request,
        today: ctx.today,
        role: ctx.actor.role,
        program: loaded.program,
        seats: loaded.seats,
      },
      loaded.state,
    );
    return { appends: enrollmentAppends(ctx, loaded, decided), result: statusAfter(loaded.state, decided) };
  });
}
