import {
  evolveNikRegistry,
  initialNikRegistry,
  type NikRegistryEvent,
  type NikRegistryState,
  type ParticipantEvent,
  type PersonalData,
} from '../../participants/participant.events';
import type { ProgramEvent } from '../../programs/program.events';
import {
  evolveProgram,
  initialProgramState,
  type ExistingProgram,
  type ProgramState,
} from '../../programs/program.state';
import type { Reason, RefusalKind } from '../../shared/rule-violation';
import { streams, type StreamEvent } from '../../shared/streams';
import type { CoverageProbeEvent, EnrollmentEvent, SeatsEvent } from '../enrollment.events';
import { programCoverageEnd } from '../enrollment.state';
import type { ImportEvent, NominationOutcome } from '../import/import.events';
import { ALLOCATION_REFUSAL, allocateNominations, type OtherProgram } from './allocate';
import type { CheckedPerson, CheckedRow } from './check-row';
import type { ProposalDates } from './proposal-dates';
import { releasedField, seatsOf, type Seats } from '../released-seats';

/** A row that passed its own checks, with the NIK's HMAC and the ids an acceptance takes. */
export type ProposalRow =
  | Extract<CheckedRow, { refused: Reason[] }>
  | (Extract<CheckedRow, { person: CheckedPerson }> & {
      nikKey: string;
      enrollmentId: string;
      /** Used when the NIK has never been registered, or its participant was erased. */
      newParticipantId: string;
    });

export interface ProposeNominations {
  type: 'ProposeNominations';
  programId: string;
  /** The effective dates decided for the whole request (proposalDates). */
  dates: ProposalDates;
  rows: ProposalRow[];
  /** Participants whose data key is gone (erased): a new registration replaces them. */
  erased: Set<string>;
  /** Whether the caller's scope reaches a program's owner region; absent for trusted callers. */
  reaches?: (regionCode: string) => boolean;
  /** Names the caller's probes stream (a hash of the actor's id). */
  actorKey: string;
  /** The import this chunk belongs to: its rows are recorded on the import's stream. */
  importId: string | null;
}

/**
 * What the decision reads: the programs (this one, and those the NIKs' claims name), the seats
 * in use in this program, and each NIK's registry.
 */
export interface ProposalState {
  programs: Map<string, ProgramState>;
  seats: Seats;
  registries: Map<string, NikRegistryState>;
}

export const initialProposalState = (): ProposalState => ({
  programs: new Map(),
  seats: seatsOf(undefined),
  registries: new Map(),
});

type ReadEvent = StreamEvent<ProgramEvent | SeatsEvent | NikRegistryEvent>;

export function evolveProposal(state: ProposalState, { streamId, event }: ReadEvent): ProposalState {
  const [kind, id] = [streamId.slice(0, streamId.indexOf('-')), streamId.slice(streamId.indexOf('-') + 1)];
  if (kind === 'program') {
    const programs = new Map(state.programs);
    programs.set(id, evolveProgram(programs.get(id) ?? initialProgramState(), event as ProgramEvent));
    return { ...state, programs };
  }
  if (kind === 'seats') return { ...state, seats: seatsOf((event as SeatsEvent).data) };
  const registries = new Map(state.registries);
  registries.set(
    id,
    evolveNikRegistry(registries.get(id) ?? initialNikRegistry(), event as NikRegistryEvent),
  );
  return { ...state, registries };
}

/** An outcome as the decision gives it: a rejected row says how its first reason reads. */
export type ProposalOutcome = NominationOutcome & { kind?: RefusalKind };

/** The registration with its personal fields still open: the handler seals them. */
export type UnsealedRegistration = {
  type: 'ParticipantRegistered';
  data: Omit<Extract<ParticipantEvent, { type: 'ParticipantRegistered' }>['data'], 'personal'> & {
    personal: PersonalData;
  };
};

export type ProposalEvent = StreamEvent<
  UnsealedRegistration | NikRegistryEvent | EnrollmentEvent | SeatsEvent | CoverageProbeEvent | ImportEvent
>;

export interface ProposalDecision {
  events: ProposalEvent[];
  outcomes: ProposalOutcome[];
}

function otherPrograms(command: ProposeNominations, state: ProposalState): Map<string, OtherProgram> {
  const programs = new Map<string, OtherProgram>();
  for (const registry of state.registries.values()) {
    for (const claim of [...registry.claims.values(), ...registry.ended.values()]) {
      const other = state.programs.get(claim.programId);
      if (programs.has(claim.programId) || !other || other.status === 'none') continue;
      programs.set(claim.programId, {
        programId: claim.programId,
        name: other.terms.name,
        from: other.terms.period.from,
        end: programCoverageEnd(other),
        visible: !command.reaches || command.reaches(other.terms.ownerRegion),
      });
    }
  }
  return programs;
}

