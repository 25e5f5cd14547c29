import type { EnrollmentStatus } from '@ledger/ledger/enrollment/enrollment.state';
import type { IsoDate } from '@ledger/ledger/shared/dates';

/**
 * "What was this person's coverage on day D?" — for the participant history of the API and
 * the CLI replay, from each enrollment's state folded with the real `evolveEnrollment`.
 *
 * How dates are treated:
 *
 * - An event happened on the calendar day, in Indonesia's western time zone (WIB, UTC+7),
 *   of its `occurredAt` instant — the same day the command handler wrote as `ctx.today`
 *   (so an approval's day is its `approvedOn`). `recordedAt` (the commit instant, a few
 *   milliseconds later) is not used.
 * - Workflow facts (proposal, approval, rejection, deregistration) count on D when their
 *   day is D or earlier: the answer is what the ledger said at the end of D (WIB). A
 *   deregistration recorded after D does not change D's answer even if its effective date
 *   lies before D; one recorded by D with a later effective date leaves coverage active
 *   until that date.
 * - Coverage periods are calendar days, both ends included: from `coverageFrom` to the
 *   deregistration's `effectiveDate` when a deregistration counts on D, otherwise to the
 *   program's end, min(period end, closing day), taken from the program as it stands now
 *   (the program's own amendments are not replayed per day).
 * - "active on D" means from ≤ D ≤ to.
 */

export type StatusOn = 'none' | 'proposed' | 'approved-not-yet-started' | 'active' | 'ended' | 'rejected';

export interface CoverageOn {
  status: StatusOn;
  coverage: { from: IsoDate; to: IsoDate } | null;
}

/** What matters of an enrollment's workflow state for coverage on a day (a subset of EnrollmentState). */
export interface EnrollmentFacts {
  status: EnrollmentStatus;
  coverageFrom: IsoDate | null;
  endedOn: IsoDate | null;
}

/**
 * Status and coverage period on `date`, given the enrollment's state folded from the events
 * whose day is `date` or earlier, and the program's end (null when the program is unknown).
 */
export function coverageOn(facts: EnrollmentFacts, programEnd: IsoDate | null, date: IsoDate): CoverageOn {
  switch (facts.status) {
    case 'none':
    case 'proposed':
    case 'rejected':
      return { status: facts.status, coverage: null };
    case 'approved':
    case 'deregistered': {
      const from = facts.coverageFrom!;
      const to =
        facts.status === 'deregistered' && facts.endedOn ? facts.endedOn : (programEnd ?? '9999-12-31');
      const status: StatusOn = date > to ? 'ended' : date < from ? 'approved-not-yet-started' : 'active';
      return { status, coverage: { from, to } };
    }
  }
}
