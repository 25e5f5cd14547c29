import type { CoverageWindow, NikRegistryEvent } from '../../participants/participant.events';
import type { ExistingProgram } from '../../programs/program.state';
import { backfillField, decideBackfill } from '../../shared/backfill';
import { addDays, ageOn, type IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import { streams, type StreamEvent } from '../../shared/streams';
import type { CorrectionReason, EnrollmentEvent, SeatsEvent } from '../enrollment.events';
import { COVERED_ELSEWHERE_MESSAGE } from '../propose/allocate';
import { checkQuotaOverTime, releasedField, withReleased, type Seats } from '../released-seats';
import {
  checkAfterPreviousCoverage,
  coverageAttributes,
  programCoverageEnd,
  type EnrollmentState,
} from '../enrollment.state';

export interface CorrectEnrollment {
  type: 'CorrectEnrollment';
  /** The corrected first day of coverage; absent: unchanged. */
  coverageFrom?: IsoDate;
  /** The corrected last day (only for a coverage that ended); absent: unchanged. */
  endedOn?: IsoDate;
  reason: CorrectionReason;
  note: string | null;
  today: IsoDate;
  role: string;
  /** Opened from the participant's sealed data by the handler; null once erased. */
  birthDate: IsoDate | null;
  program: ExistingProgram;
  /** The program's seats now: a correction that adds covered days is checked against the quota on them. */
  seats: Seats;
  /**
   * The NIK's other coverages, as its registry names them (claims still held, and coverages
   * that ended) with their periods: a correction that widens this coverage may not reach them.
   */
  others: OtherCoverage[];
}

/** Another coverage (or proposal) of the same NIK, with the days it runs or is meant to run. */
export interface OtherCoverage {
  enrollmentId: string;
  programId: string;
  programName: string;
  from: IsoDate;
  to: IsoDate;
  /** Whether the caller's scope reaches the program: only then may a refusal name it. */
  visible: boolean;
}

/**
 * Corrects the period of a coverage that was approved (and possibly ended): a new event that
 * names the period it replaces, never a rewrite. The new period must lie in the program's,
 * start no later than it ends, and meet the age cap at its start. A coverage is ended by a
 * deregistration, not by a correction: only an ended one may have its last day corrected.
 * The correction's own reason is its backfill reason when it reaches back beyond the tolerance.
 */
export function decideCorrection(
  command: CorrectEnrollment,
  state: EnrollmentState,
): StreamEvent<EnrollmentEvent | NikRegistryEvent | SeatsEvent>[] {
  if (state.status === 'none')
    throw new RuleViolation('enrollment.notFound', 'Pendaftaran tidak ditemukan', 'not_found');
  if (state.status !== 'approved' && state.status !== 'deregistered') {
    throw new RuleViolation(
      'enrollment.notCovered',
      `Hanya kepesertaan yang disetujui atau sudah berakhir yang dapat dikoreksi (status sekarang: ${state.status})`,
      'conflict',
      { currentStatus: state.status },
    );
  }
  if (command.coverageFrom === undefined && command.endedOn === undefined) {
    throw new RuleViolation(
      'correction.empty',
      'Koreksi harus menyebut coverageFrom atau endedOn yang baru',
      'unprocessable',
    );
  }
  if (command.endedOn !== undefined && state.status !== 'deregistered') {
    throw new RuleViolation(
      'correction.noEnd',
      'Kepesertaan ini belum berakhir: akhiri dengan pencabutan (deregistration), bukan koreksi',
      'conflict',
    );
  }
  const previous = { coverageFrom: state.coverageFrom!, endedOn: state.endedOn };
  const coverageFrom = command.coverageFrom ?? previous.coverageFrom;
  const endedOn = command.endedOn ?? previous.endedOn;
  if (coverageFrom === previous.coverageFrom && endedOn === previous.endedOn) {
    throw new RuleViolation(
      'correction.unchanged',
      'Koreksi tidak mengubah periode perlindungan',
      'unprocessable',
    );
  }
  const from = command.program.terms.period.from;
  const end = programCoverageEnd(command.program);
  for (const [field, day] of [
    ['coverageFrom', coverageFrom],
    ['endedOn', endedOn],
  ] as const) {
    if (day !== null && (day < from || day > end)) {
      throw new RuleViolation(
        'coverage.outsidePeriod',
        `${field} harus di dalam periode program (${from} s.d. ${end})`,
        'unprocessable',
        { field, period: { from, to: end } },
      );
    }
  }
  if (endedOn !== null && coverageFrom > endedOn) {
    throw new RuleViolation(
      'correction.order',
      `Awal perlindungan (${coverageFrom}) harus sebelum atau sama dengan hari terakhirnya (${endedOn})`,
      'unprocessable',
    );
  }
  if (coverageFrom !== previous.coverageFrom) {
    checkAfterPreviousCoverage(coverageFrom, state.previousCoverageEnd);
    if (command.birthDate === null) {
      throw new RuleViolation(
        'participant.erased',
        'Data peserta sudah dihapus; awal perlindungan tidak dapat dikoreksi',
        'conflict',
      );
    }
    const age = ageOn(command.birthDate, coverageFrom);
    if (age > command.program.terms.ageCap) {
      throw new RuleViolation(
        'enrollment.ageCap',
        `Usia peserta pada awal perlindungan (${age} tahun) melebihi batas usia program (${command.program.terms.ageCap} tahun)`,
        'unprocessable',
        { ageCap: command.program.terms.ageCap },
      );
    }
  }
  // The seats after the correction: an ended coverage's seat is free after its corrected last day.
  const released =
    state.status === 'deregistered' && endedOn !== previous.endedOn
      ? withReleased(
          withReleased(command.seats.released, previous.endedOn!, -1, command.program.terms.period.from),
          endedOn!,
          1,
          command.program.terms.period.from,
        )
      : command.seats.released;
  const seats = { inUse: command.seats.inUse, released };
  // The first day the corrected coverage runs and did not before: from it on, the quota must hold.
  const firstAddedDay =
    coverageFrom < previous.coverageFrom
      ? coverageFrom
      : endedOn !== null && previous.endedOn !== null && endedOn > previous.endedOn
        ? addDays(previous.endedOn, 1)
        : null;
  if (firstAddedDay !== null) checkQuotaOverTime(command.program.terms.quota, seats, firstAddedDay);
  // One coverage per NIK: the days the correction adds may not be covered by another of the
  // NIK's coverages, including those that began or ended after this one was proposed.
  const added: (CoverageWindow & { field: 'coverageFrom' | 'endedOn' })[] = [
    ...(coverageFrom < previous.coverageFrom
      ? [{ field: 'coverageFrom' as const, from: coverageFrom, to: addDays(previous.coverageFrom, -1) }]
      : []),
    ...(endedOn !== null && previous.endedOn !== null && endedOn > previous.endedOn
      ? [{ field: 'endedOn' as const, from: addDays(previous.endedOn, 1), to: endedOn }]
      : []),
  ];
  for (const days of added) checkOtherCoverages(days, command.others, state.enrollmentId);
  // The first day whose coverage the correction changes is its effective date.
  const changed = [
    ...(coverageFrom !== previous.coverageFrom ? [coverageFrom, previous.coverageFrom] : []),
    ...(endedOn !== previous.endedOn ? [endedOn, previous.endedOn] : []),
  ];
  const marker = decideBackfill({
    effectiveDates: changed,
    today: command.today,
    toleranceDays: command.program.terms.backfillToleranceDays,
    request: { reason: command.reason, note: command.note },
    role: command.role,
  });
  const { enrollmentId, programId, participantId } = state;
  const decided: StreamEvent<EnrollmentEvent | NikRegistryEvent | SeatsEvent>[] = [
    {
      streamId: streams.enrollment(enrollmentId),
      event: {
        type: 'EnrollmentCorrected',
        data: {
          enrollmentId,
          programId,
          participantId,
          previous,
          coverageFrom,
          endedOn,
          reason: command.reason,
          note: command.note,
          correctedOn: command.today,
          ...coverageAttributes(state),
          ...backfillField(marker),
        },
      },
    },
  ];
  // On the seats stream, so that the quota checked above holds against concurrent decisions.
  decided.push({
    streamId: streams.seats(programId),
    event: {
      type: state.status === 'deregistered' ? 'SeatsReleased' : 'SeatsCovered',
      data: {
        programId,
        enrollmentIds: [enrollmentId],
        inUse: seats.inUse,
        ...releasedField(seats.released),
      },
    },
  });
  // The NIK registry keeps an ended coverage's period: one coverage per NIK checks against it.
  // A widened active coverage is written there too, so that a concurrent proposal or
  // correction of the same NIK that read the registry before conflicts and decides again.
  if (state.status === 'approved' && added.length > 0) {
    decided.push({
      streamId: streams.nik(state.nikKey),
      event: {
        type: 'CoverageClaimCorrected',
        data: { enrollmentId, programId, participantId, coverageFrom },
      },
    });
  }
  if (state.status === 'deregistered' && endedOn !== null) {
    decided.push({
      streamId: streams.nik(state.nikKey),
      event: {
        type: 'ReleasedCoverageCorrected',
        data: { enrollmentId, programId, participantId, coverage: { from: coverageFrom, to: endedOn } },
      },
    });
  }
  return decided;
}

/**
 * Refuses days that another coverage of the NIK holds, naming its program only when the
 * caller's scope reaches it (otherwise the neutral message of the proposal, the same rule).
 */
function checkOtherCoverages(
  days: CoverageWindow & { field: 'coverageFrom' | 'endedOn' },
  others: OtherCoverage[],
  enrollmentId: string,
): void {
  for (const other of others) {
    if (other.enrollmentId === enrollmentId) continue;
    if (other.from > days.to || days.from > other.to) continue;
    const message = other.visible
      ? `Pekerja terlindungi program "${other.programName}" (${other.programId}) dari ${other.from} sampai ${other.to}; ` +
        'periode koreksi beririsan dengannya'
      : COVERED_ELSEWHERE_MESSAGE;
    throw new RuleViolation(
      'nik.coverageOverlap',
      message,
      'conflict',
      other.visible
        ? { field: days.field, programId: other.programId, coverage: { from: other.from, to: other.to } }
        : { field: days.field },
    );
  }
}
