/**
 * Pure translations between the event store port and `@kurrent/kurrentdb-client`:
 * expected states, log positions, server-side filters, event payloads and the client's
 * error objects. Nothing here talks to a server, so all of it is unit tested.
 */
import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  AccessDeniedError,
  AppendRecordSizeExceededError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError,
  StreamTombstonedError,
  TimeoutError,
  TransactionMaxSizeExceededError,
  UnavailableError,
  UnsupportedError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  convertToCommandError,
  eventTypeFilter,
  excludeSystemEvents,
  isCommandError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendResult as ClientAppendResult,
  type AppendStreamState,
  type EventData,
  type Filter,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
// The client's own parser, so the settings read here are exactly the ones the client applies.
import { parseConnectionString } from '@kurrent/kurrentdb-client/dist/Client/parseConnectionString';
import { getGrpcStatusDetails } from '@kurrent/kurrentdb-client/dist/utils/getGrpcStatusDetails';
import { StreamAlreadyInAppendSessionErrorDetails } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/errors_pb';
import {
  InvalidAppendError,
  MultiStreamAppendUnsupportedError,
  StoreUnavailableError,
  WrongExpectedVersionError,
} from '../errors';
import {
  categoryOf,
  type EventMetadata,
  type ExpectedState,
  type LogFilter,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from '../port';

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

// ---------------------------------------------------------------------------------------------
// Events in
// ---------------------------------------------------------------------------------------------

/**
 * Name of the single metadata property that carries the whole EventMetadata as JSON in a
 * multi-stream append: that API only accepts metadata whose values are all strings
 * (the server turns them into record properties), while EventMetadata has numbers
 * (`schemaVersion`) and objects (`actor`). Reads recognise it and unwrap it.
 */
export const METADATA_PROPERTY = 'ledgerMetadata';

/** How an event's metadata is written: JSON as is (single-stream append) or string properties (multi-stream). */
export type MetadataEncoding = 'json' | 'properties';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Event types the multi-stream append accepts (KurrentDB 25.1 checks record schema names
 * against `^[a-zA-Z0-9_.$:-]+$`, answering INVALID_ARGUMENT), without the '$' of KurrentDB's
 * own types. Single-stream appends take any type, but one rule for both keeps every event
 * type writable in a multi-stream append too.
 */
const EVENT_TYPE = /^[A-Za-z0-9_.:-]+$/;

/**
 * What KurrentDB refuses in an append and the port's own check cannot know: '$' stream ids
 * (KurrentDB's system and metadata streams) and, in a multi-stream append, two streams whose
 * names differ only in case (25.1 refuses a stream appearing twice in one request with
 * ABORTED, comparing names ignoring case). Checked before anything is sent.
 */
export function validateKurrentAppends(appends: readonly StreamAppend[]): void {
  const seen = new Map<string, string>();
  for (const { streamId } of appends) {
    if (streamId.startsWith('$')) {
      throw new InvalidAppendError(
        `stream ${streamId}: stream ids starting with '$' belong to KurrentDB itself`,
      );
    }
    const folded = streamId.toUpperCase();
    const other = seen.get(folded);
    if (other !== undefined) {
      throw new InvalidAppendError(
        `streams ${other} and ${streamId} differ only in case; KurrentDB refuses them in one append`,
      );
    }
    seen.set(folded, streamId);
  }
}

/**
 * A single-stream append's result, refused when the client reports a failed expectation
 * instead of throwing. The client does that only with `throwOnAppendFailure=false`, which
 * `connectionSettings` refuses at start; this keeps a conflict from ever passing as a write.
 * (On that path the client's batch append reports the current revision as 1 whenever the
 * stream has one, so `actual` is only as good as the client's answer.)
 */
export function checkAppendResult(result: ClientAppendResult, append: StreamAppend): ClientAppendResult {
  if (result.success) return result;
  const actual = Number(result.nextExpectedRevision);
  throw new WrongExpectedVersionError(append.streamId, append.expected, actual >= 0 ? actual : -1);
}

export function encodeMetadataProperties(metadata: EventMetadata): Record<string, string> {
  return { [METADATA_PROPERTY]: JSON.stringify(metadata) };
}

/**
 * A port event as client event data. `metadata.eventId` becomes the KurrentDB event id, so
 * the server's idempotency (a retried append of the same ids is not written twice) keys on
 * the ledger's own ids; KurrentDB requires those ids to be UUIDs.
 */
export function toEventData(streamId: string, event: NewEvent, encoding: MetadataEncoding): EventData {
  const eventId: unknown = event.metadata?.eventId;
  if (typeof eventId !== 'string' || !UUID.test(eventId)) {
    throw new InvalidAppendError(
      `event ${event.type} for ${streamId}: KurrentDB needs metadata.eventId to be a UUID, got ${JSON.stringify(eventId)}`,
    );
  }
  if (!event.type) throw new InvalidAppendError(`event ${eventId} for ${streamId} has no type`);
  // Reads always leave out '$' types (KurrentDB's own events), so such an event could never be read back.
  if (isSystemEventType(event.type)) {
    throw new InvalidAppendError(
      `event type ${event.type} for ${streamId}: types starting with '$' are reserved`,
    );
  }
  if (!EVENT_TYPE.test(event.type)) {
    throw new InvalidAppendError(
      `event type ${JSON.stringify(event.type)} for ${streamId}: KurrentDB accepts only letters, digits and _ . : -`,
    );
  }
  if (event.data === undefined) {
    throw new InvalidAppendError(`event ${event.type} for ${streamId} has no data`);
  }
  return jsonEvent({
    id: eventId,
    type: event.type,
    // JSON.stringify serialises any JSON value; the client's type only names the common shapes.
    data: event.data as JSONType,
    metadata: encoding === 'json' ? (event.metadata as JSONType) : encodeMetadataProperties(event.metadata),
  });
}

// ---------------------------------------------------------------------------------------------
// Events out
// ---------------------------------------------------------------------------------------------

/**
 * The EventMetadata of a recorded event. Single-stream appends store it as JSON, multi-stream
 * appends under METADATA_PROPERTY (next to `$schema.*` properties the server adds). Events
 * written by other tools get the store's own facts as a stand-in.
 */
export function decodeMetadata(raw: unknown, event: { id: string; created: Date }): EventMetadata {
  const fallback: EventMetadata = {
    eventId: event.id,
    occurredAt: event.created.toISOString(),
    schemaVersion: 1,
  };
  if (!raw || typeof raw !== 'object' || raw instanceof Uint8Array || Array.isArray(raw)) return fallback;
  const properties = raw as Record<string, unknown>;
  const wrapped = properties[METADATA_PROPERTY];
  if (typeof wrapped === 'string') {
    try {
      return JSON.parse(wrapped) as EventMetadata;
    } catch {
      // Not ours after all: fall through to the object as it is.
    }
  }
  return { ...fallback, ...properties } as EventMetadata;
}

/** JSON events arrive parsed; a binary event (not written by this adapter) is parsed when it holds JSON. */
function decodeData(event: { isJson: boolean; data: unknown }): unknown {
  if (event.isJson || !(event.data instanceof Uint8Array)) return event.data;
  try {
    return JSON.parse(Buffer.from(event.data).toString('utf8'));
  } catch {
    return event.data;
  }
}

/** What one record read from KurrentDB means to the port. */
export interface LogEntry {
  /**
   * The record's commit position, also for records that are not delivered, so paging and
   * checkpoints move past them; undefined only for a link without a position.
   */
  position?: number;
  /**
   * The port's event; undefined for KurrentDB's own records (types starting with '$', among
   * them the `$streamDeleted` tombstone of a hard-deleted stream, numbered long.MaxValue, which
   * a category filter lets through because it carries the stream's name) and for links whose
   * target is gone.
   */
  event?: RecordedEvent;
}

/**
 * A client record as a log entry. The global position is the event's commit position, which
 * equals its prepare position for everything written through the gRPC appends. Events of
 * explicit transactions of the legacy TCP API share one commit position (their prepare
 * positions differ); reading "after" such a position would skip the rest of the transaction,
 * so such a record is refused loudly, never skipped.
 */
export function toLogEntry(resolved: ResolvedEvent | AllStreamResolvedEvent): LogEntry {
  const event = resolved.event;
  const commit = event?.position?.commit ?? resolved.commitPosition ?? resolved.link?.position?.commit;
  if (!event) return { position: commit === undefined ? undefined : positionToNumber(commit) };
  if (commit === undefined) {
    throw new StoreUnavailableError(
      `KurrentDB did not report the log position of event ${event.id} in ${event.streamId}`,
    );
  }
  if (event.position && event.position.prepare !== event.position.commit) {
    throw sharedCommitPosition(event.id, event.streamId, event.position);
  }
  const position = positionToNumber(commit);
  if (isSystemEventType(event.type)) return { position };
  return {
    position,
    event: {
      streamId: event.streamId,
      revision: revisionToNumber(event.revision),
      position,
      type: event.type,
      data: decodeData(event),
      metadata: decodeMetadata(event.metadata, event),
      recordedAt: event.created.toISOString(),
    },
  };
}

/**
 * One page of a filtered read after `from`: the events that match (at most `room`), and the
 * position the next page starts from, which is the last record's, delivered or not.
 * KurrentDB reads from a position inclusively, so the record at `from` itself is dropped.
 */
export function takePage(
  entries: readonly LogEntry[],
  from: number,
  filter: LogFilterPlan,
  room: number,
): { events: RecordedEvent[]; next: number } {
  const events: RecordedEvent[] = [];
  let next = from;
  for (const { position, event } of entries) {
    if (position !== undefined && position > next) next = position;
    if (events.length === room || !event || event.position <= from || !filter.matches(event)) continue;
    events.push(event);
  }
  return { events, next };
}

/**
 * One record of a subscription at `checkpoint`: the checkpoint it moves to (every record with
 * a position moves it, delivered or not, so a resubscription starts after it) and the event to
 * deliver, if any. The subscription starts AT the checkpoint, whose record is skipped.
 */
export function advance(
  entry: LogEntry,
  checkpoint: number,
  filter: LogFilterPlan,
): { checkpoint: number; event?: RecordedEvent } {
  if (entry.position === undefined || entry.position <= checkpoint) return { checkpoint };
  const event = entry.event && filter.matches(entry.event) ? entry.event : undefined;
  return { checkpoint: entry.position, event };
}

/** The port event of a client record, if it is one (see toLogEntry). */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  return toLogEntry(resolved).event;
}

