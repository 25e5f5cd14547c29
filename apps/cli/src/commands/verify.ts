import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type LedgerConfig } from '@ledger/platform/config';
import {
  CheckpointSigner,
  IntegrityService,
  KEY_ROTATIONS_FILE,
  SIGNING_KEY_ENV,
  SIGNING_KEY_FILE,
  replaceSigningKey,
  signRotation,
  signingKeyFromEnv,
  leafSourceOf,
  parseVerifierKey,
  postgresRawLog,
  splitNotes,
  sqliteRawLog,
  verifyLog,
  type RawLog,
  type TreeLeaf,
  type TreeStore,
  type VerifierKey,
  type VerifyReport,
} from '@ledger/integrity';
import { loadCheckpointSigner, openEventStore, openTreeStore } from '@ledger/runtime';
import { CliError } from '../cli-error';

export interface VerifyOptions {
  publicKey?: string;
  checkpoints?: string;
  rotations?: string;
  json?: boolean;
}

/** Some finding: the report is printed, the exit code is 1. */
class TamperFound extends Error {}

function rawLogOf(config: LedgerConfig): RawLog {
  if (config.store === 'sqlite') {
    const file = join(config.dataDir, 'ledger.db');
    if (!existsSync(file)) throw new CliError(`no event log at ${file}`);
    return sqliteRawLog(file);
  }
  if (config.store === 'postgres') return postgresRawLog(config.databaseUrl!, config.pgSchema);
  throw new CliError(
    'verify reads the raw tables of SQLite or PostgreSQL; a KurrentDB log is not supported yet',
  );
}

/** The published key if one is given (what an auditor does); otherwise the operator's own. */
function keyOf(config: LedgerConfig, publicKey?: string): VerifierKey {
  if (publicKey) {
    try {
      return parseVerifierKey(publicKey);
    } catch (error) {
      throw new CliError(`--public-key: ${(error as Error).message}`);
    }
  }
  if (config.store === 'sqlite' && !existsSync(join(config.dataDir, SIGNING_KEY_FILE)))
    throw new CliError(
      `no signing key in ${config.dataDir}: pass --public-key <name+id+key> (GET /api/integrity/public-key)`,
    );
  return parseVerifierKey(loadCheckpointSigner(config).verifierKey);
}

function treeLeavesOf(tree: TreeStore) {
  return (from: number): AsyncIterable<TreeLeaf[]> => ({
    async *[Symbol.asyncIterator]() {
      for (let i = from; ;) {
        const page = await tree.leaves(i, 50_000);
        if (page.length === 0) return;
        yield page;
        i = page[page.length - 1].index + 1;
      }
    },
  });
}

/**
 * `verify`: every event of the raw store hashed again, the tree rebuilt over them and held
 * against every published checkpoint; each stream's revisions and the positions checked.
 */
export async function verifyCommand(options: VerifyOptions): Promise<void> {
  const config = loadConfig();
  const key = keyOf(config, options.publicKey);
  const log = rawLogOf(config);
  const tree = await openTreeStore(config);
  try {
    const notes = (await tree.checkpoints()).map((c) => c.note);
    const file =
      options.checkpoints ??
      (config.store === 'sqlite' ? join(config.dataDir, 'checkpoints.txt') : undefined);
    if (options.checkpoints && !existsSync(options.checkpoints))
      throw new CliError(`--checkpoints: no file ${file}`);
    if (file && existsSync(file)) notes.push(...splitNotes(readFileSync(file, 'utf8')));
    const rotationsFile =
      options.rotations ?? (config.store === 'sqlite' ? join(config.dataDir, KEY_ROTATIONS_FILE) : undefined);
    if (options.rotations && !existsSync(options.rotations))
      throw new CliError(`--rotations: no file ${options.rotations}`);
    const rotations =
      rotationsFile && existsSync(rotationsFile) ? splitNotes(readFileSync(rotationsFile, 'utf8')) : [];
    const started = performance.now();
    const report = await verifyLog({
      log,
      notes,
      key,
      origin: key.name,
      rotations,
      treeLeaves: treeLeavesOf(tree),
    });
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      options.json ? `${JSON.stringify({ ...report, seconds })}\n` : text(report, seconds),
    );
    if (!report.ok) throw new TamperFound(`verify: ${report.findings.length} finding(s)`);
  } finally {
    await tree.close();
  }
}

