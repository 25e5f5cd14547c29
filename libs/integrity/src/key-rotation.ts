// Key rotation as a statement signed by the old key and by the new one (proving both are held):
// a signed note whose text is
//   <origin>\nkey rotation\n<old verifier key>\n<new verifier key>\n<ISO instant>\n
// A verifier that trusts one key of the chain accepts every key linked to it by such statements.
import { parseVerifierKey, signedBy, type CheckpointSigner, type VerifierKey } from './checkpoint';

const ROTATION = 'key rotation';

export function signRotation(old: CheckpointSigner, next: CheckpointSigner, at: Date): string {
  if (old.name !== next.name) throw new Error('a rotation keeps the origin');
  const body = `${old.name}\n${ROTATION}\n${old.verifierKey}\n${next.verifierKey}\n${at.toISOString()}\n`;
  return `${body}\n${old.signatureLine(body)}${next.signatureLine(body)}`;
}

export interface Rotation {
  from: VerifierKey;
  to: VerifierKey;
  at: string;
}

/** A rotation statement signed by both keys it names, or undefined. */
export function openRotation(note: string, origin: string): Rotation | undefined {
  const lines = note.split('\n');
  if (lines[0] !== origin || lines[1] !== ROTATION || lines[5] !== '') return undefined;
  try {
    const from = parseVerifierKey(lines[2]);
    const to = parseVerifierKey(lines[3]);
    if (from.name !== origin || to.name !== origin || Number.isNaN(Date.parse(lines[4]))) return undefined;
    return signedBy(note, from) && signedBy(note, to) ? { from, to, at: lines[4] } : undefined;
  } catch {
    return undefined;
  }
}

const same = (a: VerifierKey, b: VerifierKey) => a.publicKey.equals(b.publicKey);

/**
 * Every key linked to `trusted` by valid rotation statements, in either direction: an auditor
 * holding the first key follows it forward, one holding the current key follows it back.
 */
export function keyChain(trusted: VerifierKey, statements: string[], origin = trusted.name): VerifierKey[] {
  const rotations = statements
    .map((s) => openRotation(s, origin))
    .filter((r): r is Rotation => r !== undefined);
  const keys = [trusted];
  for (let grew = true; grew;) {
    grew = false;
    for (const { from, to } of rotations) {
      const hasFrom = keys.some((k) => same(k, from));
      const hasTo = keys.some((k) => same(k, to));
      if (hasFrom !== hasTo) {
        keys.push(hasFrom ? to : from);
        grew = true;
      }
    }
  }
  return keys;
}
