import { WrongExpectedVersionError, type EventMetadata, type StreamAppend } from '@ledger/event-store';
import { uuidv7 } from '../shared/ids';
import {
  assertScope,
  execute,
  expectedFor,
  fold,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../shared/command.deps';
import { RuleViolation } from '../shared/rule-violation';
import { streams } from '../shared/streams';
import type { SeatsEvent } from '../enrollment/enrollment.events';
import {
  decideProgram,
  evolveProgram,
  initialProgramState,
  type ProgramCommand,
  type ProgramState,
  type ProgramTermsInput,
} from './program.decider';
import type { ProgramEvent } from './program.events';

export async function loadProgram(deps: Pick<LedgerDeps, 'store'>, programId: string) {
  return fold<ProgramState, ProgramEvent>(
    deps.store,
    streams.program(programId),
    evolveProgram,
    initialProgramState(),
  );
}

/** Seats in use: the last seats event carries the count. */
export async function loadSeats(deps: Pick<LedgerDeps, 'store'>, programId: string) {
  const [last] = await deps.store.readStream(streams.seats(programId), {
    direction: 'backwards',
    maxCount: 1,
  });
  return { inUse: last ? (last.data as SeatsEvent['data']).inUse : 0, revision: last ? last.revision : -1 };
}

/**
 * The seats of a program whose terms were read at `termsRevision`, for a decision that
 * appends to the seats stream at the revision returned. Every change of the terms appends to
 * the seats stream too, so such a decision cannot commit on terms changed after these reads;
 * and if they changed between the terms read and this one, the decision is taken again.
 */
export async function loadSeatsUnder(
  deps: Pick<LedgerDeps, 'store'>,
  programId: string,
  termsRevision: number,
) {
  const seats = await loadSeats(deps, programId);
  const [last] = await deps.store.readStream(streams.program(programId), {
    direction: 'backwards',
    maxCount: 1,
  });
  const actual = last ? last.revision : -1;
  if (actual !== termsRevision) {
    throw new WrongExpectedVersionError(streams.program(programId), termsRevision, actual);
  }
  return seats;
}

/** The seats-stream append of a decision taken with the program's terms. */
export function seatsAppend(
  seats: { revision: number },
  programId: string,
  event: SeatsEvent,
  meta: EventMetadata,
): StreamAppend {
  return {
    streamId: streams.seats(programId),
    expected: expectedFor(seats.revision),
    events: [{ ...event, metadata: meta }],
  };
}

export async function establishProgram(deps: LedgerDeps, ctx: CommandContext, terms: ProgramTermsInput) {
  const level = deps.regions.levelOf(terms.ownerRegion);
  if (!deps.regions.has(terms.ownerRegion) || level === 'district') {
    throw new RuleViolation(
      'program.ownerRegion',
      'Pemilik program harus provinsi, kabupaten/kota, atau desa yang terdaftar',
      'unprocessable',
    );
  }
  assertScope(ctx, terms.ownerRegion);
  const programId = uuidv7();
  return execute(deps, ctx, async () => {
    const events = decideProgram({ type: 'EstablishProgram', programId, terms }, initialProgramState());
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

type Amendment = Exclude<ProgramCommand, { type: 'EstablishProgram' } | { type: 'AmendProgramQuota' }>;

export async function changeProgram(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  command: Amendment | { type: 'AmendProgramQuota'; quota: number; reason: string | null },
) {
  return execute(deps, ctx, async () => {
    const { state, revision } = await loadProgram(deps, programId);
    if (state.status !== 'none') assertScope(ctx, state.terms.ownerRegion);
    const seats = await loadSeatsUnder(deps, programId, revision);
    const full: ProgramCommand =
      command.type === 'AmendProgramQuota' ? { ...command, seatsInUse: seats.inUse } : command;
    const events = decideProgram(full, state);
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
            data: { programId, termsRevision: revision + events.length, inUse: seats.inUse },
          },
          metadata(ctx),
        ),
      ],
      result: { programId },
    };
  });
}