export function sharedCommitPosition(
  eventId: string,
  streamId: string,
  position: Position,
): StoreUnavailableError {
  return new StoreUnavailableError(
    `KurrentDB event ${eventId} of ${streamId} has commit position ${position.commit} but prepare position ` +
      `${position.prepare}: it belongs to an explicit transaction of the legacy TCP API, whose events share one ` +
      'commit position, and this store addresses events by commit position alone; copy the log into a new ' +
      'database written through gRPC (for example with Kurrent Replicator) before using it',
  );
}

/**
 * A subscription checkpoint beyond the last record of `$all`: the log was reset or restored
 * from an older copy, and whoever holds the checkpoint (the read models) holds events the
 * log no longer has. Going live from there would silently skip everything in between.
 */
export function checkpointBeyondLog(
  after: number,
  logEnd: number,
  target: string,
): StoreUnavailableError | undefined {
  if (after <= logEnd) return undefined;
  return new StoreUnavailableError(
    `checkpoint ${after} is beyond the end of the KurrentDB log at ${target} (position ${logEnd}): the log was ` +
      'reset or restored from an older copy; rebuild the read models from it: npm run cli -- projections rebuild all',
  );
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** gRPC status codes the client passes on only as the `code` of an UnknownError or a TimeoutError. */
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_PERMISSION_DENIED = 7;
const GRPC_ABORTED = 10;
const GRPC_UNIMPLEMENTED = 12;

/**
 * KurrentDB did not answer one step of an operation within the deadline (the connection
 * string's `defaultDeadline`). The outcome of a timed-out append is unknown; retrying it with
 * the same event ids is safe, the server does not write them twice.
 */
export class StoreDeadlineError extends StoreUnavailableError {
  constructor(
    operation: string,
    target: string,
    deadlineMs: number,
    setting = "the connection string's defaultDeadline",
  ) {
    super(
      `KurrentDB at ${target} is unreachable or stalled (${operation}: no answer within ${deadlineMs} ms, ${setting})`,
    );
    this.name = 'StoreDeadlineError';
  }
}

export interface ErrorContext {
  /** What was attempted, for the message: "append to account-1", "read $all". */
  operation: string;
  /** The server, without credentials (see describeTarget). */
  target: string;
  /** The append request, to name the expectation that failed. */
  appends?: readonly StreamAppend[];
}

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The stream a 25.1 server names when a multi-stream append holds it twice (ABORTED). */
function streamTwiceInAppend(error: unknown): string | undefined {
  const raw = ((error as { _raw?: unknown })._raw ?? error) as Parameters<typeof getGrpcStatusDetails>[0];
  if (typeof raw?.metadata?.get !== 'function') return undefined;
  const details = getGrpcStatusDetails(raw);
  if (!details?.typeUrl.endsWith('StreamAlreadyInAppendSessionErrorDetails')) return undefined;
  return StreamAlreadyInAppendSessionErrorDetails.deserializeBinary(details.value).getStream();
}

function isPortError(error: unknown): boolean {
  return (
    error instanceof WrongExpectedVersionError ||
    error instanceof StoreUnavailableError ||
    error instanceof MultiStreamAppendUnsupportedError ||
    error instanceof InvalidAppendError
  );
}

/** The client's error types for raw gRPC errors; anything else unchanged. */
function normalise(error: unknown): unknown {
  return error instanceof Error ? convertToCommandError(error) : error;
}

/** First line of an error's message; the bridge's errors carry only their class name as message. */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const message = (error.message ?? '').split('\n')[0].trim();
  if (isCommandError(error) && (!message || message === error.constructor.name)) return error.type;
  return message || error.name;
}

