import type { IsoDate } from '../shared/dates';
import type { ClaimKind, EligibilityReason } from './claim.events';
import { daysBetween } from './claim.state';

export interface EligibilityFacts {
  kind: ClaimKind;
  eventDate: IsoDate;
  reportedOn: IsoDate;
  today: IsoDate;
  /** The enrollment's covered days: first and last (null while it runs, up to the program's end). */
  coverage: { from: IsoDate; to: IsoDate } | null;
  /** The event month's contribution line: paid, and the last day its arrears may be paid. */
  contribution: { paid: boolean; graceEnd: IsoDate };
  /** Days a work accident may be reported after it happened: the program's own term. */
  reportingWindowDays: number;
}

/** Every rule the claim fails, in a fixed order; none means eligible. */
export function eligibilityReasons(facts: EligibilityFacts): EligibilityReason[] {
  const reasons: EligibilityReason[] = [];
  const { coverage, eventDate } = facts;
  const covered = coverage !== null && coverage.from <= eventDate && eventDate <= coverage.to;
  if (!covered) reasons.push('not_covered_on_event_date');
  // Arrears of the month may still be paid within the grace: the claim is not refused for them.
  else if (!facts.contribution.paid && facts.today > facts.contribution.graceEnd)
    reasons.push('contribution_unpaid');
  if (facts.kind === 'JKK' && daysBetween(eventDate, facts.reportedOn) > facts.reportingWindowDays)
    reasons.push('reported_late');
  return reasons;
}
