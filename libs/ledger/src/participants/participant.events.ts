import type { Occupation } from '../shared/occupations';
import type { Sex } from '../shared/sex';

/**
 * Personal fields travel only inside an encrypted blob (AES-256-GCM under the person's own
 * key, kept outside the log). The domain treats it as opaque.
 */
export interface SealedPersonalData {
  v: 1;
  kid: string;
  iv: string;
  ct: string;
  tag: string;
}

/** What the blob holds once opened. */
export interface PersonalData {
  nik: string;
  name: string;
  birthDate: string;
  phone: string | null;
}

export type ParticipantEvent =
  | {
      type: 'ParticipantRegistered';
      data: {
        participantId: string;
        personal: SealedPersonalData;
        /** Not personal on their own, and needed for coverage breakdowns by sex and age band. */
        sex: Sex;
        birthYear: number;
        villageCode: string;
        occupation: Occupation;
      };
    }
  | { type: 'ParticipantErased'; data: { participantId: string; erasedOn: string; reason: string | null } };

/** The NIK registry: one small stream per NIK, keyed by the NIK's HMAC, never by the NIK. */
export type NikRegistryEvent =
  | { type: 'CoverageClaimed'; data: { enrollmentId: string; programId: string; participantId: string } }
  | {
      type: 'CoverageReleased';
      data: {
        enrollmentId: string;
        programId: string;
        participantId: string;
        releasedOn: string;
        /**
         * The coverage the released claim held (first and last covered day), for a
         * deregistration: the NIK stays covered until its last day, so another enrollment's
         * coverage may only start after it. Absent for a rejected proposal, and in releases
         * written before it existed (they count as no coverage).
         */
        coverage?: CoverageWindow;
      };
    }
  /**
   * A correction moved the start of a coverage whose claim is still held earlier. The claim
   * itself is unchanged; the event orders the correction among the NIK's other decisions.
   */
  | {
      type: 'CoverageClaimCorrected';
      data: { enrollmentId: string; programId: string; participantId: string; coverageFrom: string };
    }
  /** A correction moved the start or the last day of a coverage whose claim was released. */
  | {
      type: 'ReleasedCoverageCorrected';
      data: { enrollmentId: string; programId: string; participantId: string; coverage: CoverageWindow };
    }
  /**
   * A claim's coverage was approved to start on `coverageFrom`. Nothing in the registry's state
   * changes: the event puts the approval in the NIK's order of decisions, so that an approval
   * and an erasure of the person, which both append here at the revision they read, cannot both
   * pass on what the other had not yet written.
   */
  | { type: 'CoverageClaimApproved'; data: { enrollmentId: string; programId: string; coverageFrom: string } }
  /**
   * The participant the registry names was erased: a later proposal of the NIK registers the
   * person anew. Appended with the erasure, so a proposal that read the registry before it
   * conflicts and decides again.
   */
  | { type: 'RegistrantErased'; data: { participantId: string } };

/** First and last covered day. */
export interface CoverageWindow {
  from: string;
  to: string;
}

export interface NikRegistryState {
  participantId: string | null;
  /** Claims not yet released, by enrollment id. */
  claims: Map<string, { programId: string }>;
  /** Coverages that ended (deregistrations), by enrollment id: the NIK is covered until their last day. */
  ended: Map<string, { programId: string } & CoverageWindow>;
}

export const initialNikRegistry = (): NikRegistryState => ({
  participantId: null,
  claims: new Map(),
  ended: new Map(),
});

export function evolveNikRegistry(state: NikRegistryState, event: NikRegistryEvent): NikRegistryState {
  switch (event.type) {
    case 'CoverageClaimed': {
      // A claim names the participant behind the NIK: the first one registers them, and a
      // claim after an erasure names the person's new registration.
      const claims = new Map(state.claims);
      claims.set(event.data.enrollmentId, { programId: event.data.programId });
      // A lapsed coverage reinstated claims the NIK again: its ended period no longer is one.
      if (!state.ended.has(event.data.enrollmentId))
        return { ...state, participantId: event.data.participantId, claims };
      const ended = new Map(state.ended);
      ended.delete(event.data.enrollmentId);
      return { ...state, participantId: event.data.participantId, claims, ended };
    }
    case 'CoverageReleased': {
      const claims = new Map(state.claims);
      claims.delete(event.data.enrollmentId);
      const { coverage } = event.data;
      if (!coverage) return { ...state, claims };
      const ended = new Map(state.ended);
      ended.set(event.data.enrollmentId, { programId: event.data.programId, ...coverage });
      return { ...state, claims, ended };
    }
    case 'CoverageClaimCorrected':
    case 'CoverageClaimApproved':
      return state;
    case 'ReleasedCoverageCorrected': {
      const ended = new Map(state.ended);
      ended.set(event.data.enrollmentId, { programId: event.data.programId, ...event.data.coverage });
      return { ...state, ended };
    }
    case 'RegistrantErased':
      return state.participantId === event.data.participantId ? { ...state, participantId: null } : state;
  }
}
