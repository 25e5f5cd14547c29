// Reading a KurrentDB connection string the way the client does, for start-up checks and messages.
// The client's own parser, so the settings read here are exactly the ones the client applies.
import { parseConnectionString } from '@kurrent/kurrentdb-client/dist/Client/parseConnectionString';
import { StoreUnavailableError } from '../errors';
import { reasonOf } from './kurrentdb-errors';

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
