import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { RunnerFailure } from '@ledger/read-models';
import type { LedgerConfig } from '@ledger/platform/config';

const STOP_TIMEOUT_MS = 5_000;

/**
 * Embedded mode runs the projections in a worker thread of the API process: SQLite calls
 * are synchronous, so on the main thread a catch-up of a large import would hold the HTTP
 * event loop; on its own thread it also gets the second core. The thread has its own
 * connections to the event log and the read database; checkpoints live in the read
 * database, so status and read-your-writes waits work from the main thread unchanged.
 */
export class ProjectionThread {
  private readonly worker: Worker;
  private readonly exited: Promise<number>;
  /** What the thread's loop last reported failing, until it reports success. */
  failure?: RunnerFailure;

  constructor(
    config: LedgerConfig,
    private readonly onLog?: (level: 'info' | 'error', message: string, fields?: object) => void,
  ) {
    this.worker = new Worker(join(__dirname, 'projection-thread.worker.js'), { workerData: { config } });
    this.worker.on(
      'message',
      (message: { log?: ['info' | 'error', string, object?]; failure?: RunnerFailure | null }) => {
        if (message.log) onLog?.(...message.log);
        if (message.failure !== undefined) this.failure = message.failure ?? undefined;
      },
    );
    this.worker.on('error', (error) =>
      onLog?.('error', 'projection thread failed', { error: error.message }),
    );
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
  }

  /** Tells the thread an append happened, so it does not wait for its next poll. */
  appended(): void {
    this.worker.postMessage('appended');
  }

  /**
   * Finishes the batch in flight, then ends the thread. A batch takes well under a second;
   * should it take longer than STOP_TIMEOUT_MS the thread is ended anyway: its open
   * transaction, checkpoint included, is then rolled back, and the next start redoes it.
   */
  async stop(): Promise<void> {
    this.worker.postMessage('stop');
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref(),
    );
    if ((await Promise.race([this.exited, timeout])) === 'timeout')
      this.onLog?.('error', `projection thread did not stop within ${STOP_TIMEOUT_MS / 1000} s; ended`);
    await this.worker.terminate();
  }
}
