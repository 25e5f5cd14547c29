import type { StoreKind } from '@ledger/event-store';
import type { SumProjection, TableSpec } from '../runner/projection';
import { coverageProjection, coverageTable, type CoverageDeltaRow } from './coverage.projection';

export interface CoverageKnownRow extends CoverageDeltaRow {
  known_bucket: string;
}

/**
 * Log positions per bucket. SQLite and PostgreSQL positions are sequence numbers, so 1,024
 * positions are at most 1,024 events; KurrentDB positions are byte offsets in its log, where
 * 1 MiB holds about as many events. A `knownAt` answer reads at most one bucket's events from
 * the log, whatever its size, and the table keeps one row per key and bucket.
 */
export function knownBucketWidth(kind: StoreKind): number {
  return kind === 'kurrentdb' ? 1 << 20 : 1024;
}

/** Wide enough for any position below 2^53 at width 1: text that sorts as the number does. */
const BUCKET_DIGITS = 16;

/** The bucket of a log position, as fixed-width text. */
export function knownBucket(position: number, width: number): string {
  return String(Math.floor(position / width)).padStart(BUCKET_DIGITS, '0');
}

/** The coverage deltas' columns and key, and the bucket of the log the delta was recorded in. */
export const coverageKnownTable: TableSpec = {
  name: 'coverage_known',
  columns: { ...coverageTable.columns, known_bucket: { type: 'text' } },
  primaryKey: [...coverageTable.primaryKey, 'known_bucket'],
};

/**
 * Coverage as the ledger knew it: the same deltas as `coverage_deltas`, each also keyed by
 * the bucket of log positions its event was recorded in. Summing the buckets wholly before a
 * position P, plus the few events of P's own bucket read from the log, gives coverage exactly
 * as it stood at P. `coverage_deltas` stays as it is, so a report without `knownAt` reads
 * no more rows than before. Its version follows the coverage projection's: a change there
 * (a new event, a new key) rebuilds this table too.
 */
export function coverageKnownProjection(bucketWidth: number): SumProjection {
  // One instance per width: the runtime recognises the ledger's own projections by identity.
  const known = instances.get(bucketWidth) ?? knownProjection(bucketWidth);
  instances.set(bucketWidth, known);
  return known;
}

const instances = new Map<number, SumProjection>();

function knownProjection(bucketWidth: number): SumProjection {
  return {
    kind: 'sums',
    name: 'coverage_known',
    version: coverageProjection.version * 1000 + 1,
    handles: coverageProjection.handles,
    table: coverageKnownTable,
    sum: 'delta',
    deltas(recorded, add) {
      const bucket = knownBucket(recorded.position, bucketWidth);
      coverageProjection.deltas(recorded, (key, delta) => add([...key, bucket], delta));
    },
  };
}
