/**
 * Per-person data keys for crypto-shredding, kept outside the event log.
 *
 * Keys are stored wrapped (AES-256-GCM under a master key-encryption key, AAD = subject id),
 * so a copy of the key table alone reveals nothing and a wrapped key moved to another
 * subject's row does not unwrap. Destroying a key leaves a tombstone, so the system can tell
 * "erased" from "never existed" and never issues a new key to an erased subject.
 */
export interface PersonKeyStore {
  /**
   * The data key of every subject, creating the missing ones. Atomic: if any subject was
   * erased, throws {@link SubjectErasedError} and creates nothing — a new key for an erased
   * person would silently undo the erasure for whatever is written next, so the caller must
   * decide (typically: reject the command). Duplicate ids are allowed.
   */
  getOrCreateMany(subjectIds: string[]): Promise<Map<string, Buffer>>;
  /** The data keys that exist; a missing id was erased or never had a key (see {@link isDestroyed}). */
  getMany(subjectIds: string[]): Promise<Map<string, Buffer>>;
  /**
   * Erases a subject: deletes the wrapped key and records a tombstone. Returns true if a key
   * existed. Idempotent; also tombstones a subject that never had a key, so none is made later.
   */
  destroy(subjectId: string): Promise<boolean>;
  /** Whether the subject was erased (a tombstone exists). */
  isDestroyed(subjectId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A key was requested for subjects whose personal data was erased. */
export class SubjectErasedError extends Error {
  readonly code = 'SUBJECT_ERASED';
  constructor(readonly subjectIds: string[]) {
    const shown = subjectIds.slice(0, 5).join(', ');
    const more = subjectIds.length > 5 ? ` and ${subjectIds.length - 5} more` : '';
    super(`personal data of subject(s) ${shown}${more} was erased; no new data key is issued`);
    this.name = 'SubjectErasedError';
  }
}

export function assertSubjectId(id: string): void {
  if (typeof id !== 'string' || id === '') throw new Error('subject ids must be non-empty strings');
}

export function uniqueSubjectIds(subjectIds: string[]): string[] {
  subjectIds.forEach(assertSubjectId);
  return [...new Set(subjectIds)];
}
