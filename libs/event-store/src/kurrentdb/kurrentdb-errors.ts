// How the KurrentDB client's errors become the port's: conflicts, refusals, faults and deadlines.
import {
  NO_STREAM,
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
  isCommandError,
} from '@kurrent/kurrentdb-client';
import { getGrpcStatusDetails } from '@kurrent/kurrentdb-client/dist/utils/getGrpcStatusDetails';
import { StreamAlreadyInAppendSessionErrorDetails } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/errors_pb';
import {
  InvalidAppendError,
  MultiStreamAppendUnsupportedError,
  StoreUnavailableError,
  WrongExpectedVersionError,
} from '../errors';
import { type StreamAppend } from '../port';
import { fromStreamState } from './kurrentdb-mapping';

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
