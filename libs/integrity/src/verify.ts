import { hashLeafText, leafText } from '@ledger/event-store';
import { openCheckpoint, type SignedCheckpoint, type VerifierKey } from './checkpoint';
import type { Finding } from './finding';
import { keyChain } from './key-rotation';
import { LeafColumn } from './leaf-column';
import { EMPTY_ROOT, FlatFrontier } from './merkle';
import type { RawEvent, RawLog } from './raw-log';
import { canonicalHash, diffWithTree, MAX_SUSPECTS } from './tree-diff';
import type { TreeLeaf } from './tree-store';

export type { Finding, FindingKind } from './finding';

export interface VerifyReport {
  events: number;
  /** Checkpoints with a valid signature, by size, and whether the log reproduces their root. */
  checkpoints: { size: number; holds: boolean }[];
  /** The largest checkpoint up to which the log is exactly what was signed (with every one before it). */
  holdsUpTo?: number;
  findings: Finding[];
  ok: boolean;
}

export interface VerifyInput {
  log: RawLog;
  /** Signed checkpoint notes from every place they were published (database table, plain file). */
  notes: string[];
  key: VerifierKey;
  origin: string;
  /** Key rotation statements: checkpoints signed by a key linked to `key` through them count too. */
  rotations?: string[];
  /** The tree's stored leaves from an index on, to name what changed; absent: findings name checkpoints only. */
  treeLeaves?: (from: number) => AsyncIterable<TreeLeaf[]>;
}

/** Signed checkpoints by size; notes with a bad signature or a second root for one size are findings. */
function openNotes(input: VerifyInput, findings: Finding[]): SignedCheckpoint[] {
  const bySize = new Map<number, SignedCheckpoint>();
  const keys = keyChain(input.key, input.rotations ?? [], input.origin);
  for (const note of input.notes) {
    let opened = openCheckpoint(note, input.key, input.origin);
    for (const key of keys.slice(1)) {
      if (opened.ok) break;
      const attempt = openCheckpoint(note, key, input.origin);
      if (attempt.ok) opened = attempt;
    }
    const size = /^[^\n]*\n(\d+)\n/.exec(note)?.[1];
    if (!opened.ok) {
      findings.push({
        kind: 'checkpoint-signature',
        message: `checkpoint${size ? ` of size ${size}` : ''} refused: ${opened.reason}`,
      });
      continue;
    }
    const { checkpoint } = opened;
    const seen = bySize.get(checkpoint.size);
    if (seen && !seen.root.equals(checkpoint.root))
      findings.push({
        kind: 'checkpoint-conflict',
        message: `two signed checkpoints of size ${checkpoint.size} with different roots: two histories were signed`,
      });
    else bySize.set(checkpoint.size, checkpoint);
  }
  return [...bySize.values()].sort((a, b) => a.size - b.size);
}

/**
 * Recomputes every leaf from the raw rows, the tree over them and the root at each signed
 * checkpoint; checks each stream's revisions are 0, 1, 2, … and positions strictly increase;
 * and where a checkpoint no longer holds, compares the log with the leaves the tree recorded at
 * append to name each event altered, removed, inserted or moved.
 */
