/**
 * Pure translations between the event store port and `@kurrent/kurrentdb-client`:
 * expected states, log positions and server-side filters (event payloads are in
 * kurrentdb-events.ts, the client's errors in kurrentdb-errors.ts). Nothing here talks to a
 * server, so all of it is unit tested.
 */
import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type AppendStreamState,
  type Filter,
  type Position,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import { StoreUnavailableError } from '../errors';
import { categoryOf, type ExpectedState, type LogFilter } from '../port';

// ---------------------------------------------------------------------------------------------
// Expected state
// ---------------------------------------------------------------------------------------------

/** The port's expectation as the client's stream state; revisions travel as BigInt. */
export function toStreamState(expected: ExpectedState): AppendStreamState {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

/** The reverse, only needed when a conflict names a stream the request did not (should not happen). */
export function fromStreamState(state: AppendStreamState): ExpectedState {
  switch (state) {
    case ANY:
      return 'any';
    case NO_STREAM:
      return 'no_stream';
    case STREAM_EXISTS:
      return 'exists';
    default:
      return Number(state);
  }
}

// ---------------------------------------------------------------------------------------------
// Positions and revisions
// ---------------------------------------------------------------------------------------------

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A KurrentDB log position (an unsigned 64-bit byte offset into the transaction log) as the
 * port's number. 2^53 bytes is 8 PiB of log, far beyond any ledger (see port.ts), so the
 * conversion is exact in practice; a position outside that range (including the client's
 * "no position" value 2^64-1) is refused loudly, because a rounded position would make a
 * subscriber silently skip or repeat events.
 */
export function positionToNumber(position: bigint): number {
  if (position < 0n || position > MAX_SAFE) {
    throw new StoreUnavailableError(
      `KurrentDB reported log position ${position}, which is not a usable position (0 … 2^53-1)`,
    );
  }
  return Number(position);
}

/** A stream revision as a number; the same 2^53 reasoning as positions, with far more headroom. */
export function revisionToNumber(revision: bigint): number {
  if (revision < 0n || revision > MAX_SAFE) {
    throw new StoreUnavailableError(`KurrentDB reported stream revision ${revision}, outside 0 … 2^53-1`);
  }
  return Number(revision);
}

/**
 * The KurrentDB position of an event at `position`. Every event written through the gRPC
 * append APIs (single or multi-stream) is its own committed record, so its commit and
 * prepare positions are the same offset; the port only ever hands back positions it got
 * from events.
 */
export function toKurrentPosition(position: number): Position {
  const offset = BigInt(position);
  return { commit: offset, prepare: offset };
}

/**
 * Where a read or subscription of `$all` starts for "events after `after`". KurrentDB starts
 * AT a position (inclusive), so callers also drop the event at exactly `after`; 0 means the
 * beginning of the log (no event lives at offset 0).
 */
export function toReadPosition(after: number): ReadPosition {
  return after > 0 ? toKurrentPosition(after) : START;
}

// ---------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------

/** Event types starting with '$' belong to KurrentDB itself (stats, metadata, links, projections). */
export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}

export interface LogFilterPlan {
  /**
   * What the server filters on. KurrentDB filters on ONE dimension, stream name or event
   * type: categories go to the server when given (usually the narrower one), else types,
   * else just "no system events".
   */
  server: Filter;
  /** The complete predicate (both dimensions, never system events), applied to what arrives. */
  matches(event: { streamId: string; type: string }): boolean;
  /** An empty `types` or `categories` list selects nothing, as in the SQL adapters. */
  matchesNothing: boolean;
}

/** Escapes a literal for a regex; the same escapes mean the same in .NET (the server) and JS. */
function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Stream names in these categories: the category followed by '-' or the end of the name.
 * A regex rather than prefixes, because the prefix `alpha` would also select `alphabet-1`
 * and the prefix `alpha-` would miss a stream named just `alpha`.
 */
export function categoriesRegex(categories: readonly string[]): string {
  return `^(?:${categories.map(escapeRegex).join('|')})(?:-|$)`;
}

/** Exactly these event types. */
export function eventTypesRegex(types: readonly string[]): string {
  return `^(?:${types.map(escapeRegex).join('|')})$`;
}

export function buildLogFilter({ types, categories }: LogFilter): LogFilterPlan {
  const typeSet = types ? new Set(types) : undefined;
  const categorySet = categories ? new Set(categories) : undefined;
  let server: Filter;
  if (categories && categories.length > 0) server = streamNameFilter({ regex: categoriesRegex(categories) });
  else if (types && types.length > 0) server = eventTypeFilter({ regex: eventTypesRegex(types) });
  else server = excludeSystemEvents();
  return {
    server,
    matches: ({ streamId, type }) =>
      !isSystemEventType(type) &&
      (!typeSet || typeSet.has(type)) &&
      (!categorySet || categorySet.has(categoryOf(streamId))),
    matchesNothing: typeSet?.size === 0 || categorySet?.size === 0,
  };
}
