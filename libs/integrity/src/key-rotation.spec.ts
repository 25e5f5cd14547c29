import { randomBytes } from 'node:crypto';
import { CheckpointSigner, parseVerifierKey } from './checkpoint';
import { keyChain, openRotation, signRotation } from './key-rotation';
import { EMPTY_ROOT } from './merkle';
import { verifyLog } from './verify';

const ORIGIN = 'ledger.test/rotation';
const signer = () => new CheckpointSigner(ORIGIN, randomBytes(32));
const key = (s: CheckpointSigner) => parseVerifierKey(s.verifierKey);
const noEvents = { async *[Symbol.asyncIterator]() {} };

describe('key rotation statements', () => {
  const [k1, k2, k3] = [signer(), signer(), signer()];
  const r12 = signRotation(k1, k2, new Date('2026-02-01T00:00:00Z'));
  const r23 = signRotation(k2, k3, new Date('2026-03-01T00:00:00Z'));

  it('are signed by the old and the new key and name both', () => {
    const opened = openRotation(r12, ORIGIN)!;
    expect(opened.from.publicKey).toEqual(k1.publicKey);
    expect(opened.to.publicKey).toEqual(k2.publicKey);
    expect(opened.at).toBe('2026-02-01T00:00:00.000Z');
    expect(r12.split('\n')[1]).toBe('key rotation');
  });

  it('link keys forward from the first and back from the current one', () => {
    const forward = keyChain(key(k1), [r23, r12]).map((k) => k.publicKey);
    expect(forward).toEqual([k1.publicKey, k2.publicKey, k3.publicKey]);
    const back = keyChain(key(k3), [r12, r23]).map((k) => k.publicKey);
    expect(back).toEqual([k3.publicKey, k2.publicKey, k1.publicKey]);
  });

  it('refuse a statement not signed by both keys, of another origin, or altered', () => {
    const intruder = signer();
    // Signed by the intruder twice: it claims to succeed k1 without k1's signature.
    const forged = signRotation(intruder, intruder, new Date()).replace(intruder.verifierKey, k1.verifierKey);
    expect(openRotation(forged, ORIGIN)).toBeUndefined();
    const onlyOld = r12.split('\n').slice(0, -2).join('\n') + '\n';
    expect(openRotation(onlyOld, ORIGIN)).toBeUndefined();
    expect(openRotation(r12.replace('2026-02-01', '2026-02-02'), ORIGIN)).toBeUndefined();
    expect(openRotation(r12, 'another/origin')).toBeUndefined();
    expect(keyChain(key(k1), [forged]).map((k) => k.publicKey)).toEqual([k1.publicKey]);
  });

  it('let verify accept checkpoints of a rotated key, and refuse them without the statement', async () => {
    const before = k1.sign({ origin: ORIGIN, size: 0, root: EMPTY_ROOT }).note;
    const after = k2.sign({ origin: ORIGIN, size: 0, root: EMPTY_ROOT }).note;
    const input = { log: noEvents, notes: [before, after], key: key(k1), origin: ORIGIN };
    expect(await verifyLog({ ...input, rotations: [r12] })).toMatchObject({ ok: true, holdsUpTo: 0 });
    const without = await verifyLog(input);
    expect(without.ok).toBe(false);
    expect(without.findings.map((f) => f.kind)).toEqual(['checkpoint-signature']);
  });
});
