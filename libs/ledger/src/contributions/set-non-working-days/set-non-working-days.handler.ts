import {
  appendsOf,
  execute,
  expectedFor,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { streams } from '../../shared/streams';
import { loadNonWorkingDays } from '../dues.load';
import { decideSetNonWorkingDays, type SetNonWorkingDays } from './set-non-working-days.decider';

/** PUT /api/calendar/:year/non-working-days — the calendar is national: no region scope. */
export async function setNonWorkingDays(
  deps: LedgerDeps,
  ctx: CommandContext,
  request: Omit<SetNonWorkingDays, 'type'>,
) {
  return execute(deps, ctx, async () => {
    const { revision } = await loadNonWorkingDays(deps, request.year);
    const events = decideSetNonWorkingDays({ type: 'SetNonWorkingDays', ...request });
    const streamId = streams.calendar(request.year);
    return {
      appends: appendsOf(
        events.map((event) => ({ streamId, event })),
        () => expectedFor(revision),
        () => metadata(ctx),
      ),
      result: { year: request.year, days: events[0].data.days },
    };
  });
}
