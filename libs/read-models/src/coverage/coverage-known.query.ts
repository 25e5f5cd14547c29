import type { EventStore, RecordedEvent } from '@ledger/event-store';
import type { ProgramEvent } from '@ledger/ledger/programs/program.events';
import { evolveProgram, initialProgramState, type ProgramState } from '@ledger/ledger/programs/program.state';
import { streams } from '@ledger/ledger/shared/streams';
import { programInfoOf } from '../enrollments/program-known-at';
import type { ProgramInfo } from '../programs/programs.query';
import type { ReadQuery } from '../read-schema';
import { knownRanges, type KnownBuckets } from './coverage-known.projection';
import { coverageProjection } from './coverage.projection';

/** One delta of an event the buckets do not hold yet, keyed as `coverage_deltas` is. */
export interface PartialDelta {
  region: string;
  dim: string;
  programId: string;
  value: string;
  day: string;
  delta: number;
}

/**
 * Coverage as the ledger knew it at log position `position`: the `coverage_known` bucket
 * ranges [from, to) to sum (every event in them is before the position), the deltas of the
 * events of the position's own finest bucket up to it (read from the log, by region), and the
 * programs' terms as they stood then.
 */
export interface KnownCoverage {
  position: number;
  ranges: [string, string][];
  partial: Map<string, PartialDelta[]>;
  programs: Map<string, ProgramInfo>;
}

/** Log events per read of the position's own bucket. */
const PAGE = 256;

/**
 * Everything a coverage answer as known at `position` needs besides the buckets. The read
 * models it sums must have reached `position` (the caller waits for them, as for
 * `consistentWith`); the log is the same one they were built from.
 */
export async function coverageKnownAt(
  db: ReadQuery,
  store: EventStore,
  position: number,
  buckets: KnownBuckets,
): Promise<KnownCoverage> {
  const { ranges, partialFrom } = knownRanges(position, buckets);
  const [partial, programs] = await Promise.all([
    partialBucket(store, partialFrom, position),
    programsKnownAt(db, store, position),
  ]);
  return { position, ranges, partial, programs };
}

/**
 * The deltas of the events from `start` (the first position of `position`'s finest bucket) up
 * to `position`. The log is read unfiltered, page by page, until it reaches `position`: a
 * read filtered by type has no upper bound, and SQLite keeps no index on types, so it would
 * scan on past the position to fill its page wherever coverage events are sparse.
 * Unfiltered, it reads at most the bucket's events up to the position.
 */
async function partialBucket(
  store: EventStore,
  start: number,
  position: number,
): Promise<Map<string, PartialDelta[]>> {
  const out = new Map<string, PartialDelta[]>();
  const handles = new Set(coverageProjection.handles);
  const add = (event: RecordedEvent) =>
    coverageProjection.deltas(event, ([region, dim, programId, value, day], delta) => {
      const rows = out.get(region) ?? [];
      rows.push({ region, dim, programId, value, day, delta });
      out.set(region, rows);
    });
  let after = start - 1;
  for (;;) {
    // Positions are at least one apart: no more than `position − after` events can be due.
    const maxCount = Math.max(1, Math.min(PAGE, position - after));
    const page = await store.readAll({ ...(after < 0 ? {} : { after }), maxCount });
    for (const event of page) {
      if (event.position > position) return out;
      if (handles.has(event.type)) add(event);
    }
    if (page.length < maxCount) return out;
    after = page[page.length - 1].position;
    if (after >= position) return out;
  }
}

/**
 * A program's stream as read, and the log position up to which it is complete. The log never
 * changes below a position it has reached, so a later answer at or before that position
 * folds the same events without reading them again; programs are few, so is this.
 */
interface ProgramStream {
  complete: number;
  events: RecordedEvent[];
}

const programStreams = new WeakMap<EventStore, Map<string, ProgramStream>>();

/**
 * Each program's terms folded from its own stream up to `position`: its period and closure as
 * the ledger knew them then, not as they stand now. Programs are few (a few hundred at most);
 * a stream is read again only when asked beyond the position it was complete to. One
 * established after `position` is left out.
 */
export async function programsKnownAt(
  db: ReadQuery,
  store: EventStore,
  position: number,
): Promise<Map<string, ProgramInfo>> {
  const ids = (await db.selectFrom('programs').select('id').execute()).map((r) => r.id);
  const streamsRead = programStreams.get(store) ?? new Map<string, ProgramStream>();
  programStreams.set(store, streamsRead);
  const states = await Promise.all(
    ids.map(async (id) => {
      let read = streamsRead.get(id);
      if (!read || read.complete < position) {
        // Every event at or before the head read first is in the stream read after it.
        const complete = await store.headPosition();
        read = { complete, events: await store.readStream(streams.program(id)) };
        streamsRead.set(id, read);
      }
      let state: ProgramState = initialProgramState();
      for (const event of read.events) {
        if (event.position > position) break;
        state = evolveProgram(state, event as unknown as ProgramEvent);
      }
      return state;
    }),
  );
  const out = new Map<string, ProgramInfo>();
  for (const state of states) if (state.status !== 'none') out.set(state.programId, programInfoOf(state));
  return out;
}

/** The partial bucket's deltas in `regions` for `dims` up to `date`. */
export function partialDeltas(
  known: KnownCoverage,
  regions: readonly string[],
  dims: readonly string[],
  date: string,
): PartialDelta[] {
  const out: PartialDelta[] = [];
  if (known.partial.size === 0) return out;
  for (const region of regions) {
    for (const row of known.partial.get(region) ?? []) {
      if (row.day <= date && dims.includes(row.dim)) out.push(row);
    }
  }
  return out;
}
