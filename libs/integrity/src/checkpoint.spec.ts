import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointSigner, openCheckpoint, parseVerifierKey } from './checkpoint';
import { SIGNING_KEY_FILE, loadOrCreateSigningKey, signingKeyFromEnv } from './signing-key';
import { splitNotes } from './verify';

describe('signed checkpoints (C2SP signed note, Ed25519)', () => {
  const seed = Buffer.alloc(32, 1);
  const signer = new CheckpointSigner('ledger.example/pekerja-rentan', seed);
  const key = parseVerifierKey(signer.verifierKey);
  const root = Buffer.alloc(32, 0xab);

  it('writes the checkpoint body, a blank line and one signature line, and opens it again', () => {
    const { note } = signer.sign({ origin: signer.name, size: 42, root });
    const lines = note.split('\n');
    expect(lines.slice(0, 4)).toEqual(['ledger.example/pekerja-rentan', '42', root.toString('base64'), '']);
    expect(lines[4]).toMatch(/^\u2014 ledger\.example\/pekerja-rentan [A-Za-z0-9+/]+=*$/);
    // The signature carries the key ID: first 4 bytes of SHA-256(name || \n || 0x01 || key).
    expect(Buffer.from(lines[4].split(' ')[2], 'base64').subarray(0, 4)).toEqual(signer.keyId);
    expect(Buffer.from(lines[4].split(' ')[2], 'base64')).toHaveLength(68);
    const opened = openCheckpoint(note, key);
    expect(opened).toMatchObject({ ok: true, checkpoint: { size: 42, origin: signer.name } });
  });

  it('refuses a note whose body changed, another key, another origin and malformed text', () => {
    const { note } = signer.sign({ origin: signer.name, size: 42, root });
    expect(openCheckpoint(note.replace('\n42\n', '\n43\n'), key)).toMatchObject({
      ok: false,
      reason: /no valid signature/,
    });
    const other = new CheckpointSigner(signer.name, randomBytes(32));
    expect(openCheckpoint(other.sign({ origin: signer.name, size: 42, root }).note, key)).toMatchObject({
      ok: false,
    });
    expect(openCheckpoint(note, key, 'another/origin')).toMatchObject({ ok: false, reason: /origin/ });
    expect(openCheckpoint('nonsense', key)).toMatchObject({ ok: false });
    expect(openCheckpoint(note.replace('\n42\n', '\n042\n'), key)).toMatchObject({
      ok: false,
      reason: /decimal/,
    });
    // A second signature by an unknown key is ignored, as signed-note says; ours still counts.
    const cosigned = `${note}\u2014 someone-else AAAAAAAA\n`;
    expect(openCheckpoint(cosigned, key)).toMatchObject({ ok: true });
  });

  it('parses verifier keys and refuses one whose key ID does not match', () => {
    expect(key.publicKey).toEqual(signer.publicKey);
    const [name, , b64] = signer.verifierKey.split('+');
    expect(() => parseVerifierKey(`${name}+00000000+${b64}`)).toThrow(/key ID/);
    expect(() => parseVerifierKey('nothing')).toThrow();
  });

  it('splits a plain file of notes back into the notes', () => {
    const notes = [1, 2, 3].map((size) => signer.sign({ origin: signer.name, size, root }).note);
    expect(splitNotes(notes.map((n) => `${n}\n`).join(''))).toEqual(notes);
  });

  it('creates the signing key once in the data folder (0600) and reads it back; refuses a malformed one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-key-'));
    try {
      const first = loadOrCreateSigningKey(dir);
      expect(first).toHaveLength(32);
      expect(loadOrCreateSigningKey(dir)).toEqual(first);
      expect(statSync(join(dir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, SIGNING_KEY_FILE), 'utf8')).toContain(first.toString('base64'));
      writeFileSync(join(dir, SIGNING_KEY_FILE), '{"ed25519Seed":"short"}');
      expect(() => loadOrCreateSigningKey(dir)).toThrow(/malformed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(signingKeyFromEnv({ LEDGER_INTEGRITY_SIGNING_KEY: seed.toString('base64') })).toEqual(seed);
    expect(() => signingKeyFromEnv({})).toThrow(/LEDGER_INTEGRITY_SIGNING_KEY is not set/);
    expect(() => signingKeyFromEnv({ LEDGER_INTEGRITY_SIGNING_KEY: 'abc' })).toThrow(/exactly 32 bytes/);
  });
});
