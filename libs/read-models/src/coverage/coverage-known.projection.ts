import type { StoreKind } from '@ledger/event-store';
import type { SumProjection, TableSpec } from '../runner/projection';
import { coverageProjection, coverageTable, type CoverageDeltaRow } from './coverage.projection';

export interface CoverageKnownRow extends CoverageDeltaRow {
  known_bucket: string;
}

/**
 * How `coverage_known` cuts the log: buckets of `widths[0]` log positions, and at each next
 * level buckets of `widths[i]` (a multiple of the level below). SQLite and PostgreSQL
 * positions are sequence numbers, so 256 positions are at most 256 events; KurrentDB positions
 * are byte offsets in its log, where 256 KiB hold about as many. A `knownAt` answer reads at
 * most one finest bucket of events from the log (parsing them is what costs: about 16 ms per
 * thousand on the build machine), sums fewer than 16 buckets of each level but the top, and
 * the top ones before it: rows that grow with the log's length over 64 Ki positions.
 */
export interface KnownBuckets {
  widths: readonly number[];
}

export function knownBuckets(kind: StoreKind): KnownBuckets {
  const finest = kind === 'kurrentdb' ? 1 << 18 : 256;
  return { widths: [finest, finest * 16, finest * 256] };
}

/** Wide enough for any position below 2^53 at width 1: text that sorts as the number does. */
const BUCKET_DIGITS = 16;
const bucketText = (level: number, index: number) => `${level}${String(index).padStart(BUCKET_DIGITS, '0')}`;

/** The bucket of a log position at a level (0 the finest), as fixed-width text. */
export const bucketAt = (position: number, b: KnownBuckets, level: number) =>
  bucketText(level, Math.floor(position / b.widths[level]));

/**
 * What coverage as known at `position` sums: the `known_bucket` ranges [from, to) that hold
 * exactly the events before the first position of `position`'s finest bucket — the top-level
 * buckets wholly before it, then at each level below the buckets between the end of those
 * above and `position`'s own — and that first position, from which the rest is read from
 * the log.
 */
export function knownRanges(position: number, b: KnownBuckets) {
  const ranges: [string, string][] = [];
  let covered = 0; // positions below this are in the ranges so far
  for (let level = b.widths.length - 1; level >= 0; level--) {
    const width = b.widths[level];
    const from = covered / width;
    const to = Math.floor(position / width);
    if (to > from) ranges.push([bucketText(level, from), bucketText(level, to)]);
    covered = to * width;
  }
  return { ranges, partialFrom: covered };
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
 * Coverage as the ledger knew it: the same deltas as `coverage_deltas`, each added once per
 * level, keyed also by the bucket of log positions its event was recorded in at that level.
 * Summing the buckets wholly before a position P, plus the few events of P's own finest
 * bucket read from the log, gives coverage exactly as it stood at P. `coverage_deltas` stays
 * as it is, so a report without `knownAt` reads no more rows than before. Its version follows
 * the coverage projection's: a change there (a new event, a new key) rebuilds this table too.
 */
export function coverageKnownProjection(buckets: KnownBuckets): SumProjection {
  // One instance per cut: the runtime recognises the ledger's own projections by identity.
  const name = buckets.widths.join('/');
  const known = instances.get(name) ?? knownProjection(buckets);
  instances.set(name, known);
  return known;
}

const instances = new Map<string, SumProjection>();

function knownProjection(buckets: KnownBuckets): SumProjection {
  const levels = buckets.widths.map((_, level) => level);
  return {
    kind: 'sums',
    name: 'coverage_known',
    version: coverageProjection.version * 1000 + 1,
    handles: coverageProjection.handles,
    table: coverageKnownTable,
    sum: 'delta',
    deltas(recorded, add) {
      const inBuckets = levels.map((level) => bucketAt(recorded.position, buckets, level));
      coverageProjection.deltas(recorded, (values, delta) => {
        const head = values.slice(0, BUCKET_AT);
        const rest = values.slice(BUCKET_AT);
        for (const bucket of inBuckets) add([...head, bucket, ...rest], delta);
      });
    },
  };
}
