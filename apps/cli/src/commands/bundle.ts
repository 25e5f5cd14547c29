import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@ledger/platform/config';
import {
  BundleRefusal,
  IntegrityService,
  bundleReportText,
  checkBundle,
  exportBundle,
  leafSourceOf,
} from '@ledger/integrity';
import { loadCheckpointSigner, openEventStore, openTreeStore } from '@ledger/runtime';
import { CliError } from '../cli-error';

/** Some check failed: the report is printed, the exit code is 1. */
class BundleFailed extends Error {}

const OPTION_OF: Record<string, string> = {
  checkpoint: '--checkpoint',
  since: '--since',
  positions: '--positions',
  streams: '--stream',
  events: '--positions/--stream',
};

function size(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) throw new CliError(`${option}: a tree size is a whole number`);
  return Number(text);
}

/** `integrity export-bundle`: a bundle of checkpoints, events and proofs for an auditor. */
export async function exportBundleCommand(options: {
  out?: string;
  checkpoint?: string;
  since?: string;
  positions?: string;
  stream?: string[];
}): Promise<void> {
  const out = options.out;
  if (!out) throw new CliError('--out <file> is required: where to write the bundle');
  const positions = options.positions?.split(',').map((p) => p.trim());
  if (positions?.some((p) => !/^[1-9][0-9]{0,15}$/.test(p)))
    throw new CliError('--positions: log positions are whole numbers from 1, comma-separated');
  const checkpointSize = size(options.checkpoint, '--checkpoint');
  const sinceSize = size(options.since, '--since');
  const config = loadConfig();
  const signer = loadCheckpointSigner(config);
  const store = await openEventStore(config);
  const tree = await openTreeStore(config);
  try {
    const integrity = new IntegrityService(leafSourceOf(store), tree, signer, {
      checkpointEvery: config.integrity.checkpointEvery,
      checkpointIntervalMs: config.integrity.checkpointIntervalMs,
      checkpointFile: config.store === 'sqlite' ? join(config.dataDir, 'checkpoints.txt') : undefined,
    });
    let bundle;
    try {
      bundle = await exportBundle(store, integrity, signer.verifierKey, {
        checkpointSize,
        sinceSize,
        positions: positions?.map(Number),
        streams: options.stream,
      });
    } catch (error) {
      if (error instanceof BundleRefusal)
        throw new CliError(`${OPTION_OF[error.field] ?? error.field}: ${error.message}`);
      throw error;
    }
    writeFileSync(out, `${JSON.stringify(bundle)}\n`);
    const sizes = bundle.checkpoints.map((note) => note.split('\n')[1]).join(' and ');
    process.stdout.write(
      `${out}: checkpoints of tree size ${sizes}, ${bundle.events.length} event(s) with their inclusion proofs\n`,
    );
  } finally {
    await tree.close();
    await store.close();
  }
}

/** `integrity verify-bundle`: the standalone verifier's checks, from the CLI. */
export async function verifyBundleCommand(file: string, options: { publicKey?: string }): Promise<void> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const report = checkBundle(text, options);
  process.stdout.write(bundleReportText(report));
  if (!report.ok) throw new BundleFailed(`${report.failures.length} check(s) failed`);
}
