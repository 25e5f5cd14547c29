import { StoreUnavailableError } from './errors';

/**
 * What went wrong below the ledger, as an operator and a client need to know it:
 * - `unavailable`: the database cannot be reached (refused, reset, restarting, failed over) or
 *   stayed locked by another writer; retrying later will work without anyone doing anything.
 * - `disk_full`: the disk (or PostgreSQL's) has no space left; writes fail until space is freed.
 * - `disk_failing`: the disk is read-only or reports I/O errors.
 */
export type StoreFaultKind = 'unavailable' | 'disk_full' | 'disk_failing';

export interface StoreFault {
  kind: StoreFaultKind;
  /** The driver's code (SQLITE_FULL, ECONNREFUSED, 57P01, …), for logs. */
  code: string;
  /** One line, the underlying error's own message. */
  message: string;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
]);

// What pg says when the socket went away outside a query, or a pool could not connect in time.
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable|terminating connection/i;

function classifyOne(error: unknown): StoreFault | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { code, message = '' } = error as { code?: unknown; message?: string };
  const line = String(message).split('\n')[0];
  if (typeof code === 'string') {
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100')
      return { kind: 'disk_full', code, message: line };
    if (
      code.startsWith('SQLITE_IOERR') ||
      code.startsWith('SQLITE_READONLY') ||
      code === 'SQLITE_CANTOPEN' ||
      code === 'EROFS' ||
      code === 'EIO' ||
      code === '58030' // io_error
    )
      return { kind: 'disk_failing', code, message: line };
    if (UNAVAILABLE_CODES.has(code) || code.startsWith('08') || code.startsWith('SQLITE_BUSY'))
      return { kind: 'unavailable', code, message: line };
  }
  if (UNAVAILABLE_MESSAGES.test(line)) return { kind: 'unavailable', code: 'CONNECTION_LOST', message: line };
  if (error instanceof StoreUnavailableError) return { kind: 'unavailable', code: error.code, message: line };
  return undefined;
}

/**
 * Classifies an error thrown by a store, a driver or the file system; undefined when it is
 * not a fault of the storage (a bug, a refused request). Looks into `cause` and into the
 * errors of an AggregateError (Node's dual-stack connect), where drivers put the real one.
 */
export function storeFault(error: unknown, depth = 0): StoreFault | undefined {
  if (depth > 4 || !error || typeof error !== 'object') return undefined;
  const nested = [
    (error as { cause?: unknown }).cause,
    ...(error instanceof AggregateError ? error.errors : []),
  ];
  for (const candidate of nested) {
    const found = storeFault(candidate, depth + 1);
    if (found) return found;
  }
  return classifyOne(error);
}

interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * A pg Pool emits 'error' when an idle client's connection drops (a restart, a failover,
 * an idle timeout), and a checked-out client emits it on the client itself; with no
 * listener either one ends the process. The error surfaces again on that client's next
 * query, or the pool replaces the client, so listening is all it takes to survive.
 */
export function survivePoolErrors(
  pool: ErrorEmitter & { on(event: 'connect', listener: (client: ErrorEmitter) => void): unknown },
  onError: (error: Error) => void = () => undefined,
): void {
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
}
