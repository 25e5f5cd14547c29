import { decryptFields, encryptFields, PiiDecryptionError } from '@ledger/crypto';
import type { PersonalData, SealedPersonalData } from './participant.events';

/** Seals a person's personal fields under their own key; the subject id binds the blob to them. */
export function sealPersonal(key: Buffer, participantId: string, data: PersonalData): SealedPersonalData {
  return encryptFields(key, participantId, data);
}

/** Opens a sealed blob; null when the key was destroyed (erasure) or the blob does not open. */
export function openPersonal(
  key: Buffer | undefined,
  participantId: string,
  sealed: SealedPersonalData,
): PersonalData | null {
  if (!key) return null;
  try {
    return decryptFields<PersonalData>(key, sealed, participantId);
  } catch (error) {
    if (error instanceof PiiDecryptionError) return null;
    throw error;
  }
}
