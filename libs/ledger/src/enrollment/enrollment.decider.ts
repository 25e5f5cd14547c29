import { ageOn, minDate, type IsoDate } from '../shared/dates';
import { RuleViolation } from '../shared/rule-violation';
import type { ProgramState } from '../programs/program.decider';
import type { DeregistrationReason, EnrollmentEvent } from './enrollment.events';
import type { Occupation } from '../shared/occupations';
import type { Sex } from '../shared/sex';

export type EnrollmentStatus = 'none' | 'proposed' | 'approved' | 'rejected' | 'deregistered';

export interface EnrollmentState {
  status: EnrollmentStatus;
  enrollmentId: string;
  programId: string;
  participantId: string;
  nikKey: string;
  villageCode: string;
  occupation: Occupation;
  sex: Sex;
  birthYear: number;
  importId: string | null;
  coverageFrom: IsoDate | null;
  endedOn: IsoDate | null;
}

export const initialEnrollmentState = (): EnrollmentState => ({
  status: 'none',
  enrollmentId: '',
  programId: '',
  participantId: '',
  nikKey: '',
  villageCode: '',
  occupation: 'lainnya',
  sex: 'L',
  birthYear: 0,
  importId: null,
  coverageFrom: null,
  endedOn: null,
});

export function evolveEnrollment(state: EnrollmentState, event: EnrollmentEvent): EnrollmentState {
  switch (event.type) {
    case 'EnrollmentProposed': {
      const {
        enrollmentId,
        programId,
        participantId,
        nikKey,
        villageCode,
        occupation,
        sex,
        birthYear,
        importId,
      } = event.data;
      return {
        ...state,
        status: 'proposed',
        enrollmentId,
        programId,
        participantId,
        nikKey,
        villageCode,
        occupation,
        sex,
        birthYear,
        importId,
      };
    }
    case 'EnrollmentApproved':
      return { ...state, status: 'approved', coverageFrom: event.data.coverageFrom };
    case 'EnrollmentRejected':
      return { ...state, status: 'rejected' };
    case 'EnrollmentDeregistered':
      return { ...state, status: 'deregistered', endedOn: event.data.effectiveDate };
  }
}

export type EnrollmentCommand =
  | {
      type: 'ApproveEnrollment';
      coverageFrom: IsoDate;
      today: IsoDate;
      /** Opened from the participant's sealed data by the handler; null once erased. */
      birthDate: IsoDate | null;
    }
  | { type: 'RejectEnrollment'; reason: string; today: IsoDate }
  | {
      type: 'DeregisterEnrollment';
      reason: DeregistrationReason;
      note: string | null;
      effectiveDate: IsoDate;
    };

type OpenProgram = Extract<ProgramState, { status: 'open' | 'closed' }>;

/** Last day a program covers anyone: its period end, or the day it was closed when earlier. */
export function lastCoveredDay(periodTo: IsoDate, closedOn: IsoDate | null): IsoDate {
  return closedOn ? minDate(periodTo, closedOn) : periodTo;
}

/** The same for a program's state. */
export function programCoverageEnd(program: OpenProgram): IsoDate {
  return lastCoveredDay(program.terms.period.to, program.closedOn);
}

function requireStatus(state: EnrollmentState, status: EnrollmentStatus, rule: string, message: string) {
  if (state.status === 'none')
    throw new RuleViolation('enrollment.notFound', 'Pendaftaran tidak ditemukan', 'not_found');
  if (state.status !== status) {
    throw new RuleViolation(rule, `${message} (status sekarang: ${state.status})`, 'conflict', {
      currentStatus: state.status,
    });
  }
}

export function decideEnrollment(
  command: EnrollmentCommand,
  state: EnrollmentState,
  program: ProgramState,
): EnrollmentEvent[] {
  if (program.status === 'none')
    throw new RuleViolation('program.notFound', 'Program tidak ditemukan', 'not_found');
  const { enrollmentId, programId, participantId } = state;
  const attributes = {
    villageCode: state.villageCode,
    occupation: state.occupation,
    sex: state.sex,
    birthYear: state.birthYear,
  };
  switch (command.type) {
    case 'ApproveEnrollment': {
      requireStatus(state, 'proposed', 'enrollment.notProposed', 'Hanya usulan yang dapat disetujui');
      if (program.status === 'closed')
        throw new RuleViolation('program.closed', 'Program sudah ditutup', 'conflict');
      const { from, to } = program.terms.period;
      if (command.coverageFrom < from || command.coverageFrom > to) {
        throw new RuleViolation(
          'coverage.outsidePeriod',
          `Tanggal mulai perlindungan harus di dalam periode program (${from} s.d. ${to})`,
          'unprocessable',
          { period: { from, to } },
        );
      }
      if (command.birthDate === null) {
        throw new RuleViolation(
          'participant.erased',
          'Data peserta sudah dihapus; usulan tidak dapat disetujui',
          'conflict',
        );
      }
      const age = ageOn(command.birthDate, command.coverageFrom);
      if (age > program.terms.ageCap) {
        throw new RuleViolation(
          'enrollment.ageCap',
          `Usia peserta pada awal perlindungan (${age} tahun) melebihi batas usia program (${program.terms.ageCap} tahun)`,
          'unprocessable',
          { ageCap: program.terms.ageCap },
        );
      }
      return [
        {
          type: 'EnrollmentApproved',
          data: {
            enrollmentId,
            programId,
            participantId,
            coverageFrom: command.coverageFrom,
            approvedOn: command.today,
            ...attributes,
          },
        },
      ];
    }
    case 'RejectEnrollment':
      requireStatus(state, 'proposed', 'enrollment.notProposed', 'Hanya usulan yang dapat ditolak');
      return [
        {
          type: 'EnrollmentRejected',
          data: { enrollmentId, programId, participantId, reason: command.reason, rejectedOn: command.today },
        },
      ];
    case 'DeregisterEnrollment': {
      requireStatus(state, 'approved', 'enrollment.notActive', 'Hanya kepesertaan aktif yang dapat diakhiri');
      const end = programCoverageEnd(program);
      if (command.effectiveDate < state.coverageFrom!) {
        throw new RuleViolation(
          'deregistration.beforeStart',
          `Tanggal berakhir tidak boleh sebelum perlindungan dimulai (${state.coverageFrom})`,
          'unprocessable',
        );
      }
      if (command.effectiveDate > end) {
        throw new RuleViolation(
          'enrollment.notActive',
          `Perlindungan sudah berakhir pada ${end} bersama periode program`,
          'conflict',
        );
      }
      return [
        {
          type: 'EnrollmentDeregistered',
          data: {
            enrollmentId,
            programId,
            participantId,
            reason: command.reason,
            note: command.note,
            coverageFrom: state.coverageFrom!,
            effectiveDate: command.effectiveDate,
            ...attributes,
          },
        },
      ];
    }
  }
}
