import type { BackfillMarker } from '../shared/backfill';
import type { IsoDate } from '../shared/dates';
import type { Occupation } from '../shared/occupations';
import type { Sex } from '../shared/sex';
import type { ReleasedCoverageEnds } from './released-seats';

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

/** Why a coverage ended: a deregistration's reason, or `lapsed` (contributions unpaid, see `CoverageLapsed`). */
export type EndReason = DeregistrationReason | 'lapsed';
export const END_REASONS: readonly EndReason[] = [...DEREGISTRATION_REASONS, 'lapsed'];

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
        /** Effective day of the proposal (today, or a past day for a backfill). */
        proposedOn: IsoDate;
        importId: string | null;
        /** The coverage start the proposal was checked at (program period, end, age cap). */
        intendedCoverageFrom?: IsoDate;
        /**
         * The last covered day of the NIK's latest ended coverage in another enrollment that
         * could overlap this program: an approval must start coverage after it. Absent: none.
         */
        previousCoverageEnd?: IsoDate;
        backfill?: BackfillMarker;
      };
    }
  | {
      type: 'EnrollmentApproved';
      data: {
        enrollmentId: string;
        programId: string;
        participantId: string;
        coverageFrom: IsoDate;
        /** Effective day of the decision. */
        approvedOn: IsoDate;
        backfill?: BackfillMarker;
      } & CoverageAttributes;
    }
  | {
      type: 'EnrollmentRejected';
      data: {
        enrollmentId: string;
        programId: string;
        participantId: string;
        reason: string;
        /** Effective day of the decision. */
        rejectedOn: IsoDate;
        backfill?: BackfillMarker;
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
        /** Last day of coverage (for `deceased`, the date of death). */
        effectiveDate: IsoDate;
        backfill?: BackfillMarker;
      } & CoverageAttributes;
    }
  | {
      /**
       * A coverage's period corrected (a wrong start, a last day reported late): a new fact
       * dated in the past, never a rewrite. `previous` is the period it replaces, so the read
       * models undo it and apply the new one without reading anything else.
       */
      type: 'EnrollmentCorrected';
      data: {
        enrollmentId: string;
        programId: string;
        participantId: string;
        previous: { coverageFrom: IsoDate; endedOn: IsoDate | null };
        coverageFrom: IsoDate;
        /** Last day of coverage; null while the coverage is open (it follows the program). */
        endedOn: IsoDate | null;
        reason: CorrectionReason;
        note: string | null;
        /** Effective day of the correction itself (the day it was decided). */
        correctedOn: IsoDate;
        backfill?: BackfillMarker;
      } & CoverageAttributes;
    };

export type CorrectionReason = 'correction' | 'late_report';
export const CORRECTION_REASONS: readonly CorrectionReason[] = ['correction', 'late_report'];

/**
 * The seats stream of a program is the consistency boundary of every decision taken with the
 * program's terms: proposals, approvals, rejections and deregistrations append to it, and so
 * does every change of the terms (quota, period, closure) beside its event on the program
 * stream. Two such commands racing each other therefore conflict on this one stream and the
 * loser decides again. Every event carries the count after it, and the last days of the
 * coverages whose seats were released (absent: none, as in events written before), so one
 * read tells the state.
 */
type SeatsData = { programId: string; inUse: number; released?: ReleasedCoverageEnds };
export type SeatsEvent =
  | { type: 'SeatsTaken'; data: SeatsData & { enrollmentIds: string[] } }
  | { type: 'SeatsReleased'; data: SeatsData & { enrollmentIds: string[] } }
  /** Approved (or a coverage's period corrected): these seats are held by coverage (the count does not change). */
  | { type: 'SeatsCovered'; data: SeatsData & { enrollmentIds: string[] } }
  /** The program's terms changed; `termsRevision` is the program stream's revision after the change. */
  | { type: 'SeatTermsChanged'; data: SeatsData & { termsRevision: number } }
  /**
   * A decision about money that relied on the program's terms and its coverages without
   * changing a seat (an invoice's roster frozen, a refund of months whose coverage ended):
   * written here so that a change of the terms or of a coverage racing it conflicts with it.
   */
  | { type: 'SeatsRelied'; data: SeatsData & { invoiceId: string; by: 'InvoiceIssued' | 'RefundRecorded' } };

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
