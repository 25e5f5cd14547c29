import { appendFileSync } from 'node:fs';
import { isLeafReader, leafHashOf, type EventStore, type StoredLeaf } from '@ledger/event-store';
import type { CheckpointSigner } from './checkpoint';
import {
  EMPTY_ROOT,
  Frontier,
  consistencyRanges,
  foldRange,
  inclusionRanges,
  nodeKey,
  rangeNodes,
  type NodeId,
  type Range,
} from './merkle';
import type { StoredCheckpoint, TreeNode, TreeStore } from './tree-store';

/** Leaf hashes of the log in position order after `after`. */
export type LeafSource = (after: number, maxCount: number) => Promise<StoredLeaf[]>;

/** The store's own leaf hashes where it keeps them; otherwise (KurrentDB) hashed from the events read. */
export function leafSourceOf(store: EventStore): LeafSource {
  if (isLeafReader(store)) return (after, maxCount) => store.readLeaves(after, maxCount);
  return async (after, maxCount) =>
    (await store.readAll({ after, maxCount })).map((e) => ({ position: e.position, hash: leafHashOf(e) }));
}

export interface IntegrityOptions {
  /** A checkpoint once this many events have been added since the last one. */
  checkpointEvery: number;
  /** …and at least this often while events arrive (ms). */
  checkpointIntervalMs: number;
  /** Every checkpoint is also appended to this plain file (the embedded mode's data folder). */
  checkpointFile?: string;
  /** How often the builder looks for new events (ms). */
  pollMs?: number;
  batchSize?: number;
  logger?: { info(message: string, fields?: object): void; error(message: string, fields?: object): void };
  now?: () => Date;
}

/** A proof the tree cannot give: the parameter it names is outside the tree. */
export class ProofUnavailableError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface InclusionProof {
  position: number;
  leafIndex: number;
  treeSize: number;
  leafHash: Buffer;
  proof: Buffer[];
  root: Buffer;
}

export interface ConsistencyProof {
  from: number;
  to: number;
  fromRoot: Buffer;
  toRoot: Buffer;
  proof: Buffer[];
}

/**
 * Extends the tree over the log as events arrive, and signs checkpoints. Appends never wait
 * for it: it reads the leaf hashes the store wrote at append, in log order, and adds the nodes
 * each leaf completes (two hashes per event on average). It runs in the process that runs the
 * projections (the API in embedded mode, the projector in server modes); several builders on
 * one PostgreSQL schema take turns, the one that finds the tree moved on resumes from it.
 * Proofs and checkpoints are answered from the stored nodes by any process.
 */
export class IntegrityService {
  private frontier?: Frontier;
  private lastPosition = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;
  private readonly batchSize: number;
  private readonly now: () => Date;

  constructor(
    private readonly source: LeafSource,
    readonly tree: TreeStore,
    readonly signer: CheckpointSigner,
    private readonly options: IntegrityOptions,
  ) {
    this.batchSize = options.batchSize ?? 5_000;
    this.now = options.now ?? (() => new Date());
  }

  get origin(): string {
    return this.signer.name;
  }

