// The standalone bundle verifier: what an auditor runs on their own machine, with Node alone.
//   node dist/libs/integrity/src/bundle/verify-bundle.js bundle.json [--public-key KEY]
// It imports node built-ins and the pure tree and checkpoint code beside it (merkle.ts,
// checkpoint.ts: node:crypto only), nothing of the ledger, its stores or its configuration.
// It checks each checkpoint's signature, the consistency of each checkpoint with the next, and
// each event: its leaf hash recomputed from the stored form it carries, and its inclusion proof
// leading to the root of the last checkpoint (the root recomputed from leaf and path).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openCheckpoint, parseVerifierKey, type SignedCheckpoint, type VerifierKey } from '../checkpoint';
import { HASH_BYTES, LEAF_PREFIX, MAX_PROOF_LENGTH, verifyConsistency, verifyInclusion } from '../merkle';

export const BUNDLE_FORMAT = 'ledger-integrity-bundle/1';
/** A bundle larger than this is refused unread: the verifier's loops are bounded by it. */
export const MAX_BUNDLE_EVENTS = 10_000;
export const MAX_BUNDLE_CHECKPOINTS = 16;

/** An event as the store holds it: data and metadata as their canonical (RFC 8785) JSON text. */
export interface BundleEvent {
  position: number;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  leafIndex: number;
  /** Inclusion proof (base64 hashes) in the tree of the bundle's last checkpoint. */
  proof: string[];
}

export interface Bundle {
  format: typeof BUNDLE_FORMAT;
  /** The signed-note verifier key the checkpoints are signed with. */
  publicKey: string;
  /** Signed checkpoint notes, by increasing tree size. */
  checkpoints: string[];
  /** One consistency proof from each checkpoint to the next. */
  consistency: { from: number; to: number; proof: string[] }[];
  events: BundleEvent[];
}

export interface BundleReport {
  ok: boolean;
  /** What was checked and held, one line each. */
  held: string[];
  /** What failed, one line each; any line here makes the bundle untrustworthy. */
  failures: string[];
}

/** The leaf text of the ledger's events (RFC 8785 members in order) from their stored form. */
function leafHash(e: BundleEvent): Buffer {
  const text =
    `{"data":${e.data},"metadata":${e.metadata},"position":${e.position},` +
    `"revision":${e.revision},"stream":${JSON.stringify(e.stream)},"type":${JSON.stringify(e.type)}}`;
  return createHash('sha256').update(LEAF_PREFIX).update(text, 'utf8').digest();
}

