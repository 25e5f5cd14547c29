import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RecordedEvent } from '../port';

/**
 * A read-only connection to the log file on a thread of its own. better-sqlite3 blocks the
 * thread that calls it; reading here, the next page of a rebuild is read while the main
 * thread applies the current one, on the second core. Each page comes over as one JSON
 * text (data and metadata are stored as JSON already) and is parsed on arrival: one string
 * copy instead of a structured clone of every object.
 */
export class LogReaderThread {
  private readonly worker: Worker;
  private pending?: { resolve(events: RecordedEvent[]): void; reject(error: Error): void };
  private failure?: Error;

  constructor(file: string) {
    this.worker = new Worker(join(__dirname, 'log-reader.worker.js'), { workerData: { file } });
    this.worker.on('message', (reply: { json?: string; error?: string }) => {
      const pending = this.settle();
      if (reply.error !== undefined) pending?.reject(new Error(`reading the log failed: ${reply.error}`));
      else pending?.resolve(JSON.parse(reply.json!) as RecordedEvent[]);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the log reader thread ended (exit code ${code})`)));
  }

  /** Runs one page query (columns as in the store's page query); one read at a time. */
  read(sql: string, params: unknown[]): Promise<RecordedEvent[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error('the log reader thread is busy'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage({ sql, params });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private settle() {
    const pending = this.pending;
    this.pending = undefined;
    return pending;
  }

  private fail(error: Error) {
    this.failure ??= error;
    this.settle()?.reject(error);
  }
}
