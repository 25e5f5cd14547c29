import { mkdirSync, statSync, accessSync, constants } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SqliteEventStore,
  StoreUnavailableError,
  withAppendHook,
  type EventStore,
} from '@ledger/event-store';
import {
  ProjectionRunner,
  openPostgresReadDb,
  openSqliteReadDb,
  type Projection,
  type ReadDb,
  type RunnerFailure,
  type RunnerLogger,
} from '@ledger/read-models';
import { retiredReadModels } from '@ledger/read-models/projections';
import { ConfigError, redactUrl, type LedgerConfig } from '@ledger/platform/config';
import {
  PostgresPersonKeyStore,
  SqlitePersonKeyStore,
  loadOrCreateSecrets,
  secretsFromEnv,
  verifyKeyStore,
  type LedgerSecrets,
  type PersonKeyStore,
} from '@ledger/crypto';
import { LedgerMetrics } from '@ledger/platform/metrics';
import {
  CheckpointSigner,
  IntegrityService,
  SqliteTreeStore,
  leafSourceOf,
  loadOrCreateSigningKey,
  signingKeyFromEnv,
  type TreeStore,
} from '@ledger/integrity';
import { ProjectionThread } from './projection-thread';
import { rebuildHelper } from './rebuild-thread';

/** Everything a process of the ledger needs, opened once from the configuration. */
export interface LedgerRuntime {
  config: LedgerConfig;
  store: EventStore;
  read: ReadDb;
  runner: ProjectionRunner;
  metrics: LedgerMetrics;
  secrets: LedgerSecrets;
  /** Per-person data keys, outside the event log. */
  keys: PersonKeyStore;
  /** The Merkle tree over the log, its signed checkpoints and proofs; built where the projections run. */
  integrity: IntegrityService;
  /**
   * Starts the projections: on their own thread in embedded mode (see ProjectionThread),
   * in this process otherwise. `close()` stops them after their batch in flight.
   */
  startProjections(): void;
  /** Why the projections of this process are failing now (thread or runner), if they are. */
  projectionFailure(): RunnerFailure | undefined;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  projections: Projection[];
  /**
   * Refuse read models and a key store that do not match the event log (default true; see
   * `ProjectionRunner.verifyAgainstLog` and `verifyKeyStore`). Off only for the rebuild that repairs them.
   */
  verify?: boolean;
  logger?: RunnerLogger;
  metrics?: LedgerMetrics;
}

/** Creates the data directory or explains in one line why it cannot be used. */
export function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new StoreUnavailableError(
      `LEDGER_DATA_DIR ${dir} is not a writable directory (${(error as Error).message})`,
    );
  }
}

const PROBE_BYTES = 64 * 1024;

/**
 * Whether the data directory takes a write now: 64 KiB written and flushed to a file, then
 * removed. Reading the databases still works on a full or read-only disk, so only a write
 * tells; the error (ENOSPC, EROFS, EIO) names the fault.
 */
export async function probeDataDir(dir: string): Promise<void> {
  const file = join(dir, '.ready-probe');
  try {
    const handle = await open(file, 'w');
    try {
      await handle.write(Buffer.alloc(PROBE_BYTES));
      await handle.datasync();
    } finally {
      await handle.close();
    }
  } finally {
    await rm(file, { force: true }).catch(() => undefined);
  }
}

export async function openEventStore(config: LedgerConfig): Promise<EventStore> {
  switch (config.store) {
    case 'sqlite':
      prepareDataDir(config.dataDir);
      return new SqliteEventStore(join(config.dataDir, 'ledger.db'), {
        synchronous: config.sqliteSynchronous,
      });
    case 'postgres': {
      const { PostgresEventStore } = await import('@ledger/event-store/postgres/postgres-event-store');
      return PostgresEventStore.create({ connectionString: config.databaseUrl!, schema: config.pgSchema });
    }
    case 'kurrentdb': {
      const { KurrentDbEventStore } = await import('@ledger/event-store/kurrentdb/kurrentdb-event-store');
      return KurrentDbEventStore.create({ connectionString: config.kurrentDbUrl! });
    }
  }
}

export async function openReadDb(config: LedgerConfig): Promise<ReadDb> {
  if (config.store === 'sqlite') {
    try {
      const read = openSqliteReadDb(join(config.dataDir, 'read.db'));
      await read.query.selectNoFrom((eb) => eb.val(1).as('ok')).execute();
      return read;
    } catch (error) {
      throw new StoreUnavailableError(
        `cannot open the read database in ${config.dataDir}: ${(error as Error).message}`,
      );
    }
  }
  try {
    return await openPostgresReadDb(config.databaseUrl!, config.pgSchema);
  } catch (error) {
    throw new StoreUnavailableError(
      `DATABASE_URL ${redactUrl(config.databaseUrl!)} is unreachable: ${(error as Error).message}`,
    );
  }
}

/** Embedded mode creates its secrets in the data directory; the other modes take them from configuration. */
export function loadSecrets(config: LedgerConfig): LedgerSecrets {
  if (config.store === 'sqlite') {
    prepareDataDir(config.dataDir);
    return loadOrCreateSecrets(config.dataDir);
  }
  try {
    return secretsFromEnv(config.secretsEnv);
  } catch (error) {
    const message = (error as Error).message;
    throw new ConfigError(
      message.match(/LEDGER_[A-Z_]+/)?.[0] ?? 'LEDGER_KEK',
      message.replace(/^LEDGER_[A-Z_]+:?\s*/, ''),
    );
  }
}