/** Base64 as the ledger writes it, and only so: a lenient decoder would let a changed byte pass. */
function hashOf(text: unknown): Buffer | undefined {
  if (typeof text !== 'string') return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === HASH_BYTES && bytes.toString('base64') === text ? bytes : undefined;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Exactly these members: an unknown or missing one is a bundle changed or written by something else. */
function hasExactly(v: unknown, names: string[]): v is Record<string, unknown> {
  if (!isRecord(v)) return false;
  const keys = Object.keys(v);
  return keys.length === names.length && names.every((n) => Object.prototype.hasOwnProperty.call(v, n));
}

/** The signatures of a note in canonical base64 (see hashOf): anything else is a changed note. */
function canonicalSignatures(note: string): boolean {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return false;
  return note
    .slice(split + 2, -1)
    .split('\n')
    .every((line) => {
      const b64 = line.split(' ')[2];
      return b64 !== undefined && Buffer.from(b64, 'base64').toString('base64') === b64;
    });
}

function proofOf(list: unknown, failures: string[], what: string): Buffer[] | undefined {
  if (!Array.isArray(list) || list.length > MAX_PROOF_LENGTH) {
    failures.push(`${what}: the proof is not a list of at most ${MAX_PROOF_LENGTH} hashes`);
    return undefined;
  }
  const hashes = list.map(hashOf);
  if (hashes.some((h) => h === undefined)) {
    failures.push(`${what}: a proof node is not the base64 of 32 bytes`);
    return undefined;
  }
  return hashes as Buffer[];
}

/**
 * Checks a bundle's text. `publicKey` is the key the auditor obtained on their own (the
 * ledger's published one, or a witness's record of it); without it the bundle's own key is
 * used, and the report says so, since a forger would ship their own.
 */
export function checkBundle(text: string, options: { publicKey?: string } = {}): BundleReport {
  const held: string[] = [];
  const failures: string[] = [];
  const report = () => ({ ok: failures.length === 0, held, failures });
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch {
    failures.push('the bundle is not JSON');
    return report();
  }
  if (!hasExactly(bundle, ['format', 'publicKey', 'checkpoints', 'consistency', 'events'])) {
    failures.push('the bundle does not have the members of a ledger integrity bundle');
    return report();
  }
  if (bundle.format !== BUNDLE_FORMAT) {
    failures.push(`unknown bundle format ${JSON.stringify(bundle.format)} (expected ${BUNDLE_FORMAT})`);
    return report();
  }
  let key: VerifierKey;
  try {
    key = parseVerifierKey(String(bundle.publicKey));
    if (options.publicKey !== undefined) {
      const given = parseVerifierKey(options.publicKey);
      if (!given.publicKey.equals(key.publicKey) || given.name !== key.name) {
        failures.push(
          'the bundle names another key than the one given: its checkpoints are not signed by it',
        );
        return report();
      }
      held.push(`key ${options.publicKey.trim()}: the one given`);
    } else
      held.push(`key ${String(bundle.publicKey)}: taken from the bundle; compare it with the published key`);
  } catch (error) {
    failures.push(`public key: ${(error as Error).message}`);
    return report();
  }

  const notes = bundle.checkpoints;
  if (!Array.isArray(notes) || notes.length === 0 || notes.length > MAX_BUNDLE_CHECKPOINTS) {
    failures.push(`the bundle carries 1 to ${MAX_BUNDLE_CHECKPOINTS} checkpoints`);
    return report();
  }
  const checkpoints: SignedCheckpoint[] = [];
  for (const note of notes) {
    const opened =
      typeof note === 'string'
        ? openCheckpoint(note, key, key.name)
        : { ok: false as const, reason: 'not a note' };
    if (!opened.ok || !canonicalSignatures(note as string)) {
      failures.push(
        `checkpoint ${checkpoints.length + 1}: ${opened.ok ? 'a signature line is altered' : opened.reason}`,
      );
      return report();
    }
    const previous = checkpoints[checkpoints.length - 1];
    if (previous && opened.checkpoint.size <= previous.size) {
      failures.push('the checkpoints are not in increasing tree size');
      return report();
    }
    checkpoints.push(opened.checkpoint);
    held.push(
      `checkpoint of tree size ${opened.checkpoint.size}, root ${opened.checkpoint.root.toString('base64')}: signature valid`,
    );
  }

  const consistency = bundle.consistency;
  if (!Array.isArray(consistency) || consistency.length !== checkpoints.length - 1) {
    failures.push('the bundle carries one consistency proof from each checkpoint to the next');
    return report();
  }
  consistency.forEach((c: unknown, i) => {
    const [from, to] = [checkpoints[i], checkpoints[i + 1]];
    const what = `consistency ${from.size} → ${to.size}`;
    if (!hasExactly(c, ['from', 'to', 'proof']) || c.from !== from.size || c.to !== to.size) {
      failures.push(`${what}: the proof does not name these two checkpoints`);
      return;
    }
    const proof = proofOf(c.proof, failures, what);
    if (!proof) return;
    // A checkpoint of an empty tree is a prefix of every tree: there is nothing to prove.
    const refusal =
      from.size === 0
        ? proof.length
          ? 'a proof from size 0 is empty'
          : undefined
        : verifyConsistency(from.size, to.size, from.root, to.root, proof);
    if (refusal) failures.push(`${what}: ${refusal}`);
    else held.push(`${what}: the later tree extends the earlier one`);
  });

  const events = bundle.events;
  if (!Array.isArray(events) || events.length > MAX_BUNDLE_EVENTS) {
    failures.push(`the bundle carries a list of at most ${MAX_BUNDLE_EVENTS} events`);
    return report();
  }
  const last = checkpoints[checkpoints.length - 1];
  let included = 0;
  events.forEach((e: unknown, i) => {
    const fields = ['position', 'stream', 'revision', 'type', 'data', 'metadata', 'leafIndex', 'proof'];
    if (
      !hasExactly(e, fields) ||
      !isCount(e.position) ||
      !isCount(e.revision) ||
      !isCount(e.leafIndex) ||
      typeof e.stream !== 'string' ||
      typeof e.type !== 'string' ||
      typeof e.data !== 'string' ||
      typeof e.metadata !== 'string'
    ) {
      failures.push(`event ${i + 1}: not an event in its stored form (${fields.join(', ')})`);
      return;
    }
    const event = e as unknown as BundleEvent;
    const what = `event at position ${event.position} (${event.stream} revision ${event.revision})`;
    const proof = proofOf(event.proof, failures, what);
    if (!proof) return;
    const refusal = verifyInclusion(event.leafIndex, last.size, leafHash(event), proof, last.root);
    if (refusal) failures.push(`${what}: not in the tree of checkpoint ${last.size}: ${refusal}`);
    else included += 1;
  });
  if (events.length)
    held.push(
      `${included} of ${events.length} event(s): leaf recomputed, included in the tree of size ${last.size}`,
    );
  return report();
}

/** The report as the verifier prints it: what held, what failed, and the verdict last. */
export function bundleReportText(report: BundleReport): string {
  const lines = [
    ...report.held.map((line) => `ok: ${line}`),
    ...report.failures.map((line) => `FAILED: ${line}`),
    report.ok ? 'OK: the bundle holds' : `FAILED: ${report.failures.length} check(s) failed`,
  ];
  return `${lines.join('\n')}\n`;
}

function main(argv: string[]): number {
  const usage = 'usage: node verify-bundle.js BUNDLE.json [--public-key NAME+ID+KEY]';
  const [file, ...rest] = argv;
  const publicKey = rest.length === 2 && rest[0] === '--public-key' ? rest[1] : undefined;
  if (!file || file.startsWith('-') || (rest.length && publicKey === undefined)) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    process.stderr.write(`cannot read ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  const result = checkBundle(text, { publicKey });
  process.stdout.write(bundleReportText(result));
  return result.ok ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
