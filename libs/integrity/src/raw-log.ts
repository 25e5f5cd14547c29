// The event log read straight from its tables, for the verifier: nothing of the adapters, the
// projections or the upcasters stands between the rows and the hashes recomputed from them.
import Database from 'better-sqlite3';
import { Client, types } from 'pg';
import { sqliteHashedLeaves, type HashedLeaves, type HashedLeavesOptions } from './sqlite-leaf-hashes';

export interface RawEvent {
  position: number;
  streamId: string;
  revision: number;
  type: string;
  /** JSON text as stored. */
  data: string;
  metadata: string;
  /** The leaf hash the adapter stored at append (null on a row written without one). */
  leafHash: Buffer | null;
}

/** Batches of rows in position order. */
export interface RawLog extends AsyncIterable<RawEvent[]> {
  /**
   * The leaf hashes recomputed on several threads, and the tree's roots at `sizes`, where the
   * store allows it: verify's first pass. It only ever says "every row as stored at its append"; at the first doubt verify reads
   * the rows one by one to name what changed.
   */
  hashedLeaves?(sizes: number[]): AsyncIterable<HashedLeaves>;
}

const COLUMNS = 'position, stream_id, revision, type, data, metadata, leaf_hash';
const BATCH = 20_000;

/** `threads: 0` reads row by row only; otherwise leaves are first hashed on `threads` threads. */
export function sqliteRawLog(file: string, options: HashedLeavesOptions = {}): RawLog {
  return {
    hashedLeaves: options.threads === 0 ? undefined : (sizes) => sqliteHashedLeaves(file, sizes, options),
    async *[Symbol.asyncIterator]() {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      // One sequential pass over the whole file: mapped, the rows are read without a copy per page.
      db.pragma('mmap_size = 4294967296');
      try {
        // One read transaction over the whole pass: a consistent snapshot while the ledger runs.
        db.exec('BEGIN');
        const rows = db
          .prepare(`SELECT ${COLUMNS} FROM events ORDER BY position`)
          .raw()
          .iterate() as IterableIterator<[number, string, number, string, string, string, Buffer | null]>;
        let batch: RawEvent[] = [];
        for (const [position, streamId, revision, type, data, metadata, leafHash] of rows) {
          batch.push({ position, streamId, revision, type, data, metadata, leafHash });
          if (batch.length === BATCH) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length) yield batch;
      } finally {
        db.close();
      }
    },
  };
}

export function postgresRawLog(connectionString: string, schema: string): RawLog {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  return {
    async *[Symbol.asyncIterator]() {
      const client = new Client({
        connectionString,
        application_name: 'ledger-verify',
        types: {
          getTypeParser: (oid: number, f?: 'text' | 'binary') =>
            oid === 20 ? Number : types.getTypeParser(oid, f),
        },
      });
      // A connection lost mid-read fails the read (and verify with it), never as an unheard event.
      client.on('error', () => undefined);
      await client.connect();
      try {
        // A repeatable-read snapshot: pages of one consistent log, keyed by position.
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        let after = -Infinity;
        for (;;) {
          const { rows } = await client.query<{
            position: number;
            stream_id: string;
            revision: number;
            type: string;
            data: string;
            metadata: string;
            leaf_hash: Buffer | null;
          }>(`SELECT ${COLUMNS} FROM ${schema}.events WHERE position > $1 ORDER BY position LIMIT ${BATCH}`, [
            after === -Infinity ? -1 : after,
          ]);
          if (rows.length === 0) break;
          after = rows[rows.length - 1].position;
          yield rows.map((r) => ({
            position: r.position,
            streamId: r.stream_id,
            revision: r.revision,
            type: r.type,
            data: r.data,
            metadata: r.metadata,
            leafHash: r.leaf_hash,
          }));
        }
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    },
  };
}
