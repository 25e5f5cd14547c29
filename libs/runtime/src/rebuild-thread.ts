import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FillResult, Projection, RebuildHelper } from '@ledger/read-models';
import { ledgerProjections } from '@ledger/read-models/projections';
import type { LedgerConfig } from '@ledger/platform/config';

/**
 * Embedded mode: a full rebuild fills about half of the read models on a worker thread,
 * into a scratch file beside read.db, while the runner fills the rest; the runner then
 * copies the scratch tables in. The thread has its own connection to the event log and
 * loads the ledger's own projections, so it is offered only for those.
 */
export function rebuildHelper(config: LedgerConfig, projections: Projection[]): RebuildHelper | undefined {
  const ledger = new Set<Projection>(ledgerProjections());
  if (config.store !== 'sqlite' || !projections.every((p) => ledger.has(p))) return undefined;
  return async (names, generations) => {
    removeAbandoned(config.dataDir);
    const file = join(config.dataDir, `read.rebuild-${process.pid}-${Date.now()}.db`);
    const dispose = async () => {
      for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    };
    const worker = new Worker(join(__dirname, 'rebuild-thread.worker.js'), {
      workerData: { dataDir: config.dataDir, file, generations },
    });
    try {
      const { result, error } = await new Promise<{ result?: FillResult; error?: string }>(
        (resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`the rebuild thread ended (exit code ${code})`)));
        },
      );
      if (!result) throw new Error(`rebuilding ${names.join(', ')} on a worker thread failed: ${error}`);
      return { file, ...result, dispose };
    } catch (error) {
      await dispose();
      throw error;
    } finally {
      await worker.terminate();
    }
  };
}

/** Scratch files of rebuilds whose process is gone (killed mid-rebuild) are removed. */
function removeAbandoned(dataDir: string) {
  for (const name of readdirSync(dataDir)) {
    const pid = Number(/^read\.rebuild-(\d+)-\d+\.db/.exec(name)?.[1]);
    if (pid && !alive(pid)) rmSync(join(dataDir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
