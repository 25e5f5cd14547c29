import { isIsoDate, type IsoDate } from '../../shared/dates';
import type { CalendarEvent } from '../contribution.events';
import { fieldRefusal } from '../refusal';

export interface SetNonWorkingDays {
  type: 'SetNonWorkingDays';
  year: number;
  days: IsoDate[];
  note: string | null;
}

/** At most one a day of the year. */
export const MAX_NON_WORKING_DAYS = 366;

/**
 * Replaces a year's list of non-working days (national holidays, cuti bersama): every day in
 * that year, each once. Due dates of invoices already issued keep the day they were given.
 */
export function decideSetNonWorkingDays(command: SetNonWorkingDays): CalendarEvent[] {
  const { year, days } = command;
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw fieldRefusal('year', 'calendar.year', 'year harus tahun antara 2000 dan 2100');
  }
  if (days.length > MAX_NON_WORKING_DAYS) {
    throw fieldRefusal('days', 'calendar.days.max', `days paling banyak ${MAX_NON_WORKING_DAYS} hari`);
  }
  for (const day of days) {
    if (!isIsoDate(day) || !day.startsWith(`${year}-`)) {
      throw fieldRefusal(
        'days',
        'calendar.days.year',
        `Hari ${String(day)} bukan tanggal pada tahun ${year}`,
      );
    }
  }
  if (new Set(days).size !== days.length) {
    throw fieldRefusal('days', 'calendar.days.unique', 'days tidak boleh berisi tanggal yang sama dua kali');
  }
  return [{ type: 'NonWorkingDaysSet', data: { year, days: [...days].sort(), note: command.note } }];
}
