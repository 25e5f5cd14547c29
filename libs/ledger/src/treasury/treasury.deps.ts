import {
  appendsOf,
  assertScope,
  execute,
  expectedFor,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../shared/command.deps';
import type { StreamEvent } from '../shared/streams';
import { loadTreasury, loadTreasuryProgram } from './treasury.load';
import type { TreasuryState } from './treasury.state';
import { treasuryStreams } from './treasury.streams';

/**
 * Runs a treasury command: the program's region is checked against the caller's scope, the
 * year's treasury stream is folded, the decider decides, and its events are appended with the
 * stream's revision; every other stream it writes (a number's guard) must not exist yet.
 */
export async function writeTreasury<R extends object>(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  fiscalYear: number,
  decide: (state: TreasuryState, regionCode: string) => Promise<StreamEvent[]>,
  result: (decided: StreamEvent[]) => R,
) {
  return execute(deps, ctx, async () => {
    const { regionCode } = await loadTreasuryProgram(deps, programId);
    assertScope(ctx, regionCode);
    const treasuryStream = treasuryStreams.treasury(programId, fiscalYear);
    const { state, revision } = await loadTreasury(deps, programId, fiscalYear);
    const decided = await decide(state, regionCode);
    return {
      appends: appendsOf(
        decided,
        (streamId) => (streamId === treasuryStream ? expectedFor(revision) : 'no_stream'),
        () => metadata(ctx),
      ),
      result: { programId, fiscalYear, ...result(decided) },
    };
  });
}
