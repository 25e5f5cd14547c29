import type { NikRegistryState } from '../../participants/participant.events';
import type { ExistingProgram } from '../../programs/program.state';
import type { IsoDate } from '../../shared/dates';
import type { Reason, RefusalKind } from '../../shared/rule-violation';
import { programCoverageEnd } from '../enrollment.state';
import { quotaOverTimeMessage, releasedRunningOn, type Seats } from '../released-seats';

/**
 * The second part of a proposal's decision: the rules that span rows and streams (one active
 * coverage per NIK, the program's quota). Each of its refusals is a conflict with the ledger's
 * current state or with the request's other rows: the same row may pass another day.
 */
export const ALLOCATION_REFUSAL: RefusalKind = 'conflict';

export interface AllocationCandidate {
  /** Position in the request (row number for files). */
  key: number;
  nikKey: string;
  enrollmentId: string;
  /** Used when the NIK has never been registered, or its participant was erased. */
  newParticipantId: string;
}

export interface OtherProgram {
  programId: string;
  name: string;
  from: IsoDate;
  end: IsoDate;
  /** Whether the caller's scope reaches the program: only then may a refusal name it. */
  visible: boolean;
}

export interface AllocationContext {
  program: ExistingProgram;
  /** The coverage start the proposal was checked at. */
  coverageFrom: IsoDate;
  /** The program's seats: in use, and released by coverages that may still run on `coverageFrom`. */
  seats: Seats;
  registries: Map<string, NikRegistryState>;
  /** Programs named by existing claims, with their current coverage window. */
  programs: Map<string, OtherProgram>;
  /** Participants whose data was erased: a new registration replaces them. */
  erased: Set<string>;
}

export type Allocation =
  | {
      key: number;
      accepted: true;
      enrollmentId: string;
      participantId: string;
      nikKey: string;
      newParticipant: boolean;
      /** Last day of the NIK's latest earlier coverage an approval must start after; null: none. */
      previousCoverageEnd: IsoDate | null;
    }
  | {
      key: number;
      accepted: false;
      reasons: Reason[];
      /** Refused for a coverage in a program the caller cannot see: worth recording as a probe. */
      coveredOutOfScope?: true;
    };

/** The refusal of a NIK covered by a program the caller's scope does not reach: names nothing. */
export const COVERED_ELSEWHERE_MESSAGE =
  'Pekerja sudah terdaftar pada program lain yang periodenya beririsan, di luar cakupan token';

/**
 * Applies the cross-stream invariants in request order: a NIK already covered (or nominated)
 * by a program whose period overlaps this one is refused, naming that program when the caller
 * may see it (otherwise with a neutral message, the same rule, and marked as a probe); a NIK
 * twice in the same request is refused the second time; rows beyond the remaining quota are
 * refused.
 */
export function allocateNominations(
  candidates: AllocationCandidate[],
  context: AllocationContext,
): Allocation[] {
  const { program } = context;
  const from = program.terms.period.from;
  const end = programCoverageEnd(program);
  const quota = program.terms.quota;
  // Counted once for the request: every row starts on the same day, so the cost per row stays O(1).
  const running = releasedRunningOn(context.seats.released, context.coverageFrom);
  let free = quota - context.seats.inUse - running.count;
  const full: Reason = {
    rule: 'enrollment.quota',
    message:
      running.count > 0
        ? quotaOverTimeMessage(quota, context.coverageFrom, running)
        : `Kuota program (${quota}) sudah penuh`,
  };
  const seen = new Map<string, number>();
  return candidates.map((candidate) => {
    const earlier = seen.get(candidate.nikKey);
    if (earlier !== undefined) {
      return {
        key: candidate.key,
        accepted: false,
        reasons: [
          { field: 'nik', rule: 'nik.duplicateInRequest', message: `NIK sama dengan baris ${earlier}` },
        ],
      };
    }
    seen.set(candidate.nikKey, candidate.key);
    const registry = context.registries.get(candidate.nikKey);
    // Coverages of the NIK that ended (deregistrations) still hold it until their last day.
    let previousCoverageEnd: IsoDate | null = null;
    for (const [, ended] of registry?.ended ?? []) {
      if (ended.from > end) continue;
      if (context.coverageFrom <= ended.to) {
        const other = context.programs.get(ended.programId);
        const visible = other?.visible ?? false;
        const message = visible
          ? `Pekerja masih terlindungi program "${other!.name}" (${other!.programId}) sampai ${ended.to}; ` +
            'perlindungan baru harus mulai sesudahnya'
          : COVERED_ELSEWHERE_MESSAGE;
        return {
          key: candidate.key,
          accepted: false,
          reasons: [{ field: 'nik', rule: 'nik.coverageOverlap', message }],
          ...(visible ? {} : { coveredOutOfScope: true as const }),
        };
      }
      if (previousCoverageEnd === null || ended.to > previousCoverageEnd) previousCoverageEnd = ended.to;
    }
    for (const [, claim] of registry?.claims ?? []) {
      const other = context.programs.get(claim.programId);
      if (!other) continue;
      if (other.from <= end && from <= other.end) {
        const message = other.visible
          ? `Pekerja sudah terdaftar pada program "${other.name}" (${other.programId}) yang periodenya beririsan`
          : COVERED_ELSEWHERE_MESSAGE;
        return {
          key: candidate.key,
          accepted: false,
          reasons: [{ field: 'nik', rule: 'participant.alreadyCovered', message }],
          ...(other.visible ? {} : { coveredOutOfScope: true as const }),
        };
      }
    }
    if (free <= 0) {
      return {
        key: candidate.key,
        accepted: false,
        reasons: [full],
      };
    }
    free -= 1;
    const known = registry?.participantId;
    const reuse = known && !context.erased.has(known);
    return {
      key: candidate.key,
      accepted: true,
      enrollmentId: candidate.enrollmentId,
      participantId: reuse ? known : candidate.newParticipantId,
      nikKey: candidate.nikKey,
      newParticipant: !reuse,
      previousCoverageEnd,
    };
  });
}
