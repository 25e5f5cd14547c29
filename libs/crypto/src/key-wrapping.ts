import { createCipheriv, createDecipheriv, randomBytes, randomFillSync } from 'node:crypto';

// One wrapped-key format and one KEK check for the SQLite and the PostgreSQL key store.

const DATA_KEY_BYTES = 32;
const KEK_BYTES = 32;
/** First byte of every wrapped key; lets a later format (e.g. KEK rotation with a key id) coexist. */
const WRAP_FORMAT = 1;
// A random 96-bit nonce per wrap: one KEK wraps one key per person, far below the ~2^32
// messages per key up to which random GCM nonces are safe.
const WRAP_IV_BYTES = 12;
const WRAP_TAG_BYTES = 16;
export const WRAPPED_BYTES = 1 + WRAP_IV_BYTES + DATA_KEY_BYTES + WRAP_TAG_BYTES;

/**
 * Wraps a data key under the KEK; the subject id is bound as AAD.
 * Layout: format byte ‖ 96-bit nonce ‖ encrypted key ‖ 128-bit tag.
 */
function wrapDataKey(kek: Buffer, subjectId: string, dataKey: Buffer): Buffer {
  const out = Buffer.alloc(WRAPPED_BYTES);
  randomFillSync(out, 1, WRAP_IV_BYTES);
  wrapInto(kek, subjectId, dataKey, out);
  return out;
}

/** Encrypts into `out`, whose nonce bytes the caller has already filled. */
function wrapInto(kek: Buffer, subjectId: string, dataKey: Buffer, out: Buffer): void {
  out[0] = WRAP_FORMAT;
  const cipher = createCipheriv('aes-256-gcm', kek, out.subarray(1, 1 + WRAP_IV_BYTES), {
    authTagLength: WRAP_TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(subjectId, 'utf8'));
  cipher.update(dataKey).copy(out, 1 + WRAP_IV_BYTES);
  cipher.final();
  cipher.getAuthTag().copy(out, WRAPPED_BYTES - WRAP_TAG_BYTES);
}

/** Unwraps a key made by {@link wrapDataKey}; throws when the KEK is wrong or the row was altered or moved. */
export function unwrapDataKey(kek: Buffer, subjectId: string, wrapped: Buffer): Buffer {
  if (wrapped.length !== WRAPPED_BYTES || wrapped[0] !== WRAP_FORMAT) {
    throw new Error(`wrapped data key of subject ${subjectId} has an unknown format`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(1, 1 + WRAP_IV_BYTES), {
      authTagLength: WRAP_TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(subjectId, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(WRAPPED_BYTES - WRAP_TAG_BYTES));
    const key = decipher.update(wrapped.subarray(1 + WRAP_IV_BYTES, WRAPPED_BYTES - WRAP_TAG_BYTES));
    decipher.final();
    return key;
  } catch (error) {
    throw new Error(
      `cannot unwrap the data key of subject ${subjectId}: wrong key-encryption key or altered key row`,
      { cause: error },
    );
  }
}

export function assertKek(kek: Buffer): void {
  if (!Buffer.isBuffer(kek) || kek.length !== KEK_BYTES) {
    throw new Error(`the key-encryption key must be ${KEK_BYTES} bytes`);
  }
}

/**
 * A value wrapped under the KEK when a key table is created and unwrapped on every open.
 * Without it, a store opened with the wrong KEK (a replaced secrets file, a mistyped
 * variable) would fail only on old keys while quietly wrapping new ones under the wrong
 * KEK, leaving a table that no single KEK can fully read.
 */
export const KEK_CHECK_NAME = 'kek_check';
const KEK_CHECK_AAD = 'ledger:person-keys:kek-check';

export function newKekCheck(kek: Buffer): Buffer {
  return wrapDataKey(kek, KEK_CHECK_AAD, randomBytes(DATA_KEY_BYTES));
}

export function verifyKekCheck(kek: Buffer, check: Buffer, where: string): void {
  try {
    unwrapDataKey(kek, KEK_CHECK_AAD, check);
  } catch (error) {
    throw new Error(`${where} was created with a different key-encryption key; refusing to open it`, {
      cause: error,
    });
  }
}

/**
 * Fresh data keys for `ids`, and the same keys wrapped. Two CSPRNG calls for the whole batch
 * (keys, then nonces) instead of two per subject, which would cost more than the wrapping.
 */
export function freshKeys(
  kek: Buffer,
  ids: string[],
): { entries: { id: string; key: Buffer; wrapped: Buffer }[]; allWrapped: Buffer } {
  const keys = randomBytes(DATA_KEY_BYTES * ids.length);
  // Filled with random bytes as a whole; wrapInto() then overwrites everything but the nonces.
  const wrapped = randomBytes(WRAPPED_BYTES * ids.length);
  const entries = ids.map((id, i) => {
    const key = keys.subarray(i * DATA_KEY_BYTES, (i + 1) * DATA_KEY_BYTES);
    const out = wrapped.subarray(i * WRAPPED_BYTES, (i + 1) * WRAPPED_BYTES);
    wrapInto(kek, id, key, out);
    return { id, key, wrapped: out };
  });
  return { entries, allWrapped: wrapped };
}