  /** Adds every event the log holds beyond the tree; answers the tree's size. */
  async extend(): Promise<number> {
    for (;;) {
      const frontier = await this.resume();
      const leaves = await this.source(this.lastPosition, this.batchSize);
      if (leaves.length === 0) return frontier.size;
      const start = frontier.size;
      const nodes: TreeNode[] = [];
      const next = frontier.clone();
      for (const leaf of leaves) next.append(leaf.hash, (id, hash) => nodes.push({ ...id, hash }));
      if (await this.tree.extend(start, leaves, nodes)) {
        this.frontier = next;
        this.lastPosition = leaves[leaves.length - 1].position;
      } else this.frontier = undefined; // another builder went first: resume from the stored tree
      // SQLite calls block: between batches the HTTP server of the embedded mode gets its turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Extends the tree, then signs a checkpoint of it unless the latest already covers this size. */
  async checkpoint(): Promise<StoredCheckpoint> {
    const size = await this.extend();
    const latest = await this.tree.latestCheckpoint();
    if (latest && latest.size === size) return latest;
    const root = await this.root(size);
    const signed = {
      ...this.signer.sign({ origin: this.origin, size, root }),
      signedAt: this.now().toISOString(),
    };
    await this.tree.addCheckpoint(signed);
    // Published outside the database too: a plain file an operator can copy out and diff.
    if (this.options.checkpointFile) appendFileSync(this.options.checkpointFile, `${signed.note}\n`);
    this.options.logger?.info('checkpoint signed', { treeSize: size, root: root.toString('base64') });
    return signed;
  }

  /** One round of the builder: extend, and sign when N events or the interval have passed. */
  async tick(): Promise<void> {
    const size = await this.extend();
    const latest = await this.tree.latestCheckpoint();
    const added = size - (latest?.size ?? 0);
    if (added <= 0 && latest) return;
    const age = latest ? this.now().getTime() - Date.parse(latest.signedAt) : Infinity;
    if (added >= this.options.checkpointEvery || age >= this.options.checkpointIntervalMs)
      await this.checkpoint();
  }

  start(): void {
    if (this.timer || this.stopped) return;
    const round = async () => {
      this.running = this.tick().catch((error: unknown) =>
        this.options.logger?.error('integrity builder failed, retrying', { err: (error as Error).message }),
      );
      await this.running;
      if (!this.stopped) this.timer = setTimeout(round, this.options.pollMs ?? 1000).unref();
    };
    this.timer = setTimeout(round, 0).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** MTH of the first `size` leaves, from the stored nodes. */
  async root(size: number): Promise<Buffer> {
    if (size === 0) return EMPTY_ROOT;
    const [root] = await this.rangeHashes([[0, size]]);
    return root;
  }

  async inclusionProof(position: number, size?: number): Promise<InclusionProof> {
    const head = await this.tree.head();
    const treeSize = size ?? (await this.tree.latestCheckpoint())?.size ?? head.size;
    if (treeSize > head.size) throw new ProofUnavailableError('size', `the tree holds ${head.size} events`);
    const leafIndex = await this.tree.leafIndexOf(position);
    if (leafIndex === undefined)
      throw new ProofUnavailableError('position', `no event at position ${position} in the tree yet`);
    if (leafIndex >= treeSize)
      throw new ProofUnavailableError(
        'position',
        `the event at ${position} is not in the tree of ${treeSize}`,
      );
    const ranges = inclusionRanges(leafIndex, treeSize);
    const [leafHash, root, ...proof] = await this.rangeHashes([
      [leafIndex, leafIndex + 1],
      [0, treeSize],
      ...ranges,
    ]);
    return { position, leafIndex, treeSize, leafHash, proof, root };
  }

  async consistencyProof(from: number, to: number): Promise<ConsistencyProof> {
    const head = await this.tree.head();
    if (to > head.size) throw new ProofUnavailableError('to', `the tree holds ${head.size} events`);
    const ranges = consistencyRanges(from, to);
    const [fromRoot, toRoot, ...proof] = await this.rangeHashes([[0, from], [0, to], ...ranges]);
    return { from, to, fromRoot, toRoot, proof };
  }

  /** The hashes of several ranges, with one read of the nodes they need. */
  private async rangeHashes(ranges: Range[]): Promise<Buffer[]> {
    const perRange = ranges.map(([a, b]) => rangeNodes(a, b));
    const wanted = new Map<string, NodeId>();
    for (const ids of perRange) for (const id of ids) wanted.set(nodeKey(id), id);
    const nodes = await this.tree.nodes([...wanted.values()]);
    return perRange.map((ids) =>
      foldRange(
        ids.map((id) => {
          const hash = nodes.get(nodeKey(id));
          if (!hash) throw new Error(`the tree misses node ${nodeKey(id)}`);
          return hash;
        }),
      ),
    );
  }

  private async resume(): Promise<Frontier> {
    if (this.frontier) return this.frontier;
    const head = await this.tree.head();
    this.frontier = new Frontier(head.size, await this.tree.nodes(Frontier.ids(head.size)));
    this.lastPosition = head.lastPosition;
    return this.frontier;
  }
}
