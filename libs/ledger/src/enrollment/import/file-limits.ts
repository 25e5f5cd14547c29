import { eventLoopTurns } from '../../shared/event-loop-turns';
import { NominationFileError } from './nomination-row';
import type { TextEncodingName } from './text-encoding';

/**
 * What one file may cost. The defaults fit the largest real list (1,000,000 rows, a province's
 * village apparatus); the API takes them from its configuration.
 */
export interface NominationFileLimits {
  /** Data rows (blank rows not counted). */
  maxRows: number;
  /** Consecutive blank rows: a template's pre-numbered rows, not a million empty lines. */
  maxBlankRun: number;
  /** XLSX: bytes of all its parts once inflated. */
  maxInflatedBytes: number;
  /** XLSX: inflated bytes per compressed byte, checked once the parts exceed 64 MiB inflated. */
  maxInflationRatio: number;
  /** XLSX: inflated size of the shared-strings part, which the reader keeps in memory. */
  maxSharedStringsBytes: number;
}

export const DEFAULT_FILE_LIMITS: NominationFileLimits = {
  maxRows: 1_000_000,
  maxBlankRun: 10_000,
  maxInflatedBytes: 1024 * 1024 * 1024,
  maxInflationRatio: 100,
  maxSharedStringsBytes: 256 * 1024 * 1024,
};

export interface ParseOptions {
  limits?: Partial<NominationFileLimits>;
  /** CSV only: how to decode the bytes (see text-encoding.ts); default UTF-8. */
  encoding?: TextEncodingName;
  /** Aborted when the client goes away: the iteration stops with 'import.cancelled'. */
  signal?: AbortSignal;
}

/** Turns of the event loop while a file is read; after each, a client gone stops the work. */
export function readingTurns(signal?: AbortSignal): () => Promise<void> {
  return eventLoopTurns(() => {
    if (signal?.aborted) throw cancelled();
  });
}

export function cancelled(): NominationFileError {
  return new NominationFileError('import.cancelled', 'Unggahan dihentikan: klien menutup koneksi.');
}
