import { HttpStatus } from '@nestjs/common';
import { storeFault } from '@ledger/event-store';
import { problemType, type ProblemBody } from './problem';

const PROBLEMS = {
  unavailable: {
    slug: 'store.unavailable',
    title: 'Penyimpanan tidak dapat dijangkau; coba lagi sebentar lagi',
    status: HttpStatus.SERVICE_UNAVAILABLE,
  },
  disk_full: {
    slug: 'store.disk-full',
    title: 'Disk penyimpanan penuh; data tidak disimpan',
    status: HttpStatus.INSUFFICIENT_STORAGE,
  },
  disk_failing: {
    slug: 'store.disk-failing',
    title: 'Disk penyimpanan gagal atau hanya-baca; data tidak disimpan',
    status: HttpStatus.SERVICE_UNAVAILABLE,
  },
} as const;

/**
 * A fault of the storage (database unreachable, disk full, disk failing) as problem details
 * that say so: 503, or 507 for a full disk. The driver's message goes to the log, not here.
 */
export function storeFaultProblem(error: unknown): ProblemBody | undefined {
  const fault = storeFault(error);
  if (!fault) return undefined;
  const { slug, title, status } = PROBLEMS[fault.kind];
  return { type: problemType(slug), title, status, fault: fault.kind };
}
