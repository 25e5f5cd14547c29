import { randomUUID } from 'node:crypto';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  AccessDeniedError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  UnsupportedError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type JSONEventData,
  type RegexFilter,
} from '@kurrent/kurrentdb-client';
// The client's own protobuf messages, to build the exact gRPC error a 25.1+ server sends for a
// multi-stream conflict (FAILED_PRECONDITION with StreamRevisionConflictErrorDetails).
import { Status } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb';
import { StreamRevisionConflictErrorDetails } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/errors_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import {
  InvalidAppendError,
  MultiStreamAppendUnsupportedError,
  StoreUnavailableError,
  WrongExpectedVersionError,
} from '../errors';
import type { EventMetadata, NewEvent, StreamAppend } from '../port';
import {
  METADATA_PROPERTY,
  buildLogFilter,
  categoriesRegex,
  decodeMetadata,
  describeTarget,
  eventTypesRegex,
  fromStreamState,
  isMultiStreamAppendUnsupported,
  isStreamNotFound,
  isTransientClientError,
  mapClientError,
  multiStreamAppendUnsupported,
  positionToNumber,
  revisionToNumber,
  toEventData,
  toKurrentPosition,
  toReadPosition,
  toRecordedEvent,
  toStreamState,
} from './kurrentdb-mapping';

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
