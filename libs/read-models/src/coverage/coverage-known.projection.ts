import type { StoreKind } from '@ledger/event-store';
import type { SumProjection, TableSpec } from '../runner/projection';
import { coverageProjection, coverageTable, type CoverageDeltaRow } from './coverage.projection';

export interface CoverageKnownRow extends CoverageDeltaRow {
  known_bucket: string;
}

/**
 * How `coverage_known` cuts the log: fine buckets of `width` log positions, and coarse ones
 * of `fanout` fine buckets. SQLite and PostgreSQL positions are sequence numbers, so 1,024
 * positions are at most 1,024 events; KurrentDB positions are byte offsets in its log, where
 * 1 MiB holds about as many events. A `knownAt` answer reads at most one fine bucket's events
 * from the log, and sums at most `fanout` fine buckets and the coarse ones below them, so the
 * rows it reads grow with the log's length divided by 64 Ki positions, not by 1 Ki.
 */
export interface KnownBuckets {
  width: number;
  fanout: number;
}

export function knownBuckets(kind: StoreKind): KnownBuckets {
  return { width: kind === 'kurrentdb' ? 1 << 20 : 1024, fanout: 64 };
}

/** Wide enough for any position below 2^53 at width 1: text that sorts as the number does. */
const BUCKET_DIGITS = 16;
const bucketText = (level: 'c' | 'f', index: number) =>
  `${level}${String(index).padStart(BUCKET_DIGITS, '0')}`;

/** The fine bucket of a log position, as fixed-width text (`f…`). */
export const fineBucket = (position: number, b: KnownBuckets) =>
  bucketText('f', Math.floor(position / b.width));

/** The coarse bucket of a log position (`c…`). */
export const coarseBucket = (position: number, b: KnownBuckets) =>
  bucketText('c', Math.floor(position / (b.width * b.fanout)));

/**
 * What coverage as known at `position` sums: the `known_bucket` ranges [from, to) that hold
 * exactly the events before the first position of `position`'s fine bucket — the coarse
 * buckets wholly before it, then the fine buckets of its coarse bucket before its own — and
 * that first position, from which the rest is read from the log.
 */
export function knownRanges(position: number, b: KnownBuckets) {
  const coarse = Math.floor(position / (b.width * b.fanout));
  const fine = Math.floor(position / b.width);
  const ranges: [string, string][] = [];
  if (coarse > 0) ranges.push([bucketText('c', 0), bucketText('c', coarse)]);
  if (fine > coarse * b.fanout) ranges.push([bucketText('f', coarse * b.fanout), bucketText('f', fine)]);
  return { ranges, partialFrom: fine * b.width };
}

const key = coverageTable.primaryKey;
/** The bucket comes right after the region and dimension, so a range of buckets is a range of the key. */
const BUCKET_AT = key.indexOf('dim') + 1;

/** The coverage deltas' columns, and the bucket of the log the delta was recorded in. */
export const coverageKnownTable: TableSpec = {
  name: 'coverage_known',
  columns: { ...coverageTable.columns, known_bucket: { type: 'text' } },
  primaryKey: [...key.slice(0, BUCKET_AT), 'known_bucket', ...key.slice(BUCKET_AT)],
};

/**
 * Coverage as the ledger knew it: the same deltas as `coverage_deltas`, each added twice,
 * keyed also by the fine and by the coarse bucket of log positions its event was recorded
 * in. Summing the buckets wholly before a position P, plus the few events of P's own fine
 * bucket read from the log, gives coverage exactly as it stood at P. `coverage_deltas` stays
 * as it is, so a report without `knownAt` reads no more rows than before. Its version follows
 * the coverage projection's: a change there (a new event, a new key) rebuilds this table too.
 */
export function coverageKnownProjection(buckets: KnownBuckets): SumProjection {
  // One instance per cut: the runtime recognises the ledger's own projections by identity.
  const name = `${buckets.width}/${buckets.fanout}`;
  const known = instances.get(name) ?? knownProjection(buckets);
  instances.set(name, known);
  return known;
}

const instances = new Map<string, SumProjection>();

function knownProjection(buckets: KnownBuckets): SumProjection {
  return {
    kind: 'sums',
    name: 'coverage_known',
    version: coverageProjection.version * 1000 + 1,
    handles: coverageProjection.handles,
    table: coverageKnownTable,
    sum: 'delta',
    deltas(recorded, add) {
      const fine = fineBucket(recorded.position, buckets);
      const coarse = coarseBucket(recorded.position, buckets);
      coverageProjection.deltas(recorded, (values, delta) => {
        const head = values.slice(0, BUCKET_AT);
        const rest = values.slice(BUCKET_AT);
        add([...head, fine, ...rest], delta);
        add([...head, coarse, ...rest], delta);
      });
    },
  };
}
