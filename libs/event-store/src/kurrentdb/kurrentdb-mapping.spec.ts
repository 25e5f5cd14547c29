import { randomUUID } from 'node:crypto';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  AccessDeniedError,
  MaxAppendSizeExceededError,
  TimeoutError,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  UnsupportedError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  convertToCommandError,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type JSONEventData,
  type RegexFilter,
} from '@kurrent/kurrentdb-client';
// The client's own protobuf messages, to build the exact gRPC error a 25.1+ server sends for a
// multi-stream conflict (FAILED_PRECONDITION with StreamRevisionConflictErrorDetails).
import { Status } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb';
import {
  StreamAlreadyInAppendSessionErrorDetails,
  StreamRevisionConflictErrorDetails,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/errors_pb';
import { ReadResp } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import { StreamIdentifier } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
// How the client turns what the server sends into the objects the adapter sees: gRPC (subscriptions) and the native bridge (reads).
import { convertGrpcEvent } from '@kurrent/kurrentdb-client/dist/utils/convertGrpcEvent';
import { convertRustEvent } from '@kurrent/kurrentdb-client/dist/utils/convertRustEvent';
import { createUUID } from '@kurrent/kurrentdb-client/dist/utils/grpcUUID';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import {
  InvalidAppendError,
  MultiStreamAppendUnsupportedError,
  StoreUnavailableError,
  WrongExpectedVersionError,
} from '../errors';
import type { EventMetadata, NewEvent, StreamAppend } from '../port';
import {
  StoreDeadlineError,
  isMultiStreamAppendUnsupported,
  isStreamNotFound,
  isTransientClientError,
  mapClientError,
  multiStreamAppendUnsupported,
} from './kurrentdb-errors';
import {
  type LogEntry,
  METADATA_PROPERTY,
  advance,
  checkAppendResult,
  checkpointBeyondLog,
  decodeMetadata,
  takePage,
  toEventData,
  toLogEntry,
  toRecordedEvent,
  validateKurrentAppends,
} from './kurrentdb-events';
import {
  buildLogFilter,
  categoriesRegex,
  eventTypesRegex,
  fromStreamState,
  positionToNumber,
  revisionToNumber,
  toKurrentPosition,
  toReadPosition,
  toStreamState,
} from './kurrentdb-mapping';
import { DEFAULT_DEADLINE_MS, connectionSettings, describeTarget } from './kurrentdb-connection';

const target = 'kurrentdb://db.example:2113';

function metadata(): EventMetadata {
  return {
    eventId: randomUUID(),
    occurredAt: '2025-03-01T08:00:00.000Z',
    schemaVersion: 2,
    correlationId: randomUUID(),
    actor: { id: 'user-1', role: 'program_admin', region: '1603' },
  };
}

function newEvent(type = 'Enrolled', data: unknown = { nik: '1603xxxx', n: 1 }): NewEvent {
  return { type, data, metadata: metadata() };
}

/** A gRPC error as @grpc/grpc-js hands it to the client's callbacks. */
function serviceError(code: status, details: string, meta = new Metadata()): ServiceError {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: meta });
}

/** What a KurrentDB 25.1+ server returns when an expectation of a multi-stream append fails. */
function revisionConflict(stream: string, expectedRevision: string, actualRevision: string): ServiceError {
  const details = new StreamRevisionConflictErrorDetails()
    .setStream(stream)
    .setExpectedRevision(expectedRevision)
    .setActualRevision(actualRevision);
  const packed = new Any();
  packed.pack(
    details.serializeBinary(),
    'kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails',
  );
  const rpcStatus = new Status().setCode(status.FAILED_PRECONDITION as number).setMessage('conflict');
  rpcStatus.setDetails(packed);
  const meta = new Metadata();
  meta.set('grpc-status-details-bin', Buffer.from(rpcStatus.serializeBinary()));
  return serviceError(status.FAILED_PRECONDITION, `stream ${stream} revision conflict`, meta);
}

/** What a gRPC status with details looks like when @grpc/grpc-js hands it over. */
function withDetails(code: status, message: string, typeName: string, details: Uint8Array): ServiceError {
  const packed = new Any();
  packed.pack(details, typeName);
  const rpcStatus = new Status().setCode(code as number).setMessage(message);
  rpcStatus.setDetails(packed);
  const meta = new Metadata();
  meta.set('grpc-status-details-bin', Buffer.from(rpcStatus.serializeBinary()));
  return serviceError(code, message, meta);
}