function text(report: VerifyReport, seconds: number): string {
  const lines = [
    `events: ${report.events} (${Math.round(report.events / Math.max(seconds, 1e-6))} events/s)`,
    `checkpoints: ${report.checkpoints.length} signed, ${report.checkpoints.filter((c) => c.holds).length} hold`,
  ];
  if (report.holdsUpTo !== undefined) {
    const index = report.checkpoints.findIndex((c) => c.size === report.holdsUpTo) + 1;
    lines.push(`everything up to checkpoint ${index} (tree size ${report.holdsUpTo}) holds`);
    const later = report.events - report.holdsUpTo;
    if (later > 0) lines.push(`${later} later event(s) not yet under a checkpoint`);
  } else if (report.checkpoints.length === 0) lines.push('no signed checkpoint yet');
  for (const finding of report.findings) lines.push(`${finding.kind.toUpperCase()}: ${finding.message}`);
  lines.push(report.ok ? 'OK' : `FAILED: ${report.findings.length} finding(s)`);
  return `${lines.join('\n')}\n`;
}

/** `checkpoint`: extends the tree to the log's head and signs a checkpoint now. */
export async function checkpointCommand(options: { json?: boolean }): Promise<void> {
  const config = loadConfig();
  const signer = loadCheckpointSigner(config);
  const store = await openEventStore(config);
  const tree = await openTreeStore(config);
  try {
    const service = new IntegrityService(leafSourceOf(store), tree, signer, {
      checkpointEvery: config.integrity.checkpointEvery,
      checkpointIntervalMs: config.integrity.checkpointIntervalMs,
      checkpointFile: config.store === 'sqlite' ? join(config.dataDir, 'checkpoints.txt') : undefined,
    });
    const checkpoint = await service.checkpoint();
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ treeSize: checkpoint.size, rootHash: checkpoint.root.toString('base64'), note: checkpoint.note })}\n`
        : checkpoint.note,
    );
  } finally {
    await tree.close();
    await store.close();
  }
}

/**
 * `rotate-key`: a new checkpoint signing key, announced by a statement signed by the old key
 * and the new one. Embedded mode: the statement goes to data/key-rotations.txt and the new key
 * replaces the old one (kept beside it); run it with the ledger stopped, or restart it after.
 * Server modes: the statement for LEDGER_INTEGRITY_SIGNING_KEY → `--new-key` is printed, to be
 * published and kept before the variable is switched.
 */
export async function rotateKeyCommand(options: { newKey?: string }): Promise<void> {
  const config = loadConfig();
  if (config.store === 'sqlite' && !existsSync(join(config.dataDir, SIGNING_KEY_FILE)))
    throw new CliError(`no signing key in ${config.dataDir} to rotate`);
  const old = loadCheckpointSigner(config);
  let seed: Buffer;
  if (config.store === 'sqlite') {
    if (options.newKey)
      throw new CliError('--new-key is for the server modes; the embedded mode makes its own');
    seed = randomBytes(32);
  } else {
    if (!options.newKey) throw new CliError('--new-key <base64 of 32 bytes> is required in the server modes');
    try {
      seed = signingKeyFromEnv({ [SIGNING_KEY_ENV]: options.newKey });
    } catch (error) {
      throw new CliError(`--new-key: ${(error as Error).message.replace(`${SIGNING_KEY_ENV} `, '')}`);
    }
  }
  const next = new CheckpointSigner(old.name, seed);
  if (next.publicKey.equals(old.publicKey)) throw new CliError('--new-key is the current key');
  const statement = signRotation(old, next, new Date());
  if (config.store === 'sqlite') {
    appendFileSync(join(config.dataDir, KEY_ROTATIONS_FILE), `${statement}\n`);
    replaceSigningKey(config.dataDir, seed);
  }
  process.stdout.write(statement);
}
