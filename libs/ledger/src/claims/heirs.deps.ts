import { decryptFields, encryptFields, PiiDecryptionError } from '@ledger/crypto';
import type { SealedPersonalData } from '../participants/participant.events';
import type { DeathReporter, Heir } from './claim.events';

/**
 * What a claim's sealed heirs are bound to: opened with the participant's key (erasure makes
 * them unreadable) and only as the heirs of this claim.
 */
const heirsSubject = (claimId: string) => `claim-${claimId}`;

export function sealHeirs(key: Buffer, claimId: string, heirs: Heir[]): SealedPersonalData {
  return encryptFields(key, heirsSubject(claimId), { heirs });
}

/** Null when the participant's key was destroyed (erasure) or the blob does not open. */
export function openHeirs(
  key: Buffer | undefined,
  claimId: string,
  sealed: SealedPersonalData,
): Heir[] | null {
  if (!key) return null;
  try {
    return decryptFields<{ heirs: Heir[] }>(key, sealed, heirsSubject(claimId)).heirs;
  } catch (error) {
    if (error instanceof PiiDecryptionError) return null;
    throw error;
  }
}

/** Who reported a death: sealed like the heirs, bound to the participant's death report. */
const reporterSubject = (participantId: string) => `death-${participantId}`;

export function sealReporter(
  key: Buffer,
  participantId: string,
  reporter: DeathReporter,
): SealedPersonalData {
  return encryptFields(key, reporterSubject(participantId), { name: reporter.name, phone: reporter.phone });
}
