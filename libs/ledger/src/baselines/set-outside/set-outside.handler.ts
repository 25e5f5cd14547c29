import {
  assertScope,
  execute,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { streams } from '../../shared/streams';
import type { OutsideParticipants } from '../baseline.events';
import { checkRegionKnown } from '../set/set-baseline.decider';
import { decideOutsideParticipants, initialOutsideState } from './set-outside.decider';

/**
 * PUT /api/regions/:code/outside-participants/:date. The figure goes to the stream of the
 * region's baseline for the year of its date: the denominators and the outside count of a
 * region and year sit together in the log, as an auditor reads them.
 */
export async function setOutsideParticipants(
  deps: LedgerDeps,
  ctx: CommandContext,
  figure: OutsideParticipants,
) {
  checkRegionKnown(figure.regionCode, deps.regions.has(figure.regionCode));
  assertScope(ctx, figure.regionCode);
  const events = decideOutsideParticipants(
    { type: 'SetOutsideParticipants', figure, today: ctx.today },
    initialOutsideState(),
  );
  return execute(deps, ctx, async () => ({
    appends: [
      {
        streamId: streams.baseline(figure.regionCode, Number(figure.asOf.slice(0, 4))),
        expected: 'any',
        events: events.map((e) => ({ ...e, metadata: metadata(ctx) })),
      },
    ],
    result: { regionCode: figure.regionCode, asOf: figure.asOf },
  }));
}
