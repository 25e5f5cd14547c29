import type { IsoDate } from '@ledger/ledger/shared/dates';
import { calendarDate } from '../params';

/** `asOf`: absent, or a real calendar date written YYYY-MM-DD. */
export function asOfParam(value: unknown): IsoDate | undefined {
  return value === undefined ? undefined : calendarDate(value, 'asOf');
}
