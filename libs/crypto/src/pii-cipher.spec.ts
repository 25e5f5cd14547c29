import { randomBytes } from 'node:crypto';
import {
  decryptFields,
  encryptFields,
  isEncryptedBlob,
  nikHmac,
  PiiDecryptionError,
  type EncryptedBlob,
} from './pii-cipher';

const key = randomBytes(32);
const fields = {
  nik: '1603123456780001',
  name: 'Siti Nurhaliza',
  birthDate: '1990-05-17',
  phone: '+6281234567890',
};

/** Flips one bit of a base64url field, keeping it valid base64url of the same length. */
function flip(text: string): string {
  const bytes = Buffer.from(text, 'base64url');
  bytes[0] ^= 0x01;
  return bytes.toString('base64url');
}

describe('encryptFields / decryptFields', () => {
  it('round-trips the fields, including non-ASCII names and nested values', () => {
    const personal = { ...fields, name: 'Ñoman Çahyadi 黃', heirs: [{ name: 'Budi', bank: '0123' }] };
    const blob = encryptFields(key, 'participant-1', personal);
    expect(decryptFields(key, blob)).toEqual(personal);
  });

  it('produces a v1 blob of base64url strings that names the subject and hides the plaintext', () => {
    const blob = encryptFields(key, 'participant-1', fields);
    expect(blob).toMatchObject({ v: 1, kid: 'participant-1' });
    for (const part of [blob.iv, blob.ct, blob.tag]) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(blob.iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(blob.tag, 'base64url')).toHaveLength(16);
    expect(JSON.stringify(blob)).not.toContain('1603123456780001');
    expect(JSON.stringify(blob)).not.toContain('Siti');
    expect(isEncryptedBlob(JSON.parse(JSON.stringify(blob)))).toBe(true);
  });

  it('uses a fresh nonce for every encryption of the same fields', () => {
    const a = encryptFields(key, 'participant-1', fields);
    const b = encryptFields(key, 'participant-1', fields);
    expect(a.iv).not.toEqual(b.iv);
    expect(a.ct).not.toEqual(b.ct);
  });

  it('fails with the wrong key', () => {
    const blob = encryptFields(key, 'participant-1', fields);
    expect(() => decryptFields(randomBytes(32), blob)).toThrow(PiiDecryptionError);
  });

  it.each(['ct', 'tag', 'iv'] as const)('fails when %s was tampered with', (part) => {
    const blob = encryptFields(key, 'participant-1', fields);
    expect(() => decryptFields(key, { ...blob, [part]: flip(blob[part]) })).toThrow(PiiDecryptionError);
  });

  it('fails when the blob is relabelled as another subject (AAD), even under the same key', () => {
    const blob = encryptFields(key, 'participant-1', fields);
    expect(() => decryptFields(key, { ...blob, kid: 'participant-2' })).toThrow(PiiDecryptionError);
  });

  it('fails when an intact blob is moved into another subject’s event', () => {
    const blob = encryptFields(key, 'participant-1', fields);
    // The other subject's key does not open it...
    expect(() => decryptFields(randomBytes(32), blob, 'participant-2')).toThrow(PiiDecryptionError);
    // ...and the expected subject refuses it before any key is tried.
    expect(() => decryptFields(key, blob, 'participant-2')).toThrow(/belongs to subject participant-1/);
    expect(decryptFields(key, blob, 'participant-1')).toEqual(fields);
  });

  it('fails on a truncated tag rather than accepting a weaker check', () => {
    const blob = encryptFields(key, 'participant-1', fields);
    const shortTag = Buffer.from(blob.tag, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => decryptFields(key, { ...blob, tag: shortTag })).toThrow(PiiDecryptionError);
  });

  it('rejects something that is not a blob, and keys of the wrong size', () => {
    expect(() => decryptFields(key, { v: 2 } as unknown as EncryptedBlob)).toThrow(PiiDecryptionError);
    expect(() => encryptFields(randomBytes(16), 'participant-1', fields)).toThrow(/32 bytes/);
    expect(() => encryptFields(key, '', fields)).toThrow(/subjectId/);
  });

  it('never puts plaintext in the error message', () => {
    const blob = encryptFields(key, 'participant-1', fields);
    try {
      decryptFields(randomBytes(32), blob);
      throw new Error('decrypt should have failed');
    } catch (error) {
      expect((error as Error).message).not.toContain('Siti');
      expect((error as Error).message).toContain('participant-1');
    }
  });
});

describe('nikHmac', () => {
  const secret = randomBytes(32);

  it('is stable, URL-safe and at most 64 characters', () => {
    const a = nikHmac(secret, '1603123456780001');
    expect(nikHmac(secret, '1603123456780001')).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches HMAC-SHA-256 as computed by other tools', () => {
    // printf %s 1603123456780001 | openssl dgst -sha256 -hmac kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk
    expect(nikHmac(Buffer.alloc(32, 'k'), '1603123456780001')).toBe(
      '55bc22faec162df0636f4b34fb0134e9a02db82ed52a7b97f25a6aa81844ccab',
    );
  });

  it('differs per secret and per NIK', () => {
    const a = nikHmac(secret, '1603123456780001');
    expect(nikHmac(randomBytes(32), '1603123456780001')).not.toBe(a);
    expect(nikHmac(secret, '1603123456780002')).not.toBe(a);
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => nikHmac(Buffer.from('secret'), '1603123456780001')).toThrow(/at least 32 bytes/);
  });
});
