import type { EventStore } from '@ledger/event-store';
import { programCoverageEnd } from '@ledger/ledger/enrollment/enrollment.state';
import type { ProgramEvent } from '@ledger/ledger/programs/program.events';
import {
  evolveProgram,
  initialProgramState,
  type ExistingProgram,
} from '@ledger/ledger/programs/program.state';
import { streams } from '@ledger/ledger/shared/streams';
import type { ProgramInfo } from '../programs/programs.query';

/**
 * A program as the ledger knew it at log position `knownAt`: its stream (a few events) folded
 * up to that position with the real `evolveProgram`, so a later change of the period, the
 * quota or a closure does not alter an earlier report. Null when it was not established by then.
 */
export async function programStateKnownAt(
  store: EventStore,
  programId: string,
  knownAt: number,
): Promise<ExistingProgram | null> {
  const events = await store.readStream(streams.program(programId));
  const state = events
    .filter((e) => e.position <= knownAt)
    .reduce((s, e) => evolveProgram(s, e as unknown as ProgramEvent), initialProgramState());
  return state.status === 'none' ? null : state;
}

/** The same, with the facts a program summary needs. */
export async function programKnownAt(
  store: EventStore,
  programId: string,
  knownAt: number,
): Promise<ProgramInfo | null> {
  const state = await programStateKnownAt(store, programId, knownAt);
  return state ? programInfoOf(state) : null;
}

/** What reports need of a program, from its folded state. */
export function programInfoOf(state: ExistingProgram): ProgramInfo {
  const { terms } = state;
  return {
    id: state.programId,
    name: terms.name,
    ownerRegion: terms.ownerRegion,
    payer: terms.payer,
    fundingSource: terms.fundingSource,
    quota: terms.quota,
    monthlyContribution: terms.contribution.total,
    from: terms.period.from,
    end: programCoverageEnd(state),
  };
}