/**
 * The server (or the client before asking it) says multi-stream appends do not exist:
 * the client's own version check, or UNIMPLEMENTED from a server without the v2 API.
 */
export function isMultiStreamAppendUnsupported(error: unknown): boolean {
  const converted = normalise(error);
  return (
    converted instanceof UnsupportedError ||
    (converted instanceof Error && isCommandError(converted) && converted.code === GRPC_UNIMPLEMENTED)
  );
}

export function multiStreamAppendUnsupported(
  target: string,
  serverVersion?: string,
): MultiStreamAppendUnsupportedError {
  return new MultiStreamAppendUnsupportedError(
    `KurrentDB server at ${target} (version ${serverVersion ?? 'unknown'}) does not support atomic multi-stream appends; ` +
      'version 25.1 or later is required',
  );
}

/**
 * Errors after which a subscription can resume from its checkpoint: the connection, not the
 * request, failed. Also recognises them inside the port's StoreUnavailableError, and a deadline.
 */
export function isTransientClientError(error: unknown): boolean {
  if (error instanceof StoreDeadlineError) return true;
  if (error instanceof StoreUnavailableError)
    return error.cause !== undefined && isTransientClientError(error.cause);
  const converted = normalise(error);
  // The client turns every ABORTED into a TimeoutError; for an append it is a refusal, not a lost connection.
  if (grpcCode(converted) === GRPC_ABORTED) return false;
  return (
    converted instanceof UnavailableError ||
    converted instanceof DeadlineExceededError ||
    converted instanceof TimeoutError ||
    converted instanceof CancelledError ||
    converted instanceof NotLeaderError
  );
}

