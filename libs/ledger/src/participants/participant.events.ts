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
      data: { enrollmentId: string; programId: string; participantId: string; releasedOn: string };
    }
  /**
   * The participant the registry names was erased: a later proposal of the NIK registers the
   * person anew. Appended with the erasure, so a proposal that read the registry before it
   * conflicts and decides again.
   */
  | { type: 'RegistrantErased'; data: { participantId: string } };

export interface NikRegistryState {
  participantId: string | null;
  /** Claims not yet released, by enrollment id. */
  claims: Map<string, { programId: string }>;
}

export const initialNikRegistry = (): NikRegistryState => ({ participantId: null, claims: new Map() });

export function evolveNikRegistry(state: NikRegistryState, event: NikRegistryEvent): NikRegistryState {
  switch (event.type) {
    case 'CoverageClaimed': {
      // A claim names the participant behind the NIK: the first one registers them, and a
      // claim after an erasure names the person's new registration.
      const claims = new Map(state.claims);
      claims.set(event.data.enrollmentId, { programId: event.data.programId });
      return { participantId: event.data.participantId, claims };
    }
    case 'CoverageReleased': {
      const claims = new Map(state.claims);
      claims.delete(event.data.enrollmentId);
      return { ...state, claims };
    }
    case 'RegistrantErased':
      return state.participantId === event.data.participantId ? { ...state, participantId: null } : state;
  }
}