/** KurrentDB's long.MaxValue: the stream revision of a tombstone. */
const LONG_MAX = 2n ** 63n - 1n;

/**
 * A record of `$all` as the server sends it over gRPC (a subscription), through the client's
 * own conversion. A tombstone is `$streamDeleted` in the deleted stream, numbered long.MaxValue.
 */
function grpcRecord(
  stream: string,
  type: string,
  revision: bigint,
  commit: bigint,
  prepare = commit,
): AllStreamResolvedEvent {
  const record = new ReadResp.ReadEvent.RecordedEvent()
    .setId(createUUID(randomUUID()))
    .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(stream)))
    .setStreamRevision(revision.toString())
    .setCommitPosition(commit.toString())
    .setPreparePosition(prepare.toString())
    .setData(type.startsWith('$') ? new Uint8Array() : Buffer.from('{"n":1}'));
  record.getMetadataMap().set('type', type);
  record
    .getMetadataMap()
    .set('content-type', type.startsWith('$') ? 'application/octet-stream' : 'application/json');
  record.getMetadataMap().set('created', '638700000000000000');
  const read = new ReadResp.ReadEvent().setEvent(record).setCommitPosition(commit.toString());
  return convertGrpcEvent(read) as AllStreamResolvedEvent;
}

/** The same record as the client's native read bridge returns it (readAll, readStream). */
function bridgeRecord(
  stream: string,
  type: string,
  revision: bigint,
  commit: bigint,
): AllStreamResolvedEvent {
  return convertRustEvent({
    event: {
      streamId: stream,
      id: randomUUID(),
      type,
      isJson: !type.startsWith('$'),
      revision,
      created: Date.parse('2025-03-01T08:00:00Z'),
      data: type.startsWith('$') ? new Uint8Array() : Buffer.from('{"n":1}'),
      metadata: new Uint8Array(),
      position: { commit, prepare: commit },
    },
    commitPosition: commit,
  }) as AllStreamResolvedEvent;
}

