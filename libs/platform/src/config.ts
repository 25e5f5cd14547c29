import { resolve } from 'node:path';
import type { SqliteSynchronous, StoreKind } from '@ledger/event-store';

/**
 * Configuration comes only from environment variables, validated at start: a wrong or
 * missing value stops the process with one line naming the variable.
 */
export interface LedgerConfig {
  store: StoreKind;
  dataDir: string;
  /** PostgreSQL for events (store=postgres) and read models (store=postgres|kurrentdb). */
  databaseUrl?: string;
  /** Schema holding this ledger's tables in PostgreSQL. */
  pgSchema: string;
  kurrentDbUrl?: string;
  port: number;
  host: string;
  /** Whether this process runs the projections (embedded mode always does). */
  runProjections: boolean;
  /**
   * Whether the process that runs the reactors also sweeps the contributions' lapses once a
   * day (WIB) for that day (`LEDGER_DAILY_SWEEP`, default true).
   */
  dailySweep: boolean;
  /** Where the projector serves its health and metrics (0: a free port); on `host`. */
  projectorPort: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How long a query waits for a consistency token by default. */
  consistencyTimeoutMs: number;
  /**
   * Readiness: the most log positions a read model may be behind the log's head before
   * `/health/ready` answers 503 (null: not checked, the default). A replica whose answers
   * would be that stale is taken out of a load balancer until it has caught up.
   */
  readyMaxLag: number | null;
  /**
   * Embedded mode: how an append reaches the disk (see `SqliteSynchronous`). `full` unless
   * LEDGER_SQLITE_SYNCHRONOUS=normal trades the last commits before a power cut for speed.
   */
  sqliteSynchronous: SqliteSynchronous;
  /** What one client may ask of the HTTP server (see HttpLimits). */
  httpLimits: HttpLimits;
  /**
   * Which web pages' scripts may call the API from a browser (LEDGER_CORS_ORIGINS): exact
   * origins, or `*` for reads from any page; null (the default) sends no CORS headers at all.
   */
  corsOrigins: CorsOrigins | null;
  /** What one uploaded nomination list may cost (bytes, rows, XLSX inflation). */
  imports: ImportLimits;
  /** Server modes: the secrets as given (base64), checked when the runtime opens. */
  secretsEnv: { LEDGER_KEK?: string; LEDGER_NIK_HMAC_KEY?: string; LEDGER_JWT_SECRET?: string };
  /** Tamper evidence (see libs/integrity). */
  integrity: IntegrityConfig;
}

export interface IntegrityConfig {
  /** The checkpoints' origin line and the signing key's name (LEDGER_INTEGRITY_ORIGIN). */
  origin: string;
  /** A checkpoint every this many events (LEDGER_CHECKPOINT_EVERY)… */
  checkpointEvery: number;
  /** …and at least this often while events arrive (LEDGER_CHECKPOINT_INTERVAL_MINUTES, at most 60). */
  checkpointIntervalMs: number;
  /** Server modes: the Ed25519 signing key as given (base64 of 32 bytes), checked when the runtime opens. */
  signingKeyEnv?: string;
}

/**
 * Request rate and connection limits. The defaults sit far above what a person or an
 * office's scripts send and far below what floods a server.
 */
export interface HttpLimits {
  /** Requests per minute from one client address (`/health` and `/metrics` excepted). */
  requestsPerMinute: number;
  /** Single proposals and imports per minute per user (token subject): each answer tells about NIKs. */
  nikRequestsPerMinute: number;
  /** Open connections the server accepts at once; more are closed on arrival. */
  maxConnections: number;
  /**
   * Which peers may say who the client is (`X-Forwarded-For`): none (`false`), the addresses
   * or CIDR ranges of the proxies in front, or how many proxy hops to believe. Believing
   * every peer would let any client pick the address its rate limit is counted under.
   */
  trustProxy: false | number | string[];
}

