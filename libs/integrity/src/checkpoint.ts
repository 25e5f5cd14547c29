// Checkpoints in the C2SP formats (c2sp.org/tlog-checkpoint, c2sp.org/signed-note): the note text
//   <origin>\n<tree size>\n<base64 root hash>\n
// then an empty line and one signature line per key: "— <key name> <base64(key ID || signature)>".
// Ed25519 keys (node:crypto); the key ID is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key).
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { HASH_BYTES } from './merkle';

const ED25519 = 0x01;
/** PKCS#8 and SPKI wrappings of a raw Ed25519 key (RFC 8410), so node:crypto takes 32 bare bytes. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const SIGNATURE_DASH = '\u2014 ';

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

/** A checkpoint with its signed note, as published. */
export interface SignedCheckpoint extends Checkpoint {
  note: string;
}

export function checkpointBody({ origin, size, root }: Checkpoint): string {
  return `${origin}\n${size}\n${root.toString('base64')}\n`;
}

/** The Ed25519 key pair that signs checkpoints, named as the checkpoints' origin. */
export class CheckpointSigner {
  readonly publicKey: Buffer;
  readonly keyId: Buffer;
  private readonly privateKey: KeyObject;

  constructor(
    readonly name: string,
    seed: Buffer,
  ) {
    assertKeyName(name);
    if (seed.length !== 32) throw new Error('an Ed25519 signing key is 32 bytes');
    this.privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    this.publicKey = createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
    this.keyId = keyIdOf(name, this.publicKey);
  }

  /** The verifier key in the signed-note text form: `<name>+<hex key ID>+<base64(0x01 || public key)>`. */
  get verifierKey(): string {
    return verifierKeyOf(this.name, this.publicKey);
  }

  sign(checkpoint: Checkpoint): SignedCheckpoint {
    if (checkpoint.origin !== this.name)
      throw new Error('a checkpoint is signed by the key named as its origin');
    const body = checkpointBody(checkpoint);
    return { ...checkpoint, note: `${body}\n${this.signatureLine(body)}` };
  }

  /** One signed-note signature line over `body` (the note text, ending in a newline). */
  signatureLine(body: string): string {
    const signature = sign(null, Buffer.from(body, 'utf8'), this.privateKey);
    return `${SIGNATURE_DASH}${this.name} ${Buffer.concat([this.keyId, signature]).toString('base64')}\n`;
  }
}

export function keyIdOf(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(`${name}\n`)
    .update(Buffer.from([ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export function verifierKeyOf(name: string, publicKey: Buffer): string {
  return `${name}+${keyIdOf(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64')}`;
}

export interface VerifierKey {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
}

/** Parses `<name>+<hex key ID>+<base64(0x01 || key)>`, checking the key ID matches. */
export function parseVerifierKey(text: string): VerifierKey {
  const parts = text.trim().split('+');
  // base64 itself may hold '+': the name and the ID never do.
  const [name, id, ...rest] = parts;
  const key = Buffer.from(rest.join('+'), 'base64');
  if (!name || !/^[0-9a-f]{8}$/.test(id ?? '') || key.length !== 33 || key[0] !== ED25519)
    throw new Error('not an Ed25519 verifier key (name+keyid+base64)');
  const publicKey = key.subarray(1);
  if (!keyIdOf(name, publicKey).equals(Buffer.from(id, 'hex')))
    throw new Error('the verifier key ID does not match its key');
  return { name, keyId: Buffer.from(id, 'hex'), publicKey };
}

/** Why a note was refused, or its checkpoint. */
export type OpenedNote = { ok: true; checkpoint: SignedCheckpoint } | { ok: false; reason: string };

/**
 * Opens a signed checkpoint: the text must be well formed, name `origin` (when given), and carry
 * a valid signature by `key`; signatures by other keys are ignored, as signed-note says.
 */
export function openCheckpoint(note: string, key: VerifierKey, origin = key.name): OpenedNote {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return { ok: false, reason: 'not a signed note' };
  const body = note.slice(0, split + 1);
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) return { ok: false, reason: 'a checkpoint has an origin, a size and a root' };
  const [noteOrigin, sizeText, rootText] = lines;
  if (noteOrigin !== origin) return { ok: false, reason: `origin "${noteOrigin}" is not "${origin}"` };
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText)))
    return { ok: false, reason: 'the tree size is not a decimal number' };
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== HASH_BYTES || root.toString('base64') !== rootText)
    return { ok: false, reason: 'the root is not the base64 of 32 bytes' };
  if (!signedBy(note, key))
    return { ok: false, reason: `no valid signature by ${key.name}+${key.keyId.toString('hex')}` };
  return { ok: true, checkpoint: { origin: noteOrigin, size: Number(sizeText), root, note } };
}

/** Whether a signed note carries a valid signature by `key` (other signatures are ignored). */
export function signedBy(note: string, key: VerifierKey): boolean {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return false;
  const body = Buffer.from(note.slice(0, split + 1), 'utf8');
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, key.publicKey]),
    format: 'der',
    type: 'spki',
  });
  return note
    .slice(split + 2, -1)
    .split('\n')
    .some((line) => {
      if (!line.startsWith(SIGNATURE_DASH)) return false;
      const [name, b64] = line.slice(SIGNATURE_DASH.length).split(' ');
      if (name !== key.name || !b64) return false;
      const bytes = Buffer.from(b64, 'base64');
      if (bytes.length !== 4 + 64 || !bytes.subarray(0, 4).equals(key.keyId)) return false;
      return verify(null, body, publicKey, bytes.subarray(4));
    });
}

/** A key name (and origin) is one line of printable text without spaces or '+'. */
export function assertKeyName(name: string): void {
  if (!/^[\x21-\x2a\x2c-\x7e]{1,200}$/.test(name))
    throw new Error(`origin "${name}" must be printable ASCII without spaces or '+'`);
}