/**
 * Proposes workers for a program. Rows refused by their own checks stay refused; the others
 * are allocated (one active coverage per NIK, the quota) and each accepted one registers the
 * person if needed, claims the NIK and proposes the enrollment; the seats taken, the probes of
 * coverage outside the caller's scope and an import's part of the report follow.
 */
export function decideProposal(command: ProposeNominations, state: ProposalState): ProposalDecision {
  const { programId, dates, importId } = command;
  const program = state.programs.get(programId) as ExistingProgram;
  const outcomes = new Map<number, ProposalOutcome>();
  const rejected = (key: number, maskedNik: string | null, reasons: Reason[], kind: RefusalKind) =>
    outcomes.set(key, {
      key,
      status: 'rejected',
      reasons,
      maskedNik,
      enrollmentId: null,
      participantId: null,
      kind,
    });
  const candidates = command.rows.flatMap((row) => ('person' in row ? [row] : []));
  for (const row of command.rows)
    if ('refused' in row) rejected(row.key, row.maskedNik, row.refused, 'unprocessable');

  const allocations = allocateNominations(candidates, {
    program,
    coverageFrom: dates.coverageFrom,
    seats: state.seats,
    registries: state.registries,
    programs: otherPrograms(command, state),
    erased: command.erased,
  });
  const events: ProposalEvent[] = [];
  const accepted: string[] = [];
  const probes: { key: number; maskedNik: string }[] = [];
  allocations.forEach((allocation, i) => {
    const { person, maskedNik } = candidates[i] as Extract<ProposalRow, { person: CheckedPerson }>;
    if (!allocation.accepted) {
      rejected(allocation.key, maskedNik, allocation.reasons, ALLOCATION_REFUSAL);
      if (allocation.coveredOutOfScope) probes.push({ key: allocation.key, maskedNik: maskedNik! });
      return;
    }
    const { enrollmentId, participantId, nikKey, newParticipant, previousCoverageEnd } = allocation;
    const birthYear = Number(person.birthDate.slice(0, 4));
    const { sex, villageCode, occupation } = person;
    if (newParticipant) {
      const { nik, name, birthDate, phone } = person;
      events.push({
        streamId: streams.participant(participantId),
        event: {
          type: 'ParticipantRegistered',
          data: {
            participantId,
            personal: { nik, name, birthDate, phone },
            sex,
            birthYear,
            villageCode,
            occupation,
          },
        },
      });
    }
    events.push(
      {
        streamId: streams.nik(nikKey),
        event: { type: 'CoverageClaimed', data: { enrollmentId, programId, participantId } },
      },
      {
        streamId: streams.enrollment(enrollmentId),
        event: {
          type: 'EnrollmentProposed',
          data: {
            enrollmentId,
            programId,
            participantId,
            nikKey,
            villageCode,
            occupation,
            sex,
            birthYear,
            proposedOn: dates.proposedOn,
            importId,
            intendedCoverageFrom: dates.coverageFrom,
            ...(previousCoverageEnd ? { previousCoverageEnd } : {}),
            ...(dates.backfill ? { backfill: dates.backfill } : {}),
          },
        },
      },
    );
    accepted.push(enrollmentId);
    outcomes.set(allocation.key, {
      key: allocation.key,
      status: 'accepted',
      reasons: [],
      maskedNik,
      enrollmentId,
      participantId,
    });
  });
  if (accepted.length > 0) {
    events.push({
      streamId: streams.seats(programId),
      event: {
        type: 'SeatsTaken',
        data: {
          programId,
          enrollmentIds: accepted,
          inUse: state.seats.inUse + accepted.length,
          ...releasedField(state.seats.released),
        },
      },
    });
  }
  if (probes.length > 0) {
    events.push({
      streamId: streams.coverageProbes(command.actorKey),
      event: { type: 'OutOfScopeCoverageRefused', data: { programId, importId, rows: probes } },
    });
  }
  const ordered = command.rows.map((row) => outcomes.get(row.key)!);
  if (importId) events.push(recordedRows(importId, programId, command.rows, ordered));
  return { events, outcomes: ordered };
}

/**
 * An import's part of the report. The village code (a public region code) lets the report show
 * each caller its own rows; the participant stays out of it.
 */
function recordedRows(
  importId: string,
  programId: string,
  rows: ProposalRow[],
  outcomes: ProposalOutcome[],
): ProposalEvent {
  return {
    streamId: streams.nominationImport(importId),
    event: {
      type: 'NominationRowsRecorded',
      data: {
        importId,
        programId,
        rows: outcomes.map(({ key, status, reasons, maskedNik, enrollmentId }, i) => ({
          key,
          status,
          reasons,
          maskedNik,
          enrollmentId,
          participantId: null,
          villageCode: villageOf(rows[i].villageCode),
        })),
      },
    },
  };
}

function villageOf(code: string | undefined): string | null {
  return code && /^\d{10}$/.test(code) ? code : null;
}