/** `*`: any page may read (GET, HEAD); a list: those pages may also write. */
export type CorsOrigins = '*' | string[];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const STORES: readonly StoreKind[] = ['sqlite', 'postgres', 'kurrentdb'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return n;
}

const PROXY_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)(\/\d{1,3})?$/i;

function trustProxy(env: NodeJS.ProcessEnv): false | number | string[] {
  const value = env.LEDGER_TRUST_PROXY?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (/^\d+$/.test(value)) return integer(env, 'LEDGER_TRUST_PROXY', 0, 1, 10);
  const addresses = value.split(',').map((a) => a.trim());
  const bad = addresses.find((a) => !PROXY_ADDRESS.test(a));
  if (bad !== undefined) {
    throw new ConfigError(
      'LEDGER_TRUST_PROXY',
      `must be false, a number of proxy hops from 1 to 10, or proxy addresses / CIDR ranges separated by commas (got "${bad}")`,
    );
  }
  return addresses;
}

/**
 * An origin is compared byte for byte with the browser's `Origin` header, so it is accepted
 * only in that header's form: scheme and host, a port only when not the default, no path.
 */
const ORIGIN_HOST = /^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/;

function corsOrigins(env: NodeJS.ProcessEnv): CorsOrigins | null {
  const value = env.LEDGER_CORS_ORIGINS?.trim() ?? '';
  if (value === '') return null;
  if (value === '*') return '*';
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const origin of origins) {
    let canonical: string | undefined;
    try {
      const parsed = new URL(origin);
      // A wildcard host (`https://*.kab.go.id`) parses, yet no browser ever sends it.
      if (/^https?:$/.test(parsed.protocol) && ORIGIN_HOST.test(parsed.hostname)) canonical = parsed.origin;
    } catch {
      // Not a URL at all: refused below like any other form.
    }
    if (canonical !== origin) {
      throw new ConfigError(
        'LEDGER_CORS_ORIGINS',
        `must be * alone or origins such as https://dashboard.kab.go.id (scheme and host, no path), ` +
          `separated by commas (got "${origin}"${canonical ? `; write "${canonical}"` : ''})`,
      );
    }
  }
  return origins.length > 0 ? origins : null;
}