export function isStreamNotFound(error: unknown): boolean {
  return normalise(error) instanceof StreamNotFoundError;
}

function wrongExpectedVersion(
  error: KurrentWrongExpectedVersionError,
  appends: readonly StreamAppend[],
): WrongExpectedVersionError {
  // The v1 append names the stream from the request; the v2 conflict details name it themselves.
  const streamId = error.streamName || (appends.length === 1 ? appends[0].streamId : '');
  const request = appends.find((append) => append.streamId === streamId);
  const expected = request?.expected ?? fromStreamState(error.expectedState);
  const actual = error.actualState === NO_STREAM ? -1 : Number(error.actualState);
  return new WrongExpectedVersionError(streamId, expected, actual);
}

/**
 * A client error as the port's error: conflicts as WrongExpectedVersionError, oversized
 * appends as InvalidAppendError, everything the caller cannot fix (unreachable, denied,
 * deleted streams) as a one-line StoreUnavailableError naming the server. The port's own
 * errors and programming errors (TypeError and the like) pass through unchanged.
 */
export function mapClientError(error: unknown, { operation, target, appends = [] }: ErrorContext): Error {
  if (isPortError(error)) return error as Error;
  const converted = normalise(error);
  const unavailable = (message: string) => new StoreUnavailableError(message, { cause: error });
  const deleted = (stream: string) =>
    unavailable(`stream ${stream} is deleted in KurrentDB and can no longer be written`);

  if (converted instanceof KurrentWrongExpectedVersionError) {
    const mapped = wrongExpectedVersion(converted, appends);
    // Actual states below -1 are the v2 API's "deleted" (-5) and "tombstoned" (-6).
    return mapped.actual >= -1 ? mapped : deleted(mapped.streamId);
  }
  if (converted instanceof MaxAppendSizeExceededError) {
    return new InvalidAppendError(
      `${operation}: the append exceeds the server's maximum append size of ${converted.maxAppendSize} bytes ` +
        '(KurrentDB option MaxAppendSize)',
    );
  }
  if (converted instanceof AppendRecordSizeExceededError) {
    return new InvalidAppendError(
      `${operation}: event ${converted.recordId} of ${converted.stream} is ${converted.size} bytes, ` +
        `the server accepts at most ${converted.maxSize}`,
    );
  }
  if (converted instanceof TransactionMaxSizeExceededError) {
    return new InvalidAppendError(
      `${operation}: the append is ${converted.size} bytes, the server accepts at most ${converted.maxSize}`,
    );
  }
  if (converted instanceof StreamDeletedError) return deleted(converted.streamName);
  if (converted instanceof StreamTombstonedError) return deleted(converted.stream);
  if (converted instanceof AccessDeniedError) {
    return unavailable(
      `KurrentDB at ${target} denied ${operation}: check the credentials in the connection string`,
    );
  }
  const code = grpcCode(converted);
  if (code === GRPC_PERMISSION_DENIED) {
    return unavailable(
      `KurrentDB at ${target} denied ${operation} (${reasonOf(converted)}): ` +
        'the user of the connection string needs write access to these streams',
    );
  }
  if (code === GRPC_ABORTED) {
    const twice = streamTwiceInAppend(converted);
    if (twice !== undefined) {
      return new InvalidAppendError(
        `${operation}: stream ${twice} appears twice in one append (KurrentDB compares stream names ignoring case)`,
      );
    }
    return unavailable(`KurrentDB at ${target} aborted ${operation}: ${reasonOf(converted)}`);
  }
  if (code === GRPC_INVALID_ARGUMENT && appends.length > 0) {
    return new InvalidAppendError(
      `${operation}: KurrentDB refused the append as invalid (${reasonOf(converted)})`,
    );
  }
  if (isTransientClientError(converted)) {
    return unavailable(`KurrentDB at ${target} is unreachable (${operation}: ${reasonOf(converted)})`);
  }
  if (converted instanceof Error && isCommandError(converted)) {
    return unavailable(`KurrentDB at ${target} failed ${operation}: ${reasonOf(converted)}`);
  }
  return converted instanceof Error ? converted : unavailable(`${operation}: ${String(converted)}`);
}

