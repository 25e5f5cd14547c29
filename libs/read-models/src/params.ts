import { isIsoDate, type IsoDate } from '@ledger/ledger/shared/dates';

export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/**
 * Bad query parameters, each named with its rule: 400 problem details over HTTP, a message
 * and exit 2 in the CLI. Nothing is queried.
 */
export class InvalidQuery extends Error {
  constructor(
    readonly errors: FieldError[],
    readonly title = 'Permintaan tidak valid',
  ) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

export function invalid(field: string, rule: string, message: string): never {
  throw new InvalidQuery([{ field, rule, message }]);
}

/** A real calendar date written YYYY-MM-DD; absent or empty is `fallback`, or refused without one. */
export function dateParam(value: unknown, field: string, fallback?: IsoDate): IsoDate {
  if (value === undefined || value === '') {
    if (fallback) return fallback;
    invalid(field, 'required', `${field} wajib diisi (YYYY-MM-DD)`);
  }
  return calendarDate(value, field);
}

export function calendarDate(value: unknown, field: string): IsoDate {
  if (!isIsoDate(value)) invalid(field, 'isCalendarDate', `${field} harus tanggal YYYY-MM-DD yang valid`);
  return value;
}
