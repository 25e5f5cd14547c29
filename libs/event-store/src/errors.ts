import type { ExpectedState } from './port';

/** An append's expectation about a stream did not hold; nothing of that append was written. */
export class WrongExpectedVersionError extends Error {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedState,
    /** Revision of the stream's last event, or -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(
      `stream ${streamId}: expected ${typeof expected === 'number' ? `revision ${expected}` : expected}, ` +
        `found ${actual < 0 ? 'no stream' : `revision ${actual}`}`,
    );
    this.name = 'WrongExpectedVersionError';
  }
}

/** The store cannot be reached, or refuses the operation for a reason the caller cannot fix. */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** The store's server is too old for an atomic append to several streams. */
export class MultiStreamAppendUnsupportedError extends Error {
  readonly code = 'MULTI_STREAM_APPEND_UNSUPPORTED';
  constructor(message: string) {
    super(message);
    this.name = 'MultiStreamAppendUnsupportedError';
  }
}

/** The same append carries an event twice, an empty stream id, or another impossible request. */
export class InvalidAppendError extends Error {
  readonly code = 'INVALID_APPEND';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

/** Checks the parts of an append request that do not depend on the store. */
export function validateAppends(
  appends: { streamId: string; events: unknown[]; expected: ExpectedState }[],
): void {
  if (appends.length === 0) throw new InvalidAppendError('an append needs at least one stream');
  const seen = new Set<string>();
  for (const { streamId, events, expected } of appends) {
    if (!streamId) throw new InvalidAppendError('stream id must not be empty');
    if (seen.has(streamId)) throw new InvalidAppendError(`stream ${streamId} appears twice in one append`);
    seen.add(streamId);
    if (events.length === 0) throw new InvalidAppendError(`append to ${streamId} has no events`);
    if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0)) {
      throw new InvalidAppendError(`expected revision for ${streamId} must be a non-negative integer`);
    }
  }
}

/** Whether a stream whose last revision is `actual` (-1: none) satisfies `expected`. */
export function expectationHolds(expected: ExpectedState, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === -1;
    case 'exists':
      return actual >= 0;
    default:
      return actual === expected;
  }
}
