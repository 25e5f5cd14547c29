import { uuidv7 } from '../../shared/ids';
import {
  assertScope,
  execute,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { streams } from '../../shared/streams';
import type { BackfillRequest } from '../../shared/backfill';
import { initialProgramState, type ProgramTermsInput } from '../program.state';
import { checkOwnerRegion, decideEstablish } from './establish.decider';

/** POST /api/programs */
export async function establishProgram(
  deps: LedgerDeps,
  ctx: CommandContext,
  terms: ProgramTermsInput,
  backfill?: BackfillRequest,
) {
  checkOwnerRegion(deps.regions.has(terms.ownerRegion), deps.regions.levelOf(terms.ownerRegion));
  assertScope(ctx, terms.ownerRegion);
  const programId = uuidv7();
  return execute(deps, ctx, async () => {
    const events = decideEstablish(
      { type: 'EstablishProgram', programId, terms, today: ctx.today, role: ctx.actor.role, backfill },
      initialProgramState(),
    );
    return {
      appends: [
        {
          streamId: streams.program(programId),
          expected: 'no_stream',
          events: events.map((e) => ({ ...e, metadata: metadata(ctx) })),
        },
      ],
      result: { programId },
    };
  });
}
