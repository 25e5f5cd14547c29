import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { FlatFrontier, HASH_BYTES, foldRange } from './merkle';

/** The leaf hashes of a range of the log, recomputed, with what the verifier checks across ranges. */
export interface HashedLeaves {
  /** 32 bytes per leaf, in position order. */
  hashes: Buffer;
  positions: Float64Array;
  /** Each stream met in the range with its first and last revision there. */
  streams: string[];
  firstRevisions: Float64Array;
  lastRevisions: Float64Array;
  /** The root of the tree over the log at each size asked for that ends in this range. */
  roots: { size: number; root: Buffer }[];
  /**
   * Every row matched the hash stored at its append and every stream's revisions ran on by one
   * within the range. When false the pass stops at the first doubt: the caller verifies row by row.
   */
  clean: boolean;
}

interface Reply {
  id: number;
  error?: string;
  count: number;
  clean: boolean;
  hashes: Uint8Array;
  positions: Float64Array;
  streams: string[];
  firsts: Float64Array;
  lasts: Float64Array;
  pendingAt: { size: number; hashes: Uint8Array }[];
  pending: Uint8Array;
}

/** Rows per task: a power of two, so that each range is one subtree of the tree over the log. */
const RANGE = 32_768;

export interface HashedLeavesOptions {
  /** Threads hashing at once (default: the cores the machine has, at most 4). */
  threads?: number;
  /** Rows per task, a power of two (default 32,768); small ones let a test cross ranges with a few events. */
  rangeSize?: number;
}

/**
 * The leaf hashes of a SQLite log and the roots of its tree at `sizes`, hashed on several
 * threads. The log is cut into ranges of R rows (R a power of two), so range k is the complete
 * subtree over leaves [kR, (k+1)R): each thread folds its ranges' subtrees, and this thread only
 * combines their roots. The cut points are found in this thread's read transaction (a step
 * through the table's b-tree, a few milliseconds a range); positions are drawn under the log's
 * write lock, so the rows up to the last position read at the start are the same in every
 * thread's snapshot, and a range that holds other than R rows is a doubt.
 */
export function sqliteHashedLeaves(
  file: string,
  sizes: number[],
  options: HashedLeavesOptions = {},
): AsyncIterable<HashedLeaves> {
  const range = options.rangeSize ?? RANGE;
  if (!(Number.isSafeInteger(range) && range >= 1 && Number.isInteger(Math.log2(range))))
    throw new RangeError('the rows per range are a power of two');
  const wanted = [...new Set(sizes)].filter((s) => s > 0).sort((a, b) => a - b);
  return {
    async *[Symbol.asyncIterator]() {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      db.pragma('mmap_size = 4294967296');
      const workers: Worker[] = [];
      const idle: Worker[] = [];
      const answers = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();
      const pending = new Map<number, Promise<Reply>>();
      let closed = false;
      try {
        db.exec('BEGIN');
        const { low, high } = db
          .prepare('SELECT min(position) AS low, max(position) AS high FROM events')
          .get() as { low: number | null; high: number | null };
        if (low === null || high === null) return;
        // A position at or below 0 (which the log never draws) is for the row-by-row pass to name.
        if (!(Number.isSafeInteger(low) && Number.isSafeInteger(high) && low > 0)) {
          yield doubt();
          return;
        }
        const cut = db
          .prepare(
            `SELECT position FROM events WHERE position > ? ORDER BY position LIMIT 1 OFFSET ${range - 1}`,
          )
          .pluck();
        const tasks: { from: number; to: number; last: boolean }[] = [];
        let from = 0;
        let ended = false;
        /** The next range: up to its R-th row, or to the end of the log. */
        const nextTask = () => {
          if (ended) return undefined;
          const to = cut.get(from) as number | undefined;
          const task = { from, to: to ?? high, last: to === undefined };
          ended = task.last;
          if (to !== undefined) from = to;
          tasks.push(task);
          return task;
        };

        const threads = Math.max(1, options.threads ?? Math.min(availableParallelism(), 4));
        let next = 0;
        let consumed = 0;
        const hand = (worker: Worker) => {
          // A reply that arrives once the pass is over (at a doubt) starts nothing more.
          if (closed) return;
          // A few ranges per thread wait at most to be consumed: memory stays bounded.
          if (tasks.length - consumed >= threads * 3) {
            idle.push(worker);
            return;
          }
          const id = tasks.length;
          const task = nextTask();
          if (!task) return;
          const start = id * range;
          const local = wanted.filter((s) => s > start && s <= start + range).map((s) => s - start);
          const answer = new Promise<Reply>((resolve, reject) => answers.set(id, { resolve, reject }));
          // Awaited in order below; one still in flight when the pass stops fails with nobody to hear it.
          answer.catch(() => undefined);
          pending.set(id, answer);
          worker.postMessage({ id, from: task.from, to: task.to, sizes: local });
        };
        const failAll = (error: Error) => {
          for (const answer of answers.values()) answer.reject(error);
          answers.clear();
        };
        for (let t = 0; t < threads; t++) {
          const worker = new Worker(join(__dirname, 'leaf-hash.worker.js'), { workerData: { file } });
          worker.on('message', (reply: Reply) => {
            const answer = answers.get(reply.id);
            answers.delete(reply.id);
            if (reply.error !== undefined)
              answer?.reject(new Error(`hashing the log failed: ${reply.error}`));
            else answer?.resolve(reply);
            hand(worker);
          });
          worker.on('error', failAll);
          worker.on('exit', (code) => failAll(new Error(`the leaf hasher thread ended (exit code ${code})`)));
          workers.push(worker);
          hand(worker);
          hand(worker);
        }

        // The tree over the complete ranges: each range's root is one leaf of it, at level log2 R.
        const ranges = new FlatFrontier();
        for (; next < tasks.length; next++) {
          const reply = await pending.get(next)!;
          pending.delete(next);
          consumed = next + 1;
          while (idle.length && !ended && tasks.length - consumed < threads * 3) hand(idle.pop()!);
          const task = tasks[next];
          if (!reply.clean || (!task.last && reply.count !== range)) {
            yield doubt();
            return;
          }
          const above = ranges.pendingHashes();
          const roots = reply.pendingAt.map(({ size, hashes }) => ({
            size: next * range + size,
            root: foldRange([...above, ...split(hashes)]),
          }));
          if (reply.count === range)
            ranges.add(Buffer.from(reply.pending.buffer, reply.pending.byteOffset, 32), 0);
          yield {
            hashes: Buffer.from(reply.hashes.buffer, reply.hashes.byteOffset, reply.hashes.byteLength),
            positions: reply.positions,
            streams: reply.streams,
            firstRevisions: reply.firsts,
            lastRevisions: reply.lasts,
            roots,
            clean: true,
          };
        }
      } finally {
        closed = true;
        await Promise.all(workers.map((w) => w.terminate()));
        if (db.inTransaction) db.exec('COMMIT');
        db.close();
      }
    },
  };
}

function split(hashes: Uint8Array): Buffer[] {
  const bytes = Buffer.from(hashes.buffer, hashes.byteOffset, hashes.byteLength);
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += HASH_BYTES) parts.push(bytes.subarray(at, at + HASH_BYTES));
  return parts;
}

const doubt = (): HashedLeaves => ({
  hashes: Buffer.alloc(0),
  positions: new Float64Array(0),
  streams: [],
  firstRevisions: new Float64Array(0),
  lastRevisions: new Float64Array(0),
  roots: [],
  clean: false,
});
