/**
 * Numbers, money, percentages and dates as Indonesians write them (id-ID), whatever the
 * language of the texts: Rp1.349.460.000; 44,2%; 1 Oktober 2025.
 */
const integer = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const longDate = new Intl.DateTimeFormat('id-ID', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthYear = new Intl.DateTimeFormat('id-ID', { month: 'short', year: 'numeric', timeZone: 'UTC' });

export const formatNumber = (value: number) => integer.format(value);
/** Rupiah are whole numbers; "Rp" is written against the amount, as on Indonesian documents. */
export const formatRupiah = (value: number) => `Rp${integer.format(Math.round(value))}`;
/** The API's coverage figures are percentages already (44.2 means 44,2%). */
export const formatPercent = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${oneDecimal.format(value)}%`;

const parse = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`);
export const formatDate = (iso: string) => longDate.format(parse(iso));
export const formatMonth = (iso: string) => monthYear.format(parse(iso));

/** Today in Indonesia's western time zone (WIB, UTC+7), where the programs' dates live. */
export const todayWib = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/** The first day of the month `months` months before the given day. */
export function monthsBefore(iso: string, months: number): string {
  const d = parse(iso);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

const dateTime = new Intl.DateTimeFormat('id-ID', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Asia/Jakarta',
});
/** An instant as a WIB date and time: 1 Okt 2025 09.14. */
export const formatDateTime = (instant: string) => dateTime.format(new Date(instant));
