import { birthDates } from '../../participants/registration';
import { execute, type CommandContext, type LedgerDeps } from '../../shared/command.deps';
import { enrollmentAppends, loadForDecision, statusAfter } from '../enrollment.load';
import { decideCorrection, type CorrectEnrollment } from './correct.decider';

/** POST /api/enrollments/:id/correction */
export async function correctEnrollment(
  deps: LedgerDeps,
  ctx: CommandContext,
  enrollmentId: string,
  request: Pick<CorrectEnrollment, 'coverageFrom' | 'endedOn' | 'reason' | 'note'>,
) {
  return execute(deps, ctx, async () => {
    const loaded = await loadForDecision(deps, ctx, enrollmentId);
    const { state, program, seats } = loaded;
    const birthDate = (await birthDates(deps, [state.participantId])).get(state.participantId) ?? null;
    const decided = decideCorrection(
      { type: 'CorrectEnrollment', ...request, today: ctx.today, role: ctx.actor.role, birthDate, program, seats },
      state,
    );
    return { appends: enrollmentAppends(ctx, loaded, decided), result: statusAfter(state, decided) };
  });
}
