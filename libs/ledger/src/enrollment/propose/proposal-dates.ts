import type { ExistingProgram } from '../../programs/program.state';
import {
  checkNotFuture,
  decideBackfill,
  type BackfillMarker,
  type BackfillRequest,
} from '../../shared/backfill';
import { maxDate, type IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import { programCoverageEnd } from '../enrollment.state';

/** What a proposal (a single one, or every row of an upload) says about its effective dates. */
export interface ProposalDatesRequest {
  /** The intended first day of coverage; default: the program start, or today once it started. */
  coverageFrom?: IsoDate;
  /** The proposal's own effective day; default today, a past day for a backfill. */
  proposedOn?: IsoDate;
  backfill?: BackfillRequest;
}

export interface ProposalDates {
  coverageFrom: IsoDate;
  proposedOn: IsoDate;
  backfill: BackfillMarker | undefined;
}

/**
 * The effective dates of a proposal, decided once for the whole request (so a row costs
 * nothing more): a coverage start given must lie in the program's period (the default may
 * fall after its end, which each row then refuses as `program.ended`, as before); a past
 * start or proposal day beyond the program's tolerance is a backfill.
 */
export function proposalDates(
  request: ProposalDatesRequest,
  program: ExistingProgram,
  today: IsoDate,
  role: string,
): ProposalDates {
  const { from } = program.terms.period;
  const end = programCoverageEnd(program);
  const coverageFrom = request.coverageFrom ?? maxDate(from, today);
  if (request.coverageFrom !== undefined && (coverageFrom < from || coverageFrom > end)) {
    throw new RuleViolation(
      'coverage.outsidePeriod',
      `Tanggal mulai perlindungan harus di dalam periode program (${from} s.d. ${end})`,
      'unprocessable',
      { field: 'coverageFrom', period: { from, to: end } },
    );
  }
  const proposedOn = request.proposedOn ?? today;
  checkNotFuture('proposedOn', proposedOn, today);
  const backfill = decideBackfill({
    effectiveDates: [request.coverageFrom, request.proposedOn],
    today,
    toleranceDays: program.terms.backfillToleranceDays,
    request: request.backfill,
    role,
  });
  return { coverageFrom, proposedOn, backfill };
}
