import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RecordedEvent } from '../port';
import { toRecorded, type EventRow } from '../event-row';

/** A row of the page query, columns in its order. */
function decode([
  position,
  stream_id,
  revision,
  type,
  data,
  metadata,
  recorded_at,
]: unknown[]): RecordedEvent {
  return toRecorded({ position, stream_id, revision, type, data, metadata, recorded_at } as EventRow);
}

/**
 * A read-only connection to the log file on a thread of its own. better-sqlite3 blocks the
 * thread that calls it; reading here, the next page of a rebuild is read while the main
 * thread applies the current one, on the second core. Rows come over as arrays of column
 * values and are decoded on arrival: copying strings between threads costs less than
 * copying the decoded objects, and less than one large JSON text parsed whole (measured).
 */
export class LogReaderThread {
  private readonly worker: Worker;
  private pending?: { resolve(events: RecordedEvent[]): void; reject(error: Error): void };
  private failure?: Error;

  constructor(file: string) {
    this.worker = new Worker(join(__dirname, 'log-reader.worker.js'), { workerData: { file } });
    this.worker.on('message', (reply: { rows?: unknown[][]; error?: string }) => {
      const pending = this.settle();
      if (reply.error !== undefined) pending?.reject(new Error(`reading the log failed: ${reply.error}`));
      else pending?.resolve(reply.rows!.map(decode));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the log reader thread ended (exit code ${code})`)));
  }

  /** Runs one page query (`decode` names its columns); one read at a time. */
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
