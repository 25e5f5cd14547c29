// Events between the port and the client: payloads and metadata in, log records out.
import {
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendResult as ClientAppendResult,
  type EventData,
  type JSONType,
  type Position,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { InvalidAppendError, StoreUnavailableError, WrongExpectedVersionError } from '../errors';
import { type EventMetadata, type NewEvent, type RecordedEvent, type StreamAppend } from '../port';
import {
  isSystemEventType,
  positionToNumber,
  revisionToNumber,
  type LogFilterPlan,
} from './kurrentdb-mapping';

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
