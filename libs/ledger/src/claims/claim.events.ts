import type { SealedPersonalData } from '../participants/participant.events';
import type { IsoDate } from '../shared/dates';

/** JKM: death; JKK: work accident. */
export type ClaimKind = 'JKM' | 'JKK';
export const CLAIM_KINDS: readonly ClaimKind[] = ['JKM', 'JKK'];

/** What a claim asks for. A JKM claim is always `death`. */
export type ClaimBenefit = 'death' | 'medical' | 'temporary_incapacity' | 'permanent_disability';
export const CLAIM_BENEFITS: readonly ClaimBenefit[] = [
  'death',
  'medical',
  'temporary_incapacity',
  'permanent_disability',
];

export type EligibilityReason = 'not_covered_on_event_date' | 'contribution_unpaid' | 'reported_late';

export type HeirRelationship = 'spouse' | 'child' | 'parent' | 'other';
export const HEIR_RELATIONSHIPS: readonly HeirRelationship[] = ['spouse', 'child', 'parent', 'other'];

/** One heir (*ahli waris*) as given; it travels only sealed, under the participant's key. */
export interface Heir {
  name: string;
  nik: string;
  relationship: HeirRelationship;
  bankName: string;
  accountNumber: string;
  phone: string | null;
}

export type DocumentType =
  | 'participant_card'
  | 'death_certificate'
  | 'family_card'
  | 'heirs_certificate'
  | 'id_cards'
  | 'marriage_book'
  | 'bank_book'
  | 'accident_report'
  | 'doctors_letter';
export const DOCUMENT_TYPES: readonly DocumentType[] = [
  'participant_card',
  'death_certificate',
  'family_card',
  'heirs_certificate',
  'id_cards',
  'marriage_book',
  'bank_book',
  'accident_report',
  'doctors_letter',
];

/** A document seen by the officer: its number and date; the file itself is not stored. */
export interface ClaimDocument {
  type: DocumentType;
  number: string;
  issuedOn: IsoDate;
}

export type RejectionCode =
  | 'not_covered_on_event_date'
  | 'contribution_unpaid'
  | 'reported_late'
  | 'documents_invalid'
  | 'not_work_related'
  | 'other';
export const REJECTION_CODES: readonly RejectionCode[] = [
  'not_covered_on_event_date',
  'contribution_unpaid',
  'reported_late',
  'documents_invalid',
  'not_work_related',
  'other',
];

/** One line of an approved amount, with the rule row it comes from. */
export interface BenefitLine {
  component: string;
  amount: number;
  regulation: string;
}

export type ClaimEvent =
  | {
      type: 'ClaimFiled';
      data: {
        claimId: string;
        participantId: string;
        enrollmentId: string;
        programId: string;
        /** Owner region of the program and the participant's village: for scope and reports. */
        ownerRegion: string;
        villageCode: string;
        kind: ClaimKind;
        benefit: ClaimBenefit;
        /** Date of death or of the accident. */
        eventDate: IsoDate;
        /** Day the death or accident was reported. */
        reportedOn: IsoDate;
        heirs: SealedPersonalData | null;
        heirCount: number;
        /** Children among the heirs: the education benefit counts them (at most two). */
        childHeirCount: number;
        documents: ClaimDocument[];
        eligible: boolean;
        reasons: EligibilityReason[];
        /** First covered day of the enrollment the claim relies on. */
        coverageFrom: IsoDate | null;
        declaredIncome: number;
        /** The death report this death claim is for (absent in claims filed before reports existed). */
        deathReportId?: string | null;
      };
    }
  | {
      type: 'ClaimDocumentsCompleted';
      data: { claimId: string; documents: ClaimDocument[]; completedOn: IsoDate };
    }
  | { type: 'ClaimSubmitted'; data: { claimId: string; submittedOn: IsoDate } }
  | {
      type: 'ClaimApproved';
      data: {
        claimId: string;
        amount: number;
        breakdown: BenefitLine[];
        /** Children entitled to the education benefit (paid by BPJS per school year, not in `amount`). */
        educationBenefitChildren: number;
        /** Months contributed up to the death, all enrollments (absent in approvals before it was counted). */
        contributedMonths?: number;
        approvedOn: IsoDate;
      };
    }
  | {
      type: 'ClaimRejected';
      data: { claimId: string; code: RejectionCode; note: string | null; rejectedOn: IsoDate };
    }
  | { type: 'ClaimPaid'; data: { claimId: string; paidOn: IsoDate; reference: string; amount: number } }
  | { type: 'ClaimWithdrawn'; data: { claimId: string; withdrawnOn: IsoDate; note: string | null } }
  | { type: 'ClaimReopened'; data: { claimId: string; reopenedOn: IsoDate; note: string | null } };

/**
 * The guard of one participant's claims: which claim of each kind is open, and whether a
 * death was claimed. Every filing, closing and reopening appends here at the revision it read.
 */
export type ClaimGuardEvent =
  | { type: 'ClaimOpened'; data: { claimId: string; kind: ClaimKind; death: boolean } }
  | { type: 'ClaimClosed'; data: { claimId: string; kind: ClaimKind; death: boolean; keepsDeath: boolean } }
  | DeathReportedEvent;

/** Who reported a death: how they relate to the deceased, and their name, sealed. */
export type ReporterRelationship = HeirRelationship | 'village_officer';
export const REPORTER_RELATIONSHIPS: readonly ReporterRelationship[] = [
  ...HEIR_RELATIONSHIPS,
  'village_officer',
];

export interface DeathReporter {
  name: string;
  relationship: ReporterRelationship;
  phone: string | null;
}

/**
 * A death reported without a claim (a village officer's report, say). Written on the claim
 * guard, so there is one death per person whichever comes first; a later death claim links to
 * it. The coverage running that day ends with it, in the same append.
 */
export interface DeathReportedEvent {
  type: 'DeathReported';
  data: {
    reportId: string;
    participantId: string;
    /** The coverage the death ended, if one ran that day. */
    enrollmentId: string | null;
    programId: string | null;
    villageCode: string;
    dateOfDeath: IsoDate;
    reportedOn: IsoDate;
    reporterRelationship: ReporterRelationship;
    /** The reporter's name and phone, sealed with the participant's key. */
    reporter: SealedPersonalData;
    /** The death certificate (*akta kematian*) seen: its number and date; the file is not stored. */
    certificate: { number: string; issuedOn: IsoDate };
    coverageEnded: boolean;
  };
}

/**
 * Written on the dues stream of the month of the death or accident: the claim's
 * `contribution_unpaid` relied on that month's invoice as read. A payment or an invoice racing
 * the filing appends to the same stream, so one of the two conflicts and decides again.
 */
export interface ClaimContributionCheckedEvent {
  type: 'ClaimContributionChecked';
  data: { claimId: string; enrollmentId: string; month: string; paid: boolean };
}