export async function verifyLog(input: VerifyInput): Promise<VerifyReport> {
  const findings: Finding[] = [];
  const checkpoints = openNotes(input, findings);
  if (input.log.hashedLeaves) {
    // Errors of the threads (a row SQLite cannot even quote) are the row pass's to report.
    const fast = await hashedPass(input, checkpoints).catch(() => undefined);
    if (fast) return { ...fast, findings: dedupe(findings), ok: findings.length === 0 };
  }
  const results: { size: number; holds: boolean }[] = [];
  const frontier = new FlatFrontier();
  const leaves = new LeafColumn();
  const revisions = new Map<string, number>();
  // Rows whose content no longer matches their stored hash: kept to tell a moved event from an altered one.
  const suspects = new Map<number, RawEvent>();
  let next = 0;
  let previous = 0;
  const compare = () => {
    while (next < checkpoints.length && checkpoints[next].size === leaves.length) {
      const root = leaves.length === 0 ? EMPTY_ROOT : frontier.root();
      results.push({ size: checkpoints[next].size, holds: root.equals(checkpoints[next].root) });
      next += 1;
    }
  };
  compare();
  for await (const batch of input.log) {
    for (const row of batch) {
      if (!(row.position > previous))
        findings.push({
          kind: 'position',
          position: row.position,
          message: `position ${row.position} does not follow ${previous}`,
        });
      previous = row.position;
      const expected = (revisions.get(row.streamId) ?? -1) + 1;
      if (row.revision !== expected)
        findings.push({
          kind: 'revision',
          position: row.position,
          streamId: row.streamId,
          revision: row.revision,
          message: `stream ${row.streamId}: revision ${row.revision} at position ${row.position} where ${expected} was due`,
        });
      revisions.set(row.streamId, Math.max(row.revision, expected - 1));
      // The stored text is canonical JSON when the adapter wrote it: hashed as it is. Older rows
      // (or rows rewritten in another spelling) are canonicalised first.
      let hash = hashLeafText(leafText(row, row.data, row.metadata));
      if (!row.leafHash || !hash.equals(row.leafHash)) {
        hash = canonicalHash(row, row.position);
        if ((!row.leafHash || !hash.equals(row.leafHash)) && suspects.size < MAX_SUSPECTS)
          suspects.set(row.position, row);
        if (row.leafHash && !hash.equals(row.leafHash))
          findings.push({
            kind: 'stored-hash',
            position: row.position,
            streamId: row.streamId,
            revision: row.revision,
            message: `event at position ${row.position} (${row.streamId} revision ${row.revision}) no longer matches the hash stored when it was appended`,
          });
      }
      leaves.push(row.position, hash);
      frontier.add(leaves.hashes, (leaves.length - 1) * 32);
      compare();
    }
  }
  for (; next < checkpoints.length; next++) results.push({ size: checkpoints[next].size, holds: false });

  let holdsUpTo: number | undefined;
  for (const r of results) {
    if (!r.holds) break;
    holdsUpTo = r.size;
  }
  const failing = results.filter((r) => !r.holds);
  for (const r of failing)
    findings.push({
      kind: 'checkpoint-mismatch',
      message:
        r.size > leaves.length
          ? `checkpoint of size ${r.size}: the log holds only ${leaves.length} events`
          : `checkpoint of size ${r.size}: the log no longer reproduces its root`,
    });
  // A later checkpoint holding after an earlier one failed means the earlier one was signed
  // over another history: named already as a mismatch; nothing more can be said from the log.

  if (input.treeLeaves) {
    const from = holdsUpTo ?? 0;
    const signedSizes = results.map((r) => r.size);
    findings.push(...(await diffWithTree(leaves, from, input.treeLeaves(from), signedSizes, suspects)));
  }
  const named = dedupe(findings);
  return { events: leaves.length, checkpoints: results, holdsUpTo, findings: named, ok: named.length === 0 };
}

/**
 * The first pass where the log offers it: leaf hashes recomputed on several threads, with the
 * tree's root at every checkpoint's size. It answers only when all holds — every row as hashed
 * at its append, each stream's revisions 0, 1, 2, …, every checkpoint reproduced, the recorded
 * tree the same — and undefined at the first doubt, for the row pass to name what changed.
 */
async function hashedPass(
  input: VerifyInput,
  checkpoints: SignedCheckpoint[],
): Promise<Omit<VerifyReport, 'findings' | 'ok'> | undefined> {
  const leaves = new LeafColumn();
  const lastRevision = new Map<string, number>();
  const roots = new Map<number, Buffer>([[0, EMPTY_ROOT]]);
  for await (const batch of input.log.hashedLeaves!(checkpoints.map((c) => c.size))) {
    if (!batch.clean) return undefined;
    for (let s = 0; s < batch.streams.length; s++) {
      const stream = batch.streams[s];
      if (batch.firstRevisions[s] !== (lastRevision.get(stream) ?? -1) + 1) return undefined;
      lastRevision.set(stream, batch.lastRevisions[s]);
    }
    leaves.pushAll(batch.positions, batch.hashes);
    for (const { size, root } of batch.roots) roots.set(size, root);
  }
  const results = checkpoints.map((c) => ({
    size: c.size,
    holds: roots.get(c.size)?.equals(c.root) ?? false,
  }));
  if (results.some((r) => !r.holds)) return undefined;
  const holdsUpTo = results.length ? results[results.length - 1].size : undefined;
  if (input.treeLeaves) {
    const signedSizes = results.map((r) => r.size);
    const from = holdsUpTo ?? 0;
    const diff = await diffWithTree(leaves, from, input.treeLeaves(from), signedSizes, new Map());
    if (diff.length) return undefined;
  }
  return { events: leaves.length, checkpoints: results, holdsUpTo };
}

/** One finding per event: a named change (altered, moved…) says more than its stale stored hash. */
function dedupe(findings: Finding[]): Finding[] {
  const named = new Set(
    findings
      .filter((f) => f.position !== undefined && f.kind !== 'stored-hash' && f.kind !== 'revision')
      .map((f) => f.position),
  );
  return findings
    .filter((f) => !(f.kind === 'stored-hash' && named.has(f.position)))
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

/** Splits a plain checkpoint file (notes one after another) into notes. */
export function splitNotes(text: string): string[] {
  const notes: string[] = [];
  const blocks = text.split('\n\n');
  let body: string | undefined;
  for (const block of blocks) {
    const trimmed = block.replace(/^\n+/, '');
    if (!trimmed) continue;
    if (trimmed.startsWith('\u2014 ') && body !== undefined) {
      notes.push(`${body}\n\n${trimmed.replace(/\n*$/, '')}\n`);
      body = undefined;
    } else body = trimmed.replace(/\n*$/, '');
  }
  return notes;
}
