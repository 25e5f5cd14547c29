import type { IsoDate } from '@ledger/ledger/shared/dates';

/**
 * Where an enrollment stood on day D, from the effective dates its events carry — never from
 * the day an event was recorded. The program summary and the participant history's `asOf`
 * both answer with this one function, and "active" is exactly what the coverage report
 * counts: the coverage period, whenever the approval that opened it was recorded.
 *
 * - `unknown`: nothing of it had taken effect by D (proposed later, covered later); not counted.
 * - `pending`: proposed by D, neither approved, rejected nor covered on D.
 * - `rejected`: rejected by D and never covered.
 * - `notStarted`: approved by D, its coverage starts after D.
 * - `active`: coverageFrom ≤ D ≤ last covered day.
 * - `ended`: D is past the last covered day (deregistration's last day, or the program's end).
 */
export type EnrollmentDayStatus = 'unknown' | 'pending' | 'rejected' | 'notStarted' | 'active' | 'ended';

/** The effective dates of an enrollment, as the enrollments row holds them. */
export interface EnrollmentDates {
  proposed_on: IsoDate;
  approved_on: IsoDate | null;
  rejected_on: IsoDate | null;
  coverage_from: IsoDate | null;
  /** Last day of coverage set by a deregistration. */
  ended_on: IsoDate | null;
}

/**
 * The last day a coverage runs: its deregistration's last day, bounded by the program's last
 * covered day, min(period end, closing day). A coverage that was to start after the program
 * closed early gets a last day before its first: it never runs.
 */
export function coverageTo(dates: Pick<EnrollmentDates, 'ended_on'>, programEnd: IsoDate): IsoDate {
  return dates.ended_on !== null && dates.ended_on < programEnd ? dates.ended_on : programEnd;
}

/** Where the enrollment stood on `date`, given its program's last covered day. */
export function statusOn(dates: EnrollmentDates, date: IsoDate, programEnd: IsoDate): EnrollmentDayStatus {
  if (dates.coverage_from !== null) {
    const to = coverageTo(dates, programEnd);
    if (date > to) return 'ended';
    if (date >= dates.coverage_from) return 'active';
    if (dates.approved_on !== null && dates.approved_on <= date) return 'notStarted';
    return dates.proposed_on <= date ? 'pending' : 'unknown';
  }
  if (dates.rejected_on !== null && dates.rejected_on <= date) return 'rejected';
  return dates.proposed_on <= date ? 'pending' : 'unknown';
}
