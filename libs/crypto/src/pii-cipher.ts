import { createCipheriv, createDecipheriv, createHmac, randomFillSync } from 'node:crypto';

/**
 * Personal fields of one data subject, encrypted for the immutable event log
 * (crypto-shredding: destroying the subject's data key makes every blob of theirs unreadable).
 *
 * Stored inside event payloads as plain JSON, so every binary part is base64url text.
 */
export interface EncryptedBlob {
  /** Format version; bump it when the algorithm or the AAD changes. */
  v: 1;
  /** Key id: the data subject's id, which also names the data key in the key store. */
  kid: string;
  /** 96-bit GCM nonce, base64url. */
  iv: string;
  /** Ciphertext of the JSON-serialised fields, base64url. */
  ct: string;
  /** 128-bit GCM authentication tag, base64url. */
  tag: string;
}

/** A blob could not be decrypted: wrong key, altered bytes, a blob moved to another subject, or not a blob. */
export class PiiDecryptionError extends Error {
  readonly code = 'PII_DECRYPTION_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PiiDecryptionError';
  }
}

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
// 96 bits is GCM's native nonce size. Random nonces are safe up to ~2^32 messages per key;
// a per-person key encrypts a handful of events in its lifetime, so collisions are not a concern.
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** HMAC keys shorter than the hash output would be the weakest link of NIK pseudonymisation. */
const MIN_HMAC_SECRET_BYTES = 32;

// Nonces come from a pre-filled CSPRNG buffer: one randomBytes(12) call per blob costs more
// than the encryption itself. Each slice is handed out once and only read before the next
// refill; nonces are public, so keeping the next few hundred in memory reveals nothing.
const ivPool = Buffer.alloc(IV_BYTES * 4096);
let ivPoolOffset = ivPool.length;

function nextIv(): Buffer {
  if (ivPoolOffset === ivPool.length) {
    randomFillSync(ivPool);
    ivPoolOffset = 0;
  }
  const iv = ivPool.subarray(ivPoolOffset, ivPoolOffset + IV_BYTES);
  ivPoolOffset += IV_BYTES;
  return iv;
}

/**
 * Encrypts `fields` (any JSON-serialisable object) for one data subject with AES-256-GCM.
 * The subject id is authenticated as associated data, so a blob whose `kid` is changed
 * to another person's id no longer decrypts.
 */
export function encryptFields(key: Buffer, subjectId: string, fields: object): EncryptedBlob {
  assertKey(key);
  if (!subjectId) throw new Error('encryptFields: subjectId must not be empty');
  const iv = nextIv();
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(subjectId, 'utf8'));
  // GCM is a stream mode: update() returns all the ciphertext and final() only computes the tag.
  const ct = cipher.update(JSON.stringify(fields), 'utf8');
  cipher.final();
  return {
    v: 1,
    kid: subjectId,
    iv: iv.toString('base64url'),
    ct: ct.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  };
}

/**
 * Decrypts a blob made by {@link encryptFields}. Throws {@link PiiDecryptionError} when the
 * key is wrong or any part of the blob (including `kid`) was altered; the message never
 * contains plaintext.
 *
 * Pass `expectedSubjectId` (the subject of the event that carries the blob) to also refuse
 * a blob copied intact from another person's event: its `kid` and AAD would both still say
 * the other person, so only the caller knows it does not belong here.
 */
export function decryptFields<T extends object = Record<string, unknown>>(
  key: Buffer,
  blob: EncryptedBlob,
  expectedSubjectId?: string,
): T {
  assertKey(key);
  if (!isEncryptedBlob(blob)) throw new PiiDecryptionError('not an encrypted personal-data blob (v1)');
  if (expectedSubjectId !== undefined && blob.kid !== expectedSubjectId) {
    throw new PiiDecryptionError(`blob belongs to subject ${blob.kid}, not ${expectedSubjectId}`);
  }
  const iv = Buffer.from(blob.iv, 'base64url');
  const tag = Buffer.from(blob.tag, 'base64url');
  // Checked explicitly: GCM would accept a shorter tag, which weakens authentication.
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new PiiDecryptionError(`blob of subject ${blob.kid} has a malformed iv or tag`);
  }
  let plaintext: string;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(blob.kid, 'utf8'));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([
      decipher.update(Buffer.from(blob.ct, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch (error) {
    throw new PiiDecryptionError(
      `cannot decrypt personal data of subject ${blob.kid}: wrong key or altered blob`,
      { cause: error },
    );
  }
  return JSON.parse(plaintext) as T;
}

/** Whether a value has the shape of an {@link EncryptedBlob} (not whether it decrypts). */
export function isEncryptedBlob(value: unknown): value is EncryptedBlob {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Record<string, unknown>;
  return (
    b.v === 1 &&
    typeof b.kid === 'string' &&
    b.kid !== '' &&
    typeof b.iv === 'string' &&
    typeof b.ct === 'string' &&
    typeof b.tag === 'string'
  );
}

/**
 * Keyed pseudonym of a NIK for lookups and uniqueness (e.g. a stream id suffix).
 * A NIK has little entropy (region + birth date + serial), so an unkeyed hash could be
 * reversed by enumeration; HMAC-SHA-256 under a server secret cannot be without the secret.
 *
 * Returns 64 lowercase hex characters: URL-safe, case-insensitive-safe and dash-free, so it
 * never changes a stream's category (the part before the first dash).
 * The NIK is hashed exactly as given: callers pass the validated 16-digit form, because
 * " 1603..." and "1603..." are different pseudonyms.
 */
export function nikHmac(secret: Buffer, nik: string): string {
  if (secret.length < MIN_HMAC_SECRET_BYTES) {
    throw new Error(`nikHmac: the secret must be at least ${MIN_HMAC_SECRET_BYTES} bytes`);
  }
  return createHmac('sha256', secret).update(nik, 'utf8').digest('hex');
}

function assertKey(key: Buffer): void {
  // A wrong-sized key is a programming error; node would also throw, but with a vaguer message.
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new Error(`personal-data key must be ${KEY_BYTES} bytes`);
  }
}
