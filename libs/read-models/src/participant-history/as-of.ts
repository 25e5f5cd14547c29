import type { IsoDate } from '@ledger/ledger/shared/dates';
import { coverageTo, statusOn, type EnrollmentDates } from '../enrollments/status-on';

/**
 * "What was this person's coverage on day D?" — for the participant history of the API and
 * the CLI replay. D is the effective date, as in every report: each enrollment's stream is
 * folded (up to `knownAt` when given) with the enrollments read model's own `evolve`, and its
 * effective dates are judged by `statusOn`, the function the program summary counts with.
 * So the history's `asOf` agrees with the summary and the coverage report on every day,
 * whenever the facts were recorded: a coverage approved in December from the first of
 * October is active in October; a death recorded in January ends the coverage on its last
 * day, also on the days before the ledger learned of it — unless `knownAt` says to answer
 * as the ledger knew it before.
 *
 * Coverage periods are calendar days, both ends included: from `coverageFrom` to the
 * deregistration's last day, bounded by the program's end, min(period end, closing day), as
 * the program stood then.
 *
 * The statuses keep the names the history has always shown: `none` (nothing of it had taken
 * effect by D), `proposed` (pending), `approved-not-yet-started`, `active`, `ended`, `rejected`.
 */
export type StatusOn = 'none' | 'proposed' | 'approved-not-yet-started' | 'active' | 'ended' | 'rejected';

export interface CoverageOn {
  status: StatusOn;
  coverage: { from: IsoDate; to: IsoDate } | null;
}

const LABELS = {
  unknown: 'none',
  pending: 'proposed',
  rejected: 'rejected',
  notStarted: 'approved-not-yet-started',
  active: 'active',
  ended: 'ended',
} as const;

/**
 * Status and coverage period on `date` of an enrollment's folded row, given its program's
 * last covered day (null when the program is unknown: no end). The period is shown once the
 * approval has taken effect (not yet started, active or ended), and only if it has a day.
 */
export function coverageOn(dates: EnrollmentDates, programEnd: IsoDate | null, date: IsoDate): CoverageOn {
  const end = programEnd ?? '9999-12-31';
  const status = statusOn(dates, date, end);
  const covered = status === 'notStarted' || status === 'active' || status === 'ended';
  const to = covered ? coverageTo(dates, end) : null;
  return {
    status: LABELS[status],
    // A coverage approved to start after its program ended (closed early) never runs: no period.
    coverage: to !== null && to >= dates.coverage_from! ? { from: dates.coverage_from!, to } : null,
  };
}