describe('KurrentDB mapping', () => {
  describe('expected state', () => {
    it('maps every port expectation to the client stream state and back', () => {
      expect(toStreamState('any')).toBe(ANY);
      expect(toStreamState('no_stream')).toBe(NO_STREAM);
      expect(toStreamState('exists')).toBe(STREAM_EXISTS);
      expect(toStreamState(0)).toBe(0n);
      expect(toStreamState(41)).toBe(41n);
      for (const expected of ['any', 'no_stream', 'exists', 0, 41] as const) {
        expect(fromStreamState(toStreamState(expected))).toBe(expected);
      }
    });
  });

  describe('positions', () => {
    it('converts commit positions exactly up to 2^53-1 and refuses anything larger', () => {
      expect(positionToNumber(123_456n)).toBe(123_456);
      expect(positionToNumber(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
      expect(() => positionToNumber(2n ** 53n)).toThrow(StoreUnavailableError);
      // The client's "no position" value must never turn into a (rounded) position.
      expect(() => positionToNumber(2n ** 64n - 1n)).toThrow(StoreUnavailableError);
      expect(() => positionToNumber(-1n)).toThrow(StoreUnavailableError);
      expect(revisionToNumber(7n)).toBe(7);
      expect(() => revisionToNumber(-1n)).toThrow(StoreUnavailableError);
    });

    it('starts reads at the checkpoint event, or at the start of the log for 0', () => {
      expect(toReadPosition(0)).toBe(START);
      expect(toReadPosition(4242)).toEqual({ commit: 4242n, prepare: 4242n });
      expect(toKurrentPosition(99)).toEqual({ commit: 99n, prepare: 99n });
    });
  });

  describe('filters', () => {
    const regexOf = (filter: unknown) => new RegExp((filter as RegexFilter).regex);

    it('without types or categories, lets the server drop system events only', () => {
      const plan = buildLogFilter({});
      expect(plan.server).toEqual(excludeSystemEvents());
      expect(plan.matchesNothing).toBe(false);
      expect(plan.matches({ streamId: 'account-1', type: 'Opened' })).toBe(true);
      expect(plan.matches({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(false);
      expect(plan.matches({ streamId: '$ce-account', type: '$>' })).toBe(false);
    });

    it('selects categories exactly: the name alone or followed by a dash, never a longer name', () => {
      const plan = buildLogFilter({ categories: ['alpha', 'beta'] });
      expect(plan.server).toEqual(streamNameFilter({ regex: categoriesRegex(['alpha', 'beta']) }));
      const server = regexOf(plan.server);
      for (const name of ['alpha', 'alpha-1', 'alpha-7f3-x', 'beta-2']) {
        expect(server.test(name)).toBe(true);
        expect(plan.matches({ streamId: name, type: 'T' })).toBe(true);
      }
      for (const name of ['alphabet-1', 'xalpha-1', 'gamma-1', 'Alpha-1', '$$alpha-1', '$ce-alpha']) {
        expect(server.test(name)).toBe(false);
        expect(plan.matches({ streamId: name, type: 'T' })).toBe(false);
      }
    });

    it('escapes regex characters in categories and types', () => {
      const categories = regexOf(streamNameFilter({ regex: categoriesRegex(['a.b', 'c+']) }));
      expect(categories.test('a.b-1')).toBe(true);
      expect(categories.test('aXb-1')).toBe(false);
      expect(categories.test('c+-1')).toBe(true);
      expect(categories.test('cc-1')).toBe(false);
      const types = new RegExp(eventTypesRegex(['Paid (v2)', 'A|B']));
      expect(types.test('Paid (v2)')).toBe(true);
      expect(types.test('A|B')).toBe(true);
      expect(types.test('A')).toBe(false);
    });

    it('filters types on the server when no categories are given, exact names only', () => {
      const plan = buildLogFilter({ types: ['Planted', 'Harvested'] });
      expect(plan.server).toEqual(eventTypeFilter({ regex: eventTypesRegex(['Planted', 'Harvested']) }));
      const server = regexOf(plan.server);
      expect(server.test('Planted')).toBe(true);
      expect(server.test('PlantedTwice')).toBe(false);
      expect(server.test('$Planted')).toBe(false);
      expect(plan.matches({ streamId: 'x-1', type: 'Harvested' })).toBe(true);
      expect(plan.matches({ streamId: 'x-1', type: 'Watered' })).toBe(false);
    });

    it('with both, the server filters categories and the types are checked on arrival', () => {
      const plan = buildLogFilter({ categories: ['alpha'], types: ['Harvested'] });
      expect((plan.server as RegexFilter).filterOn).toBe('streamName');
      expect(plan.matches({ streamId: 'alpha-1', type: 'Harvested' })).toBe(true);
      expect(plan.matches({ streamId: 'alpha-1', type: 'Planted' })).toBe(false);
      expect(plan.matches({ streamId: 'beta-1', type: 'Harvested' })).toBe(false);
    });

    it('an empty list selects nothing, as in the SQL adapters', () => {
      expect(buildLogFilter({ types: [] }).matchesNothing).toBe(true);
      expect(buildLogFilter({ categories: [] }).matchesNothing).toBe(true);
      expect(buildLogFilter({ categories: ['a'], types: [] }).matchesNothing).toBe(true);
    });
  });

  describe('events in', () => {
    it('single-stream appends carry the ledger event id and the full metadata as JSON', () => {
      const event = newEvent();
      const data = toEventData('enrollment-1', event, 'json') as JSONEventData;
      expect(data).toEqual({
        id: event.metadata.eventId,
        contentType: 'application/json',
        type: 'Enrolled',
        data: event.data,
        metadata: event.metadata,
      });
    });

    it('multi-stream appends carry the metadata as string properties that read back intact', () => {
      const event = newEvent('Claimed', 'a plain string payload');
      const data = toEventData('nik-1', event, 'properties') as JSONEventData;
      const properties = data.metadata as Record<string, unknown>;
      // The client refuses anything but string values for multiStreamAppend.
      expect(Object.values(properties).every((value) => typeof value === 'string')).toBe(true);
      expect(data.id).toBe(event.metadata.eventId);
      // The server returns the properties as the event's metadata, with its own `$schema.*` added.
      const read = { ...properties, '$schema.name': 'Claimed', '$schema.format': 'Json' };
      expect(decodeMetadata(read, { id: data.id, created: new Date() })).toEqual(event.metadata);
    });

    it('refuses what KurrentDB cannot store or the adapter could not read back', () => {
      const notUuid = { ...newEvent(), metadata: { ...metadata(), eventId: 'evt-1' } };
      expect(() => toEventData('a-1', notUuid, 'json')).toThrow(InvalidAppendError);
      expect(() => toEventData('a-1', notUuid, 'json')).toThrow(/UUID/);
      expect(() => toEventData('a-1', newEvent('$custom'), 'json')).toThrow(InvalidAppendError);
      expect(() => toEventData('a-1', newEvent(''), 'json')).toThrow(InvalidAppendError);
      expect(() => toEventData('a-1', { ...newEvent(), data: undefined }, 'json')).toThrow(
        InvalidAppendError,
      );
      // null is a JSON value like any other.
      expect(() => toEventData('a-1', newEvent('Cleared', null), 'json')).not.toThrow();
    });
  });

  describe('events out', () => {
    const created = new Date('2025-03-01T08:00:01.234Z');
    const recorded = (overrides: Record<string, unknown> = {}): AllStreamResolvedEvent =>
      ({
        event: {
          streamId: 'enrollment-1',
          id: 'c1b5bd47-3d88-4c1d-9a6e-5f2a8b7f0c11',
          revision: 3n,
          type: 'Enrolled',
          created,
          isJson: true,
          data: { n: 1 },
          metadata: { ...metadata(), eventId: 'c1b5bd47-3d88-4c1d-9a6e-5f2a8b7f0c11' },
          position: { commit: 90_210n, prepare: 90_210n },
          ...overrides,
        },
        commitPosition: 90_210n,
      }) as AllStreamResolvedEvent;

    it('maps a recorded event: commit position, revision, created as recordedAt', () => {
      const resolved = recorded();
      expect(toRecordedEvent(resolved)).toEqual({
        streamId: 'enrollment-1',
        revision: 3,
        position: 90_210,
        type: 'Enrolled',
        data: { n: 1 },
        metadata: resolved.event!.metadata,
        recordedAt: '2025-03-01T08:00:01.234Z',
      });
    });

    it('parses binary JSON payloads and gives foreign events stand-in metadata', () => {
      const event = toRecordedEvent(
        recorded({ isJson: false, data: Buffer.from('{"n":2}'), metadata: undefined }),
      )!;
      expect(event.data).toEqual({ n: 2 });
      expect(event.metadata).toEqual({
        eventId: 'c1b5bd47-3d88-4c1d-9a6e-5f2a8b7f0c11',
        occurredAt: '2025-03-01T08:00:01.234Z',
        schemaVersion: 1,
      });
    });

    it('skips unresolved links and refuses events without a position', () => {
      expect(toRecordedEvent({ commitPosition: 5n })).toBeUndefined();
      const positionless = {
        event: { ...recorded().event!, position: undefined },
      } as unknown as AllStreamResolvedEvent;
      expect(() => toRecordedEvent(positionless)).toThrow(StoreUnavailableError);
    });
  });

  describe('errors', () => {
    const single: StreamAppend[] = [{ streamId: 'account-1', events: [], expected: 'no_stream' }];

    it('a single-stream conflict names the stream, the expectation and the actual revision', () => {
      // As the client builds it from an AppendResp.WrongExpectedVersion.
      const conflict = new KurrentWrongExpectedVersionError(undefined, {
        streamName: 'account-1',
        expected: NO_STREAM,
        current: 1n,
      });
      const mapped = mapClientError(conflict, { operation: 'append to account-1', target, appends: single });
      expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
      expect(mapped).toMatchObject({ streamId: 'account-1', expected: 'no_stream', actual: 1 });
    });

    it('a missing stream is actual revision -1', () => {
      const conflict = new KurrentWrongExpectedVersionError(undefined, {
        streamName: 'account-1',
        expected: STREAM_EXISTS,
        current: NO_STREAM,
      });
      const appends: StreamAppend[] = [{ streamId: 'account-1', events: [], expected: 'exists' }];
      expect(mapClientError(conflict, { operation: 'append', target, appends })).toMatchObject({
        streamId: 'account-1',
        expected: 'exists',
        actual: -1,
      });
    });

    it('a multi-stream conflict from the server names the failing stream of the request', () => {
      const appends: StreamAppend[] = [
        { streamId: 'quota-1', events: [], expected: 'no_stream' },
        { streamId: 'nik-1', events: [], expected: 'no_stream' },
        { streamId: 'enrollment-1', events: [], expected: 'no_stream' },
      ];
      const mapped = mapClientError(revisionConflict('nik-1', '-1', '0'), {
        operation: 'append',
        target,
        appends,
      });
      expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
      expect(mapped).toMatchObject({ streamId: 'nik-1', expected: 'no_stream', actual: 0 });
      const missing = mapClientError(revisionConflict('quota-1', '3', '-1'), {
        operation: 'append',
        target,
        appends,
      });
      expect(missing).toMatchObject({ streamId: 'quota-1', expected: 'no_stream', actual: -1 });
    });

    it('recognises servers without multi-stream appends and says which version is needed', () => {
      expect(isMultiStreamAppendUnsupported(new UnsupportedError('multiStreamAppend', '25.1'))).toBe(true);
      expect(isMultiStreamAppendUnsupported(serviceError(status.UNIMPLEMENTED, 'Method not found'))).toBe(
        true,
      );
      expect(isMultiStreamAppendUnsupported(serviceError(status.UNAVAILABLE, 'connect ECONNREFUSED'))).toBe(
        false,
      );
      const error = multiStreamAppendUnsupported(target, '24.10.0');
      expect(error).toBeInstanceOf(MultiStreamAppendUnsupportedError);
      expect(error.message).toBe(
        'KurrentDB server at kurrentdb://db.example:2113 (version 24.10.0) does not support atomic multi-stream ' +
          'appends; version 25.1 or later is required',
      );
    });

    it('an unreachable server is a one-line StoreUnavailableError naming the server', () => {
      // What appendToStream rejects with when nothing listens: the raw gRPC error.
      const raw = serviceError(
        status.UNAVAILABLE,
        'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:2999.\nmore',
      );
      const mapped = mapClientError(raw, { operation: 'append to account-1', target });
      expect(mapped).toBeInstanceOf(StoreUnavailableError);
      expect(mapped.message).toContain('kurrentdb://db.example:2113 is unreachable');
      expect(mapped.message).toContain('ECONNREFUSED');
      expect(mapped.message).not.toContain('\n');
      // The native read bridge's errors carry only their class name as message.
      const bridged = mapClientError(new UnavailableError(undefined, 'UnavailableError'), {
        operation: 'ping',
        target,
      });
      expect(bridged.message).toBe(
        'KurrentDB at kurrentdb://db.example:2113 is unreachable (ping: unavailable)',
      );
      expect(isTransientClientError(raw)).toBe(true);
      expect(isTransientClientError(new UnavailableError())).toBe(true);
    });

    it('maps refusals the caller cannot fix, and oversized appends', () => {
      const tooBig = mapClientError(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576), {
        operation: 'append to big-1',
        target,
      });
      expect(tooBig).toBeInstanceOf(InvalidAppendError);
      expect(tooBig.message).toContain('1048576');
      expect(
        mapClientError(StreamDeletedError.fromStreamName('gone-1'), { operation: 'append', target }),
      ).toEqual(
        new StoreUnavailableError('stream gone-1 is deleted in KurrentDB and can no longer be written'),
      );
      const denied = mapClientError(new AccessDeniedError(), { operation: 'read $all', target });
      expect(denied).toBeInstanceOf(StoreUnavailableError);
      expect(denied.message).toContain('credentials');
      expect(isTransientClientError(new AccessDeniedError())).toBe(false);
    });

    it('a stream twice in one multi-stream append (ABORTED) is an invalid append naming it, not "unreachable"', () => {
      const raw = withDetails(
        status.ABORTED,
        "Stream 'quota-1' already has a different group of messages in this session.",
        'kurrentdb.protocol.v2.streams.errors.StreamAlreadyInAppendSessionErrorDetails',
        new StreamAlreadyInAppendSessionErrorDetails().setStream('quota-1').serializeBinary(),
      );
      // What the client rejects multiStreamAppend with: a TimeoutError, as if the server were slow.
      const rejected = convertToCommandError(raw);
      expect(rejected).toBeInstanceOf(TimeoutError);
      expect(isTransientClientError(rejected)).toBe(false);
      const mapped = mapClientError(rejected, {
        operation: 'append to quota-1, QUOTA-1',
        target,
        appends: [],
      });
      expect(mapped).toBeInstanceOf(InvalidAppendError);
      expect(mapped.message).toBe(
        'append to quota-1, QUOTA-1: stream quota-1 appears twice in one append (KurrentDB compares stream names ignoring case)',
      );
      const bare = mapClientError(convertToCommandError(serviceError(status.ABORTED, 'aborted')), {
        operation: 'append to a-1, b-1',
        target,
      });
      expect(bare).toBeInstanceOf(StoreUnavailableError);
      expect(bare.message).toContain('aborted append to a-1, b-1');
      expect(bare.message).not.toContain('unreachable');
    });

    it('INVALID_ARGUMENT is an invalid append and PERMISSION_DENIED a denial, each naming the streams', () => {
      const appends: StreamAppend[] = [
        { streamId: 'quota-1', events: [], expected: 'any' },
        { streamId: 'nik-1', events: [], expected: 'any' },
      ];
      const invalid = mapClientError(
        convertToCommandError(serviceError(status.INVALID_ARGUMENT, 'Schema name "Paid (v2)" is invalid')),
        { operation: 'append to quota-1, nik-1', target, appends },
      );
      expect(invalid).toBeInstanceOf(InvalidAppendError);
      expect(invalid.message).toContain('append to quota-1, nik-1: KurrentDB refused the append as invalid');
      expect(invalid.message).toContain('Paid (v2)');
      const denied = mapClientError(
        convertToCommandError(serviceError(status.PERMISSION_DENIED, 'Access denied to stream nik-1')),
        { operation: 'append to quota-1, nik-1', target, appends },
      );
      expect(denied).toBeInstanceOf(StoreUnavailableError);
      expect(denied.message).toContain(
        'KurrentDB at kurrentdb://db.example:2113 denied append to quota-1, nik-1',
      );
      expect(denied.message).toContain('write access');
      expect(isTransientClientError(denied)).toBe(false);
    });

    it('a missed deadline is a transient StoreUnavailableError that names the setting', () => {
      const late = new StoreDeadlineError('read $all', target, 2500);
      expect(late).toBeInstanceOf(StoreUnavailableError);
      expect(late.message).toBe(
        "KurrentDB at kurrentdb://db.example:2113 is unreachable or stalled (read $all: no answer within 2500 ms, the connection string's defaultDeadline)",
      );
      expect(isTransientClientError(late)).toBe(true);
      expect(mapClientError(late, { operation: 'read $all', target })).toBe(late);
      // A port error wrapping a lost connection is transient too; one wrapping a denial is not.
      const lost = mapClientError(new UnavailableError(), { operation: 'read $all', target });
      expect(isTransientClientError(lost)).toBe(true);
      expect(
        isTransientClientError(mapClientError(new AccessDeniedError(), { operation: 'x', target })),
      ).toBe(false);
    });

    it('passes the port errors and programming errors through unchanged', () => {
      const ours = new WrongExpectedVersionError('a-1', 0, 3);
      expect(mapClientError(ours, { operation: 'append', target })).toBe(ours);
      const bug = new TypeError('x is not a function');
      expect(mapClientError(bug, { operation: 'append', target })).toBe(bug);
    });

    it('recognises a missing stream', () => {
      expect(isStreamNotFound(new StreamNotFoundError(undefined, 'account-9'))).toBe(true);
      expect(isStreamNotFound(new UnavailableError())).toBe(false);
    });
  });

  describe("tombstones and KurrentDB's own records", () => {
    const plan = buildLogFilter({ categories: ['account'] });
    for (const [path, record] of [
      ['gRPC (subscriptions)', grpcRecord],
      ['native bridge (reads)', bridgeRecord],
    ] as const) {
      it(`a tombstone from the ${path} is skipped, its position kept`, () => {
        const tombstone = record('account-1', '$streamDeleted', LONG_MAX, 7_000n);
        // The category filter is a stream-name regex: the server sends the tombstone along.
        expect(new RegExp((plan.server as RegexFilter).regex).test(tombstone.event!.streamId)).toBe(true);
        expect(toLogEntry(tombstone)).toEqual({ position: 7_000 });
        expect(toRecordedEvent(tombstone)).toBeUndefined();
        // An event numbered long.MaxValue is still refused, never rounded.
        expect(() => revisionToNumber(LONG_MAX)).toThrow(StoreUnavailableError);
        const event = toLogEntry(record('account-2', 'Opened', 0n, 5_000n));
        expect(event.event).toMatchObject({
          streamId: 'account-2',
          type: 'Opened',
          revision: 0,
          position: 5_000,
        });
      });
    }

    it('a page moves past a tombstone: the events around it are delivered, the next page starts after it', () => {
      const entries: LogEntry[] = [
        toLogEntry(bridgeRecord('account-2', 'Opened', 0n, 5_000n)),
        toLogEntry(bridgeRecord('account-1', '$streamDeleted', LONG_MAX, 7_000n)),
        toLogEntry(bridgeRecord('account-3', 'Opened', 0n, 9_000n)),
      ];
      const page = takePage(entries, 0, plan, 10);
      expect(page.events.map((e) => e.position)).toEqual([5_000, 9_000]);
      expect(page.next).toBe(9_000);
      // A page that ends on the tombstone: the next one starts after it, not before.
      expect(takePage(entries.slice(0, 2), 0, plan, 10)).toMatchObject({ next: 7_000 });
      // A page of nothing but the tombstone still moves on.
      expect(takePage(entries.slice(1, 2), 5_000, plan, 10)).toEqual({ events: [], next: 7_000 });
      // The record at `from` is the previous page's last: dropped; `room` bounds the page.
      expect(takePage(entries, 5_000, plan, 10).events.map((e) => e.position)).toEqual([9_000]);
      expect(takePage(entries, 0, plan, 1).events.map((e) => e.position)).toEqual([5_000]);
      expect(takePage(entries, 0, buildLogFilter({ types: ['Closed'] }), 10).events).toEqual([]);
    });

    it('a subscription moves its checkpoint past a tombstone and a resubscription skips it', () => {
      const tombstone = toLogEntry(grpcRecord('account-1', '$streamDeleted', LONG_MAX, 7_000n));
      expect(advance(tombstone, 5_000, plan)).toEqual({ checkpoint: 7_000, event: undefined });
      // Resubscribed at 7,000, the server sends the tombstone first again: nothing moves.
      expect(advance(tombstone, 7_000, plan)).toEqual({ checkpoint: 7_000 });
      const next = toLogEntry(grpcRecord('account-3', 'Opened', 0n, 9_000n));
      expect(advance(next, 7_000, plan)).toMatchObject({
        checkpoint: 9_000,
        event: { streamId: 'account-3' },
      });
      // Filtered out, an event still moves the checkpoint.
      expect(advance(next, 7_000, buildLogFilter({ types: ['Closed'] }))).toEqual({
        checkpoint: 9_000,
        event: undefined,
      });
      // KurrentDB's statistics and links likewise.
      const stats = toLogEntry(grpcRecord('$stats-127.0.0.1:2113', '$statsCollected', 12n, 11_000n));
      expect(advance(stats, 9_000, buildLogFilter({}))).toEqual({ checkpoint: 11_000, event: undefined });
    });

    it('refuses events of legacy TCP transactions, which share one commit position', () => {
      const shared = grpcRecord('account-4', 'Opened', 0n, 20_000n, 19_500n);
      expect(() => toLogEntry(shared)).toThrow(StoreUnavailableError);
      expect(() => toLogEntry(shared)).toThrow(/explicit transaction of the legacy TCP API/);
    });

    it('refuses a checkpoint beyond the end of the log, naming the repair', () => {
      expect(checkpointBeyondLog(4_000, 4_000, target)).toBeUndefined();
      expect(checkpointBeyondLog(0, 0, target)).toBeUndefined();
      const error = checkpointBeyondLog(120_085, 60_043, target)!;
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error.message).toContain(
        'checkpoint 120085 is beyond the end of the KurrentDB log at kurrentdb://db.example:2113',
      );
      expect(error.message).toContain('npm run cli -- projections rebuild all');
      expect(error.message).not.toContain('\n');
    });
  });

  describe('appends', () => {
    const append: StreamAppend = { streamId: 'account-1', events: [], expected: 2 };

    it('a result with success: false is the conflict error, never a write', () => {
      // As the client resolves a failed expectation under throwOnAppendFailure=false.
      const failed = { success: false, nextExpectedRevision: 4n, position: undefined };
      expect(() => checkAppendResult(failed, append)).toThrow(WrongExpectedVersionError);
      expect(() => checkAppendResult(failed, append)).toThrow(
        new WrongExpectedVersionError('account-1', 2, 4),
      );
      const missing = { success: false, nextExpectedRevision: -1n, position: undefined };
      expect(() => checkAppendResult(missing, append)).toThrow(
        new WrongExpectedVersionError('account-1', 2, -1),
      );
      const ok = { success: true, nextExpectedRevision: 3n, position: { commit: 10n, prepare: 10n } };
      expect(checkAppendResult(ok, append)).toBe(ok);
    });

    it('refuses throwOnAppendFailure=false at start, in one line', () => {
      for (const connectionString of [
        'kurrentdb://db.example:2113?tls=false&throwOnAppendFailure=false',
        'kurrentdb://admin:pw@db.example:2113?ThrowOnAppendFailure=false',
      ]) {
        const refusal = (() => {
          try {
            connectionSettings(connectionString);
          } catch (error) {
            return error as Error;
          }
        })();
        expect(refusal).toBeInstanceOf(StoreUnavailableError);
        expect(refusal!.message).toContain('throwOnAppendFailure=false');
        expect(refusal!.message).toContain('kurrentdb://db.example:2113');
        expect(refusal!.message).not.toContain('pw');
        expect(refusal!.message).not.toContain('\n');
      }
      expect(connectionSettings('kurrentdb://db.example:2113?throwOnAppendFailure=true')).toEqual({
        target,
        deadlineMs: DEFAULT_DEADLINE_MS,
      });
    });

    it('takes the deadline from the connection string and refuses what the client cannot parse', () => {
      expect(
        connectionSettings('kurrentdb://db.example:2113?tls=false&defaultDeadline=2500').deadlineMs,
      ).toBe(2500);
      expect(() => connectionSettings('kurrentdb://db.example:2113?defaultDeadline=soon')).toThrow(
        StoreUnavailableError,
      );
      expect(() => connectionSettings('mysql://nope')).toThrow(StoreUnavailableError);
    });

    it('refuses before sending what KurrentDB would refuse', () => {
      const streams = (...ids: string[]): StreamAppend[] =>
        ids.map((streamId) => ({ streamId, events: [newEvent()], expected: 'any' }));
      expect(() => validateKurrentAppends(streams('quota-1', 'nik-1', 'enrollment-1'))).not.toThrow();
      expect(() => validateKurrentAppends(streams('quota-A1', 'nik-1', 'quota-a1'))).toThrow(
        new InvalidAppendError(
          'streams quota-A1 and quota-a1 differ only in case; KurrentDB refuses them in one append',
        ),
      );
      expect(() => validateKurrentAppends(streams('$$quota-1'))).toThrow(InvalidAppendError);
      expect(() => validateKurrentAppends(streams('nik-1', '$ce-quota'))).toThrow(
        /belong to KurrentDB itself/,
      );
      // Event types outside the server's pattern ^[a-zA-Z0-9_.$:-]+$ (without '$', reserved).
      expect(() => toEventData('a-1', newEvent('Paid (v2)'), 'properties')).toThrow(InvalidAppendError);
      expect(() => toEventData('a-1', newEvent('Dibayar✓'), 'json')).toThrow(/letters, digits/);
      expect(() => toEventData('a-1', newEvent('program.Created:v2_x-y'), 'properties')).not.toThrow();
    });
  });

  describe('describeTarget', () => {
    it('keeps scheme and hosts, never credentials or options', () => {
      expect(describeTarget('kurrentdb://127.0.0.1:2113?tls=false')).toBe('kurrentdb://127.0.0.1:2113');
      expect(describeTarget('kurrentdb+discover://admin:changeit@cluster.example:2113')).toBe(
        'kurrentdb+discover://cluster.example:2113',
      );
      expect(describeTarget('kurrentdb://ops:p@ss@w0rd@a:2113,b:2113/?tls=true')).toBe(
        'kurrentdb://a:2113,b:2113',
      );
      expect(describeTarget('not a url')).toBe('an unparsable connection string');
    });
  });

  it('the metadata property name is stable (stored events depend on it)', () => {
    expect(METADATA_PROPERTY).toBe('ledgerMetadata');
  });
});
