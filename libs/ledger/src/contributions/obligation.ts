import {
  addDays,
  daysInMonth,
  maxDate,
  minDate,
  pad2,
  parseIsoDate,
  toEpochDay,
  type IsoDate,
} from '../shared/dates';

/** A calendar month, `YYYY-MM`. */
export type YearMonth = string;

/**
 * Which months a coverage owes when it starts or ends inside one — a program setting:
 * - `any_day` (the default): a month is owed when the coverage is active on any day of it;
 * - `first_day`: when it is active on the 1st of the month (a start after the 1st is owed
 *   from the next month);
 * - `whole_month`: only when it is active on every day of the month.
 */
export type MonthRule = 'any_day' | 'first_day' | 'whole_month';
export const MONTH_RULES: readonly MonthRule[] = ['any_day', 'first_day', 'whole_month'];
export const DEFAULT_MONTH_RULE: MonthRule = 'any_day';

/** Arrears may be paid up to this many months after the month's due date without lapse. */
export const GRACE_MONTHS = 3;

export function isYearMonth(value: unknown): value is YearMonth {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

export const monthOf = (day: IsoDate): YearMonth => day.slice(0, 7);
export const firstDayOf = (month: YearMonth): IsoDate => `${month}-01`;
export function lastDayOf(month: YearMonth): IsoDate {
  const [year, m] = month.split('-').map(Number);
  return `${month}-${pad2(daysInMonth(year, m))}`;
}

export function addMonths(month: YearMonth, count: number): YearMonth {
  const [year, m] = month.split('-').map(Number);
  const index = year * 12 + (m - 1) + count;
  return `${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`;
}

/** The months from `from` to `to`, both included. */
export function monthsBetween(from: YearMonth, to: YearMonth): YearMonth[] {
  const months: YearMonth[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** A coverage's first and last covered day (both included). */
export interface CoveredDays {
  from: IsoDate;
  to: IsoDate;
}

/**
 * Whether a coverage owes the contribution of `month` under `rule`. The one place the rule is
 * applied: invoices, reports and eligibility all ask here.
 */
export function owesMonth(coverage: CoveredDays, month: YearMonth, rule: MonthRule): boolean {
  if (coverage.to < coverage.from) return false;
  const first = firstDayOf(month);
  const last = lastDayOf(month);
  switch (rule) {
    case 'any_day':
      return coverage.from <= last && coverage.to >= first;
    case 'first_day':
      return coverage.from <= first && coverage.to >= first;
    case 'whole_month':
      return coverage.from <= first && coverage.to >= last;
  }
}

/** Every month a coverage owes, in order. */
export function monthsOwed(coverage: CoveredDays, rule: MonthRule): YearMonth[] {
  if (coverage.to < coverage.from) return [];
  return monthsBetween(monthOf(coverage.from), monthOf(coverage.to)).filter((m) =>
    owesMonth(coverage, m, rule),
  );
}

/** The days a coverage and a month share (for reports that show partial months). */
export function overlapOf(coverage: CoveredDays, month: YearMonth): CoveredDays | null {
  const from = maxDate(coverage.from, firstDayOf(month));
  const to = minDate(coverage.to, lastDayOf(month));
  return from <= to ? { from, to } : null;
}

/** Saturday or Sunday. */
function isWeekend(day: IsoDate): boolean {
  // Epoch day 0 (1970-01-01) was a Thursday.
  const weekday = (toEpochDay(parseIsoDate(day)!) + 4) % 7; // 0 = Sunday
  return weekday === 0 || weekday === 6;
}

/** The day itself when it is a working day, else the next working day. */
export function nextWorkingDay(day: IsoDate, nonWorkingDays: ReadonlySet<IsoDate>): IsoDate {
  let d = day;
  // Bounded: no calendar has a year of consecutive non-working days.
  for (let i = 0; i < 366 && (isWeekend(d) || nonWorkingDays.has(d)); i++) d = addDays(d, 1);
  return d;
}

/** A month's contribution is due by the 15th of that month, moved to the next working day. */
export function dueDateOf(month: YearMonth, nonWorkingDays: ReadonlySet<IsoDate>): IsoDate {
  return nextWorkingDay(`${month}-15`, nonWorkingDays);
}

/**
 * The last day a month's arrears may still be paid without the membership lapsing: the due
 * date of the month `GRACE_MONTHS` later. On the next day, that month and the three after it
 * are all past due — more than three consecutive unpaid months — and the coverage ends.
 */
export function graceEndOf(month: YearMonth, nonWorkingDays: ReadonlySet<IsoDate>): IsoDate {
  return dueDateOf(addMonths(month, GRACE_MONTHS), nonWorkingDays);
}

/** Months since the due date, for arrears by age: 1 while within the first month after it, and so on. */
export function arrearsAgeMonths(dueDate: IsoDate, on: IsoDate): number {
  if (on <= dueDate) return 0;
  const due = parseIsoDate(dueDate)!;
  const day = parseIsoDate(on)!;
  const months = (day.year - due.year) * 12 + (day.month - due.month) - (day.day <= due.day ? 1 : 0);
  return months + 1;
}
