import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { RunnerFailure } from '@ledger/read-models';
import type { LedgerConfig } from './config';

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

  constructor(config: LedgerConfig, onLog?: (level: 'info' | 'error', message: string, fields?: object) => void) {
    this.worker = new Worker(join(__dirname, 'projection-thread.worker.js'), { workerData: { config } });
    this.worker.on('message', (message: { log?: ['info' | 'error', string, object?]; failure?: RunnerFailure | null }) => {
      if (message.log) onLog?.(...message.log);
      if (message.failure !== undefined) this.failure = message.failure ?? undefined;
    });
    this.worker.on('error', (error) => onLog?.('error', 'projection thread failed', { error: error.message }));
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
  }

  /** Tells the thread an append happened, so it does not wait for its next poll. */
  appended(): void {
    this.worker.postMessage('appended');
  }

  /** Finishes the batch in flight, then ends the thread. */
  async stop(): Promise<void> {
    this.worker.postMessage('stop');
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 30_000).unref());
    await Promise.race([this.exited, timeout]);
    await this.worker.terminate();
  }
}
