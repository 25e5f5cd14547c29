import { WrongExpectedVersionError, type EventMetadata, type StreamAppend } from '@ledger/event-store';
import { expectedFor, fold, type LedgerDeps } from '../shared/command.deps';
import { streams } from '../shared/streams';
import type { SeatsEvent } from '../enrollment/enrollment.events';
import { seatsOf, type Seats } from '../enrollment/released-seats';
import type { ProgramEvent } from './program.events';
import {
  evolveProgram,
  initialProgramState,
  requireProgram,
  type ExistingProgram,
  type ProgramState,
} from './program.state';

export async function loadProgram(deps: Pick<LedgerDeps, 'store'>, programId: string) {
  return fold<ProgramState, ProgramEvent>(
    deps.store,
    streams.program(programId),
    evolveProgram,
    initialProgramState(),
  );
}

/** A program that exists (or 404), with the revision of its stream for `loadSeatsUnder`. */
export async function loadExistingProgram(
  deps: Pick<LedgerDeps, 'store'>,
  programId: string,
): Promise<{ program: ExistingProgram; revision: number }> {
  const { state, revision } = await loadProgram(deps, programId);
  return { program: requireProgram(state), revision };
}

/** Seats in use and released coverages' last days: the last seats event carries them. */
export async function loadSeats(
  deps: Pick<LedgerDeps, 'store'>,
  programId: string,
): Promise<Seats & { revision: number }> {
  const [last] = await deps.store.readStream(streams.seats(programId), {
    direction: 'backwards',
    maxCount: 1,
  });
  return { ...seatsOf(last?.data as SeatsEvent['data'] | undefined), revision: last ? last.revision : -1 };
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
