import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** The leaf hashes of a range of the log, recomputed, with what the verifier checks across ranges. */
export interface HashedLeaves {
  /** 32 bytes per leaf, in position order. */
  hashes: Buffer;
  positions: Float64Array;
  /** Each stream met in the range with its first and last revision there. */
  streams: string[];
  firstRevisions: Float64Array;
  lastRevisions: Float64Array;
  /**
   * Every row matched the hash stored at its append and every stream's revisions ran on by one
   * within the range. When false the range stops at the first doubt: the caller verifies row by row.
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
}

/** Positions per task: small enough to balance two busy cores, large enough to cost little in messages. */
const RANGE = 32_768;
/** No more ranges than this, whatever the positions (gaps, a tampered outlier): ranges widen instead. */
const MAX_RANGES = 4096;

export interface HashedLeavesOptions {
  /** Threads hashing at once (default: the cores the machine has, at most 4). */
  threads?: number;
  /** Positions per task (default 32,768); small ones let a test cross ranges with a few events. */
  rangeSize?: number;
}

/**
 * The leaf hashes of a SQLite log, hashed on several threads: position ranges handed out in
 * turn, answered in log order. Positions are drawn under the log's write lock, so the rows up to
 * the last position read at the start are the same in every thread's snapshot.
 */
export function sqliteHashedLeaves(
  file: string,
  options: HashedLeavesOptions = {},
): AsyncIterable<HashedLeaves> {
  return {
    async *[Symbol.asyncIterator]() {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      let bounds: { low: number | null; high: number | null };
      try {
        bounds = db
          .prepare('SELECT min(position) AS low, max(position) AS high FROM events')
          .get() as typeof bounds;
      } finally {
        db.close();
      }
      if (bounds.high === null || bounds.low === null) return;
      const { low, high } = bounds;
      // A position at or below 0 (which the log never draws) is for the row-by-row pass to name.
      if (!(Number.isSafeInteger(low) && Number.isSafeInteger(high) && low > 0)) {
        yield doubt();
        return;
      }
      const width = Math.max(options.rangeSize ?? RANGE, Math.ceil((high - low + 1) / MAX_RANGES));
      const ranges: [number, number][] = [];
      for (let from = low - 1; from < high; from += width) ranges.push([from, Math.min(from + width, high)]);

      const threads = Math.max(
        1,
        Math.min(options.threads ?? Math.min(availableParallelism(), 4), ranges.length),
      );
      const workers: Worker[] = [];
      const idle: Worker[] = [];
      const answers = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();
      const pending = new Map<number, Promise<Reply>>();
      let handed = 0;
      let next = 0;
      const hand = (worker: Worker) => {
        if (handed >= ranges.length) return;
        // A few ranges per thread wait at most to be consumed: memory stays bounded.
        if (handed - next >= threads * 3) {
          idle.push(worker);
          return;
        }
        const id = handed++;
        pending.set(id, new Promise<Reply>((resolve, reject) => answers.set(id, { resolve, reject })));
        worker.postMessage({ id, from: ranges[id][0], to: ranges[id][1] });
      };
      const failAll = (error: Error) => {
        for (const answer of answers.values()) answer.reject(error);
        answers.clear();
      };
      try {
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
        for (; next < ranges.length; next++) {
          const reply = await pending.get(next)!;
          pending.delete(next);
          while (idle.length && handed < ranges.length && handed - next < threads * 3) hand(idle.pop()!);
          yield {
            hashes: Buffer.from(reply.hashes.buffer, reply.hashes.byteOffset, reply.hashes.byteLength),
            positions: reply.positions,
            streams: reply.streams,
            firstRevisions: reply.firsts,
            lastRevisions: reply.lasts,
            clean: reply.clean,
          };
          if (!reply.clean) return;
        }
      } finally {
        for (const promise of pending.values()) promise.catch(() => undefined);
        await Promise.all(workers.map((w) => w.terminate()));
      }
    },
  };
}

const doubt = (): HashedLeaves => ({
  hashes: Buffer.alloc(0),
  positions: new Float64Array(0),
  streams: [],
  firstRevisions: new Float64Array(0),
  lastRevisions: new Float64Array(0),
  clean: false,
});
