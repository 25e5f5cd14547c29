import type { EventStore } from '@ledger/event-store';
import { isIsoDate } from '@ledger/ledger/shared/dates';
import { invalid } from './params';

/**
 * `knownAt`: a report as the ledger knew it at a moment, where `date` (or `asOf`) says which
 * day the report is about. Given as
 *
 * - a consistency token (the log position every write returns): the events up to and
 *   including that position;
 * - an ISO-8601 instant with its offset (`2026-11-30T17:00:00Z`, `…+07:00`): the events
 *   recorded at or before it;
 * - a calendar day `YYYY-MM-DD`: the events recorded by the end of that day in Indonesia's
 *   western time zone (WIB, UTC+7), where the ledger's days live.
 *
 * Every read model resolves it to one log position and counts exactly the events at or
 * before it, so two reports with the same `knownAt` agree with each other and with a printed
 * report the ledger gave at that moment.
 */
export type KnownAtInput = { kind: 'position'; position: number } | { kind: 'instant'; at: number };

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses `knownAt`; absent or empty is undefined. Refuses anything else with 400 naming the field. */
export function knownAtParam(value: unknown, field = 'knownAt'): KnownAtInput | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) {
    return { kind: 'position', position: Number(value) };
  }
  if (typeof value === 'string' && isIsoDate(value)) {
    return { kind: 'instant', at: Date.parse(`${value}T23:59:59.999+07:00`) };
  }
  if (typeof value === 'string' && INSTANT.test(value)) {
    const at = Date.parse(value);
    if (Number.isFinite(at)) return { kind: 'instant', at };
  }
  invalid(
    field,
    'isKnownAt',
    `${field} harus token konsistensi (angka), waktu ISO-8601 dengan zona waktu, atau tanggal YYYY-MM-DD`,
  );
}

/**
 * The log position `knownAt` stands for. A token beyond the log's head is refused (it names
 * a write this ledger never acknowledged). An instant is found by bisecting the log on its
 * recording times, which follow the log's order: about log₂(head) reads of one event each.
 */
export async function resolveKnownAt(
  store: EventStore,
  input: KnownAtInput,
  field = 'knownAt',
): Promise<number> {
  const head = await store.headPosition();
  if (input.kind === 'position') {
    if (input.position > head) {
      invalid(field, 'notYetRecorded', `${field} ${input.position} melampaui posisi terakhir log (${head})`);
    }
    return input.position;
  }
  return await lastRecordedBy(store, input.at, head);
}

/** Position of the last event recorded at or before `at` (0 when none was). */
async function lastRecordedBy(store: EventStore, at: number, head: number): Promise<number> {
  const firstAfter = async (after: number) => (await store.readAll({ after, maxCount: 1 }))[0];
  // Invariant: the first event after `lo` was recorded by `at` (or lo is below every event
  // and that still holds); the first event after `hi` was not, or there is none.
  let lo = -1;
  let hi = head;
  let found: number | null = null;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    const event = await firstAfter(mid - 1);
    if (event && Date.parse(event.recordedAt) <= at) {
      found = event.position;
      lo = event.position;
    } else {
      hi = mid - 1;
    }
  }
  return found ?? 0;
}