export async function openKeyStore(config: LedgerConfig, secrets: LedgerSecrets): Promise<PersonKeyStore> {
  try {
    return config.store === 'sqlite'
      ? new SqlitePersonKeyStore(join(config.dataDir, 'keys.db'), secrets.kek)
      : await PostgresPersonKeyStore.open({
          connectionString: config.databaseUrl!,
          schema: config.pgSchema,
          kek: secrets.kek,
        });
  } catch (error) {
    throw new StoreUnavailableError(`cannot open the personal-data key store: ${(error as Error).message}`);
  }
}

/** The checkpoint signer: created in the data folder in embedded mode, LEDGER_INTEGRITY_SIGNING_KEY otherwise. */
export function loadCheckpointSigner(config: LedgerConfig): CheckpointSigner {
  if (config.store === 'sqlite') {
    prepareDataDir(config.dataDir);
    return new CheckpointSigner(config.integrity.origin, loadOrCreateSigningKey(config.dataDir));
  }
  try {
    return new CheckpointSigner(
      config.integrity.origin,
      signingKeyFromEnv({ LEDGER_INTEGRITY_SIGNING_KEY: config.integrity.signingKeyEnv }),
    );
  } catch (error) {
    throw new ConfigError(
      'LEDGER_INTEGRITY_SIGNING_KEY',
      (error as Error).message.replace(/^LEDGER_INTEGRITY_SIGNING_KEY:?\s*/, ''),
    );
  }
}

/** Embedded mode: the tree in `integrity.db` beside the log; otherwise tables in the ledger's PostgreSQL schema. */
export async function openTreeStore(config: LedgerConfig): Promise<TreeStore> {
  try {
    if (config.store === 'sqlite') return new SqliteTreeStore(join(config.dataDir, 'integrity.db'));
    const { PostgresTreeStore } = await import('@ledger/integrity/postgres-tree-store');
    return await PostgresTreeStore.open(config.databaseUrl!, config.pgSchema);
  } catch (error) {
    throw new StoreUnavailableError(`cannot open the integrity tree: ${(error as Error).message}`);
  }
}

export async function openRuntime(config: LedgerConfig, options: RuntimeOptions): Promise<LedgerRuntime> {
  const metrics = options.metrics ?? new LedgerMetrics();
  const secrets = loadSecrets(config);
  const signer = loadCheckpointSigner(config);
  const rawStore = await openEventStore(config);
  let read: ReadDb;
  try {
    read = await openReadDb(config);
  } catch (error) {
    await rawStore.close();
    throw error;
  }
  let keys: PersonKeyStore;
  try {
    keys = await openKeyStore(config, secrets);
  } catch (error) {
    await read.close();
    await rawStore.close();
    throw error;
  }
  let tree: TreeStore;
  try {
    tree = await openTreeStore(config);
  } catch (error) {
    await Promise.allSettled([read.close(), keys.close(), rawStore.close()]);
    throw error;
  }
  const integrity = new IntegrityService(leafSourceOf(rawStore), tree, signer, {
    checkpointEvery: config.integrity.checkpointEvery,
    checkpointIntervalMs: config.integrity.checkpointIntervalMs,
    // Published outside the database too: a plain file in the data folder, one note after another.
    checkpointFile: config.store === 'sqlite' ? join(config.dataDir, 'checkpoints.txt') : undefined,
    logger: options.logger,
  });
  let thread: ProjectionThread | undefined;
  // The projection thread has its own connection to the log: it is told of each append here.
  const store = withAppendHook(metrics.instrument(rawStore), () => thread?.appended());
  const runner = new ProjectionRunner(store, read, options.projections, {
    logger: options.logger,
    retired: retiredReadModels,
    rebuildHelper: rebuildHelper(config, options.projections),
    onBatch(projection, events, position) {
      metrics.projectedEvents.inc({ projection }, events);
      metrics.projectionPosition.set({ projection }, position);
    },
    onRebuild: {
      started: (names) => names.forEach((projection) => metrics.rebuildInProgress.set({ projection }, 1)),
      applied: (projection, events) => metrics.rebuildEvents.inc({ projection }, events),
      ended: (names) => names.forEach((projection) => metrics.rebuildInProgress.set({ projection }, 0)),
    },
  });
  // Every read model has its series from the start, so a dashboard sees 0 rather than nothing.
  for (const { name: projection } of options.projections) {
    metrics.rebuildInProgress.set({ projection }, 0);
    metrics.rebuildEvents.inc({ projection }, 0);
  }
  try {
    await runner.install();
    if (options.verify !== false) {
      await runner.verifyAgainstLog();
      await verifyKeyStore(store, keys);
    }
  } catch (error) {
    await Promise.allSettled([read.close(), keys.close(), tree.close(), rawStore.close()]);
    throw error;
  }
  return {
    config,
    store,
    read,
    runner,
    metrics,
    secrets,
    keys,
    integrity,
    startProjections() {
      integrity.start();
      if (config.store === 'sqlite') {
        thread ??= new ProjectionThread(config, (level, message, fields) =>
          level === 'error'
            ? options.logger?.error(message, fields as Record<string, unknown>)
            : options.logger?.info(message, fields as Record<string, unknown>),
        );
      } else runner.start();
    },
    projectionFailure() {
      return thread ? thread.failure : runner.failing();
    },
    async close() {
      await thread?.stop();
      await runner.stop();
      await integrity.stop();
      await tree.close();
      await read.close();
      await keys.close();
      await rawStore.close();
    },
  };
}