/**
 * The server(s) of a connection string, for messages and logs: scheme and hosts, never the
 * credentials (`kurrentdb://admin:secret@db:2113?tls=true` → `kurrentdb://db:2113`).
 */
export function describeTarget(connectionString: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/i.exec(connectionString.trim());
  if (!match) return 'an unparsable connection string';
  const authority = match[2].split(/[/?]/)[0];
  return `${match[1]}${authority.slice(authority.lastIndexOf('@') + 1)}`;
}

/** The client's default for `defaultDeadline`, the deadline of every gRPC call it makes. */
export const DEFAULT_DEADLINE_MS = 10_000;

export interface ConnectionSettings {
  /** The server(s) without credentials, for messages. */
  target: string;
  /**
   * How long one step of a read, the start of a subscription, an append or a ping may wait
   * for the server: the connection string's `defaultDeadline`, which the client applies to its
   * own gRPC calls but not to reads (they go through its native bridge, which takes none).
   */
  deadlineMs: number;
}

/**
 * The settings of a connection string, read with the client's own parser. Refuses
 * `throwOnAppendFailure=false`: with it the client answers a failed expectation with
 * `{ success: false }` instead of an error, and optimistic concurrency would rest on every
 * caller checking a flag.
 */
export function connectionSettings(connectionString: string): ConnectionSettings {
  const target = describeTarget(connectionString);
  let options: ReturnType<typeof parseConnectionString>;
  try {
    options = parseConnectionString(connectionString);
  } catch (error) {
    throw new StoreUnavailableError(`invalid KurrentDB connection string for ${target}: ${reasonOf(error)}`, {
      cause: error,
    });
  }
  if (options.throwOnAppendFailure === false) {
    throw new StoreUnavailableError(
      `the KurrentDB connection string for ${target} sets throwOnAppendFailure=false, which would let a ` +
        'version conflict pass as a write; remove that option',
    );
  }
  return { target, deadlineMs: options.defaultDeadline ?? DEFAULT_DEADLINE_MS };
}
