import type { IsoDate } from '../shared/dates';
import type { Occupation } from '../shared/occupations';
import type { Sex } from '../shared/sex';

export type DeregistrationReason =
  'deceased' | 'aged_out' | 'moved_away' | 'became_wage_earner' | 'duplicate' | 'data_error' | 'voluntary';

export const DEREGISTRATION_REASONS: readonly DeregistrationReason[] = [
  'deceased',
  'aged_out',
  'moved_away',
  'became_wage_earner',
  'duplicate',
  'data_error',
  'voluntary',
];

/**
 * What coverage is counted by. Carried by every event that starts or ends coverage, so read
 * models aggregate them without looking anything up. None of it is personal on its own.
 */
export interface CoverageAttributes {
  villageCode: string;
  occupation: Occupation;
  sex: Sex;
  birthYear: number;
}

export type EnrollmentEvent =
  | {
      type: 'EnrollmentProposed';
      data: {
        enrollmentId: string;
        programId: string;
        participantId: string;
        /** HMAC of the NIK: names the registry stream whose claim this enrollment holds. */
        nikKey: string;
        villageCode: string;
        occupation: Occupation;
        sex: Sex;
        birthYear: number;
        proposedOn: IsoDate;
        importId: string | null;
      };
    }
  | {
      type: 'EnrollmentApproved';
      data: {
        enrollmentId: string;
        programId: string;
        participantId: string;
        coverageFrom: IsoDate;
        approvedOn: IsoDate;
      } & CoverageAttributes;
    }
  | {
      type: 'EnrollmentRejected';
      data: {
        enrollmentId: string;
        programId: string;
        participantId: string;
        reason: string;
        rejectedOn: IsoDate;
      };
    }
  | {
      type: 'EnrollmentDeregistered';
      data: {
        enrollmentId: string;
        programId: string;
        participantId: string;
        reason: DeregistrationReason;
        note: string | null;
        coverageFrom: IsoDate;
        /** Last day of coverage. */
        effectiveDate: IsoDate;
      } & CoverageAttributes;
    };

/**
 * The seats stream of a program is the consistency boundary of every decision taken with the
 * program's terms: proposals, approvals, rejections and deregistrations append to it, and so
 * does every change of the terms (quota, period, closure) beside its event on the program
 * stream. Two such commands racing each other therefore conflict on this one stream and the
 * loser decides again. Every event carries the count after it, so one read tells the state.
 */
export type SeatsEvent =
  | { type: 'SeatsTaken'; data: { programId: string; enrollmentIds: string[]; inUse: number } }
  | { type: 'SeatsReleased'; data: { programId: string; enrollmentIds: string[]; inUse: number } }
  /** Approved: these proposals' seats are now held by coverage (the count does not change). */
  | { type: 'SeatsCovered'; data: { programId: string; enrollmentIds: string[]; inUse: number } }
  /** The program's terms changed; `termsRevision` is the program stream's revision after the change. */
  | { type: 'SeatTermsChanged'; data: { programId: string; termsRevision: number; inUse: number } };

/**
 * Proposals refused because their NIK is covered by a program outside the caller's scope. The
 * refusal names nothing; the attempt is kept (who and when in the metadata, the NIK masked)
 * on a stream per actor, so that probing for where a person is covered shows.
 */
export interface CoverageProbeEvent {
  type: 'OutOfScopeCoverageRefused';
  data: {
    /** The program proposed to. */
    programId: string;
    importId: string | null;
    rows: { key: number; maskedNik: string }[];
  };
}
