import { canonicalJson, hashLeafText, leafText } from '@ledger/event-store';
import type { Finding } from './finding';
import type { LeafColumn } from './leaf-column';
import type { RawEvent } from './raw-log';
import type { TreeLeaf } from './tree-store';

/**
 * Compares the recomputed leaves from index `from` with those the tree recorded at append, by
 * log position: a recorded position without an event is a removal, an event at a position the
 * tree never saw an insertion, a different hash an alteration, unless the hash recorded for
 * this position is now found at another one (the events were moved).
 */
export async function diffWithTree(
  leaves: LeafColumn,
  from: number,
  recorded: AsyncIterable<TreeLeaf[]>,
  signedSizes: number[],
  suspects: Map<number, RawEvent>,
): Promise<Finding[]> {
  const committed: TreeLeaf[] = [];
  let same = true;
  for await (const batch of recorded) {
    for (const leaf of batch) {
      const i = leaf.index;
      if (
        same &&
        (i >= leaves.length || leaves.positions[i] !== leaf.position || !leaves.hash(i).equals(leaf.hash))
      )
        same = false;
      committed.push(leaf);
    }
  }
  // Events beyond the tree are simply not yet in it: only a difference within it is a finding.
  if (same) return [];
  const under = (index: number) => {
    const size = signedSizes.find((s) => s > index);
    return size === undefined ? 'the tree recorded at append (no checkpoint yet)' : `checkpoint ${size}`;
  };
  const current = new Map<number, number>(); // position → index, from `from` on
  for (let i = from; i < leaves.length; i++) current.set(leaves.positions[i], i);
  const recordedPositions = new Set<number>();
  const lastRecorded = committed.length ? committed[committed.length - 1].position : 0;
  const findings: Finding[] = [];
  const changed: TreeLeaf[] = [];
  for (const leaf of committed) {
    recordedPositions.add(leaf.position);
    const i = current.get(leaf.position);
    if (i === undefined)
      findings.push({
        kind: 'removed',
        position: leaf.position,
        message: `event at position ${leaf.position} (leaf ${leaf.index}) was removed; it is in ${under(leaf.index)}`,
      });
    else if (!leaves.hash(i).equals(leaf.hash)) changed.push(leaf);
  }
  // For each position whose event changed: did its recorded event move elsewhere, and is what
  // sits there now an event recorded elsewhere? Both: moved. Only the first: something was put
  // in its place (inserted). Only the second: it is gone and others moved up (removed). Neither: altered.
  const recordedAt = new Map(changed.slice(0, MAX_SUSPECTS).map((leaf) => [leaf.position, leaf.hash]));
  for (const leaf of changed) {
    const movedTo = movedFrom(leaf, suspects);
    const now = suspects.get(leaf.position);
    const nowRecordedAt = now ? recordedElsewhere(now, recordedAt) : undefined;
    const at = `position ${leaf.position}`;
    const was = movedTo ? ` (${movedTo.streamId} revision ${movedTo.revision})` : '';
    const is = now ? ` (${now.streamId} revision ${now.revision})` : '';
    const see = `see ${under(leaf.index)}`;
    const finding: Finding =
      movedTo && nowRecordedAt !== undefined
        ? {
            kind: 'reordered',
            position: leaf.position,
            message: `event recorded at ${at}${was} now sits at position ${movedTo.position}, and the one at ${at}${is} was recorded at ${nowRecordedAt}: reordered; ${see}`,
          }
        : movedTo
          ? {
              kind: 'inserted',
              position: leaf.position,
              streamId: now?.streamId,
              revision: now?.revision,
              message: `event at ${at}${is} was inserted: the one recorded there${was} now sits at position ${movedTo.position}; ${see}`,
            }
          : nowRecordedAt !== undefined
            ? {
                kind: 'removed',
                position: leaf.position,
                message: `event recorded at ${at} was removed: position ${leaf.position} now holds the one recorded at ${nowRecordedAt}${is}; ${see}`,
              }
            : {
                kind: 'altered',
                position: leaf.position,
                streamId: now?.streamId,
                revision: now?.revision,
                message: `event at ${at}${is} was altered: it differs from ${under(leaf.index)}`,
              };
    findings.push(finding);
  }
  for (const [position, i] of current) {
    if (position > lastRecorded || recordedPositions.has(position)) continue;
    findings.push({
      kind: 'inserted',
      position,
      message: `event at position ${position} (now leaf ${i}) was inserted: the tree recorded none there`,
    });
  }
  return findings;
}

export const MAX_SUSPECTS = 10_000;

/** A row now at another position whose content, put back at the recorded position, gives the recorded leaf. */
function movedFrom(leaf: TreeLeaf, suspects: Map<number, RawEvent>): RawEvent | undefined {
  for (const row of suspects.values()) {
    if (row.position === leaf.position) continue;
    if (canonicalHash(row, leaf.position).equals(leaf.hash)) return row;
  }
  return undefined;
}

/**
 * A row's leaf hash at `position` over the canonical form of its JSON; text that is no longer
 * JSON at all (a byte changed) is hashed as it is, which can only differ from what was recorded.
 */
export function canonicalHash(row: RawEvent, position: number): Buffer {
  let data = row.data;
  let metadata = row.metadata;
  try {
    data = canonicalJson(JSON.parse(row.data));
    metadata = canonicalJson(JSON.parse(row.metadata));
  } catch {
    // not JSON: hashed as stored
  }
  return hashLeafText(leafText({ ...row, position }, data, metadata));
}

/** The recorded position whose leaf this row's content would be, were it there. */
function recordedElsewhere(row: RawEvent, recordedAt: Map<number, Buffer>): number | undefined {
  for (const [position, hash] of recordedAt) {
    if (position === row.position) continue;
    if (canonicalHash(row, position).equals(hash)) return position;
  }
  return undefined;
}
