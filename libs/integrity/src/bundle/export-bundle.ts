import { canonicalJson, leafHashOf, type EventStore, type RecordedEvent } from '@ledger/event-store';
import type { IntegrityService } from '../integrity-service';
import type { StoredCheckpoint } from '../tree-store';
import { BUNDLE_FORMAT, MAX_BUNDLE_EVENTS, type Bundle, type BundleEvent } from './verify-bundle';

/** What a bundle cannot be made of; `field` names the option at fault. */
export class BundleRefusal extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface BundleSelection {
  /** The checkpoint the events are proven in (default: the latest). */
  checkpointSize?: number;
  /** An earlier checkpoint the auditor holds, proven consistent with it (default: the one before). */
  sinceSize?: number;
  /** Events by log position. */
  positions?: number[];
  /** Every event of these streams under the checkpoint (a participant's history, a program's). */
  streams?: string[];
}

/**
 * A bundle an auditor checks offline (bundle/verify-bundle.ts): two signed checkpoints, the
 * consistency proof between them, and events in their stored form with their inclusion proofs
 * in the later one. Without positions or streams, the events are those the later checkpoint
 * added since the earlier one. The raw store is read (no upcasting), and each event's leaf is
 * held against the tree before it goes in: an export never carries an event verify would name.
 */
export async function exportBundle(
  store: EventStore,
  integrity: IntegrityService,
  publicKey: string,
  selection: BundleSelection = {},
): Promise<Bundle> {
  const all = await integrity.tree.checkpoints();
  const checkpoint =
    selection.checkpointSize === undefined
      ? all[all.length - 1]
      : all.find((c) => c.size === selection.checkpointSize);
  if (!checkpoint)
    throw new BundleRefusal(
      'checkpoint',
      selection.checkpointSize === undefined
        ? 'no signed checkpoint yet: sign one first (npm run cli -- checkpoint)'
        : `no checkpoint of tree size ${selection.checkpointSize}`,
    );
  let since: StoredCheckpoint | undefined;
  if (selection.sinceSize !== undefined) {
    since = all.find((c) => c.size === selection.sinceSize);
    if (!since || since.size >= checkpoint.size)
      throw new BundleRefusal(
        'since',
        `no checkpoint of tree size ${selection.sinceSize} before ${checkpoint.size}`,
      );
  } else since = [...all].reverse().find((c) => c.size < checkpoint.size && c.size > 0);

  const positions = await selectedPositions(store, integrity, checkpoint, since, selection);
  const events: BundleEvent[] = [];
  for (const position of positions) {
    const [event] = await store.readAll({ after: position - 1, maxCount: 1 });
    if (!event || event.position !== position)
      throw new BundleRefusal('positions', `no event at position ${position}`);
    events.push(await withProof(event, integrity, checkpoint.size));
  }
  const consistency = [];
  if (since) {
    // The empty tree is a prefix of every tree: from size 0 the proof is empty.
    const proof =
      since.size === 0 ? [] : (await integrity.consistencyProof(since.size, checkpoint.size)).proof;
    consistency.push({
      from: since.size,
      to: checkpoint.size,
      proof: proof.map((h) => h.toString('base64')),
    });
  }
  return {
    format: BUNDLE_FORMAT,
    publicKey,
    checkpoints: since ? [since.note, checkpoint.note] : [checkpoint.note],
    consistency,
    events,
  };
}

async function selectedPositions(
  store: EventStore,
  integrity: IntegrityService,
  checkpoint: StoredCheckpoint,
  since: StoredCheckpoint | undefined,
  selection: BundleSelection,
): Promise<number[]> {
  const tooMany = () =>
    new BundleRefusal(
      'events',
      `a bundle carries at most ${MAX_BUNDLE_EVENTS} events: choose positions or streams`,
    );
  const chosen = new Set<number>();
  for (const position of selection.positions ?? []) {
    if (!Number.isSafeInteger(position) || position < 1)
      throw new BundleRefusal('positions', `${position} is not a log position`);
    chosen.add(position);
    if (chosen.size > MAX_BUNDLE_EVENTS) throw tooMany();
  }
  for (const stream of selection.streams ?? []) {
    const events = await store.readStream(stream, { maxCount: MAX_BUNDLE_EVENTS + 1 });
    if (events.length === 0) throw new BundleRefusal('streams', `no stream ${stream}`);
    for (const event of events) {
      const index = await integrity.tree.leafIndexOf(event.position);
      if (index !== undefined && index < checkpoint.size) chosen.add(event.position);
      if (chosen.size > MAX_BUNDLE_EVENTS) throw tooMany();
    }
  }
  if (!selection.positions?.length && !selection.streams?.length) {
    const from = since?.size ?? 0;
    if (checkpoint.size - from > MAX_BUNDLE_EVENTS) throw tooMany();
    for (const leaf of await integrity.tree.leaves(from, checkpoint.size - from)) chosen.add(leaf.position);
  }
  return [...chosen].sort((a, b) => a - b);
}

async function withProof(
  event: RecordedEvent,
  integrity: IntegrityService,
  size: number,
): Promise<BundleEvent> {
  let proof;
  try {
    proof = await integrity.inclusionProof(event.position, size);
  } catch (error) {
    throw new BundleRefusal('positions', (error as Error).message);
  }
  if (!proof.leafHash.equals(leafHashOf(event)))
    throw new BundleRefusal(
      'positions',
      `the event at position ${event.position} no longer matches its leaf in the tree: run verify`,
    );
  return {
    position: event.position,
    stream: event.streamId,
    revision: event.revision,
    type: event.type,
    data: canonicalJson(event.data),
    metadata: canonicalJson(event.metadata),
    leafIndex: proof.leafIndex,
    proof: proof.proof.map((h) => h.toString('base64')),
  };
}
