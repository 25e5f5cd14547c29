import {
  assertScope,
  execute,
  expectedFor,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { streams } from '../../shared/streams';
import { releasedField } from '../../enrollment/released-seats';
import { loadProgram, loadSeatsUnder, seatsAppend } from '../program.load';
import { decideAmendment, type ProgramAmendment } from './amend.decider';
import { approvedCoverageStarts } from './approved-coverages';

/** What the ledger tells a command, never its caller. */
type Told = 'today' | 'role' | 'seatsInUse' | 'coverageStarts';
type Asked<T> = T extends unknown ? Omit<T, Extract<keyof T, Told>> : never;

/**
 * The amendment as asked: the seats in use, the approved coverages' starts and the recording
 * day are the ledger's to tell.
 */
export type AmendmentRequest = Asked<ProgramAmendment>;

/** POST /api/programs/:id/quota, …/period, …/closure */
export async function amendProgram(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  request: AmendmentRequest,
) {
  return execute(deps, ctx, async () => {
    const { state, revision } = await loadProgram(deps, programId);
    if (state.status !== 'none') assertScope(ctx, state.terms.ownerRegion);
    const seats = await loadSeatsUnder(deps, programId, revision);
    const asked = { today: ctx.today, role: ctx.actor.role };
    const command: ProgramAmendment =
      request.type === 'AmendProgramQuota'
        ? { ...request, ...asked, seatsInUse: seats.inUse }
        : request.type === 'AmendProgramPeriod'
          ? {
              ...request,
              ...asked,
              // Only a start moved later can leave an approved coverage before it.
              coverageStarts:
                state.status === 'open' && request.period.from > state.terms.period.from
                  ? await approvedCoverageStarts(deps, programId, seats.revision)
                  : [],
            }
          : { ...request, ...asked };
    const events = decideAmendment(command, state);
    return {
      appends: [
        {
          streamId: streams.program(programId),
          expected: expectedFor(revision),
          events: events.map((e) => ({ ...e, metadata: metadata(ctx) })),
        },
        // The terms every pending seat decision read are no longer current: make them conflict.
        seatsAppend(
          seats,
          programId,
          {
            type: 'SeatTermsChanged',
            data: {
              programId,
              termsRevision: revision + events.length,
              inUse: seats.inUse,
              ...releasedField(seats.released),
            },
          },
          metadata(ctx),
        ),
      ],
      result: { programId },
    };
  });
}