function url(
  env: NodeJS.ProcessEnv,
  name: string,
  protocols: string[],
  required: string | false,
): string | undefined {
  const value = env[name]?.trim();
  if (!value) {
    if (required) throw new ConfigError(name, `is required ${required}`);
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `is not a valid URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'yes', 'on', 'inline'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, `must be true or false (got "${value}")`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const store = oneOf(env, 'LEDGER_STORE', STORES, 'sqlite');
  const pgSchema = env.LEDGER_PG_SCHEMA?.trim() || 'ledger';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(pgSchema)) {
    throw new ConfigError('LEDGER_PG_SCHEMA', 'must be a lower-case SQL identifier (letters, digits, _)');
  }
  return {
    store,
    dataDir: resolve(env.LEDGER_DATA_DIR?.trim() || 'data'),
    databaseUrl: url(
      env,
      'DATABASE_URL',
      ['postgres:', 'postgresql:'],
      store === 'sqlite'
        ? false
        : `when LEDGER_STORE=${store} (PostgreSQL holds the ${store === 'postgres' ? 'events and ' : ''}read models)`,
    ),
    pgSchema,
    kurrentDbUrl: url(
      env,
      'KURRENTDB_URL',
      ['kurrentdb:', 'kurrentdb+discover:', 'esdb:', 'esdb+discover:'],
      store === 'kurrentdb' ? 'when LEDGER_STORE=kurrentdb' : false,
    ),
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    runProjections: flag(env, 'LEDGER_RUN_PROJECTIONS', true),
    dailySweep: flag(env, 'LEDGER_DAILY_SWEEP', true),
    projectorPort: integer(env, 'LEDGER_PROJECTOR_PORT', 3001, 0, 65535),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    consistencyTimeoutMs: integer(env, 'LEDGER_CONSISTENCY_TIMEOUT_MS', 2000, 0, 60_000),
    readyMaxLag: env.LEDGER_READY_MAX_LAG?.trim()
      ? integer(env, 'LEDGER_READY_MAX_LAG', 0, 0, Number.MAX_SAFE_INTEGER)
      : null,
    sqliteSynchronous: oneOf(env, 'LEDGER_SQLITE_SYNCHRONOUS', ['full', 'normal'] as const, 'full'),
    httpLimits: {
      requestsPerMinute: integer(env, 'LEDGER_RATE_LIMIT_PER_MINUTE', 6000, 1, 1_000_000),
      nikRequestsPerMinute: integer(env, 'LEDGER_NIK_RATE_LIMIT_PER_MINUTE', 300, 1, 1_000_000),
      maxConnections: integer(env, 'LEDGER_MAX_CONNECTIONS', 1000, 1, 1_000_000),
      trustProxy: trustProxy(env),
    },
    corsOrigins: corsOrigins(env),
    imports: importLimits(env),
    secretsEnv: {
      LEDGER_KEK: env.LEDGER_KEK,
      LEDGER_NIK_HMAC_KEY: env.LEDGER_NIK_HMAC_KEY,
      LEDGER_JWT_SECRET: env.LEDGER_JWT_SECRET,
    },
    integrity: integrityConfig(env),
  };
}

function integrityConfig(env: NodeJS.ProcessEnv): IntegrityConfig {
  const origin = env.LEDGER_INTEGRITY_ORIGIN?.trim() || 'ledger-pekerja-rentan';
  // A signed-note key name: one word of printable ASCII, no '+'.
  if (!/^[\x21-\x2a\x2c-\x7e]{1,200}$/.test(origin))
    throw new ConfigError(
      'LEDGER_INTEGRITY_ORIGIN',
      "must be printable ASCII without spaces or '+', e.g. ledger.kab.go.id/jamsos",
    );
  return {
    origin,
    checkpointEvery: integer(env, 'LEDGER_CHECKPOINT_EVERY', 10_000, 1, 100_000_000),
    checkpointIntervalMs: integer(env, 'LEDGER_CHECKPOINT_INTERVAL_MINUTES', 60, 1, 60) * 60_000,
    signingKeyEnv: env.LEDGER_INTEGRITY_SIGNING_KEY,
  };
}

export interface ImportLimits {
  maxBytes: number;
  maxRows: number;
  maxBlankRun: number;
  maxInflatedBytes: number;
  maxInflationRatio: number;
  maxSharedStringsBytes: number;
}

const MIB = 1024 * 1024;

/** Defaults fit the largest real list: 1,000,000 rows (about 100 MB of CSV, 40 MB of XLSX). */
function importLimits(env: NodeJS.ProcessEnv): ImportLimits {
  return {
    maxBytes: integer(env, 'LEDGER_IMPORT_MAX_MB', 256, 1, 4096) * MIB,
    maxRows: integer(env, 'LEDGER_IMPORT_MAX_ROWS', 1_000_000, 1, 10_000_000),
    maxBlankRun: integer(env, 'LEDGER_IMPORT_MAX_BLANK_ROWS', 10_000, 1, 1_000_000),
    maxInflatedBytes: integer(env, 'LEDGER_IMPORT_MAX_INFLATED_MB', 1024, 1, 16_384) * MIB,
    maxInflationRatio: integer(env, 'LEDGER_IMPORT_MAX_INFLATION_RATIO', 100, 2, 10_000),
    maxSharedStringsBytes: integer(env, 'LEDGER_IMPORT_MAX_SHARED_STRINGS_MB', 256, 1, 4096) * MIB,
  };
}

/** Strips credentials from a connection string before it is logged or shown. */
export function redactUrl(value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
