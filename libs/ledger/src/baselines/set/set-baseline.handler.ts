import {
  assertScope,
  execute,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { streams } from '../../shared/streams';
import type { WorkforceBaseline } from '../baseline.events';
import { checkRegionKnown, decideBaseline, initialBaselineState } from './set-baseline.decider';

/** PUT /api/regions/:code/baselines/:year */
export async function setBaseline(deps: LedgerDeps, ctx: CommandContext, baseline: WorkforceBaseline) {
  checkRegionKnown(baseline.regionCode, deps.regions.has(baseline.regionCode));
  assertScope(ctx, baseline.regionCode);
  const events = decideBaseline({ type: 'SetBaseline', baseline }, initialBaselineState());
  return execute(deps, ctx, async () => ({
    appends: [
      {
        streamId: streams.baseline(baseline.regionCode, baseline.year),
        expected: 'any',
        events: events.map((e) => ({ ...e, metadata: metadata(ctx) })),
      },
    ],
    result: { regionCode: baseline.regionCode, year: baseline.year },
  }));
}
