import { todayInIndonesia, type IsoDate } from '@ledger/ledger/shared/dates';

/** The calendar day (WIB) of an ISO instant: the day the read models file an event under. */
export function dayOf(instant: string): IsoDate {
  return todayInIndonesia(new Date(instant));
}

export function nextDay(day: IsoDate): IsoDate {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The last day of each month from `from` to `to`, `to` itself closing a partial last month. */
export function monthEnds(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  for (;;) {
    const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    if (end >= to) {
      out.push(to);
      return out;
    }
    out.push(end);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

/** The same day one month earlier (clamped to the month's last day). */
export function oneMonthBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y, m - 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 2, Math.min(d, lastDay))).toISOString().slice(0, 10);
}
