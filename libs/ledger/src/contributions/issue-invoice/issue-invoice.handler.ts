import { programCoverageEnd } from '../../enrollment/enrollment.state';
import { loadExistingProgram, loadSeatsUnder } from '../../programs/program.load';
import type { BackfillRequest } from '../../shared/backfill';
import {
  appendsOf,
  assertScope,
  execute,
  expectedFor,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import type { IsoDate } from '../../shared/dates';
import { streams } from '../../shared/streams';
import { currentInvoice } from '../dues.state';
import { loadDues, nonWorkingDaysFor } from '../dues.load';
import { DEFAULT_MONTH_RULE, type MonthRule, type YearMonth } from '../obligation';
import { seatsRelied } from '../seats-relied';
import { checkMonthInProgram, decideIssueInvoice } from './issue-invoice.decider';

export interface RosterQuestion {
  programId: string;
  month: YearMonth;
  monthRule: MonthRule;
  programEnd: IsoDate;
  /**
   * Only the coverages recorded or changed after this log position (a roster frozen there holds
   * the others): the lapse sweep's question for a month that has its invoice. Absent: all.
   */
  changedAfter?: number;
}

/**
 * Where the roster comes from: the enrollments read model once it has reached the log's head,
 * with that position. The handler stays free of read models; the application wires this.
 */
export type RosterSource = (
  question: RosterQuestion,
) => Promise<{ enrollmentIds: string[]; position: number }>;

export interface IssueInvoiceRequest {
  month: YearMonth;
  issuedOn?: IsoDate;
  backfill?: BackfillRequest;
}

/** POST /api/programs/:id/invoices — `created` is false when the month already had its invoice. */
export async function issueInvoice(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  request: IssueInvoiceRequest,
  roster: RosterSource,
) {
  const { program } = await loadExistingProgram(deps, programId);
  assertScope(ctx, program.terms.ownerRegion);
  checkMonthInProgram(request.month, program);
  const before = await loadDues(deps, programId, request.month);
  const existing = currentInvoice(before.state);
  if (existing) {
    return {
      invoiceId: existing.terms.invoiceId,
      created: false,
      consistencyToken: await deps.store.headPosition(),
    };
  }
  const nonWorkingDays = await nonWorkingDaysFor(deps, request.month);
  return execute(deps, ctx, async () => {
    const { state, revision } = await loadDues(deps, programId, request.month);
    // A concurrent request froze the month first: its invoice is the answer.
    const found = currentInvoice(state);
    if (found) return { appends: [], result: { invoiceId: found.terms.invoiceId, created: false } };
    // The terms and the seats, then the roster: the read model has reached the log's head by
    // then, so it holds every coverage the seats stream knew at this revision, and a period
    // amended or a coverage approved or corrected after these reads conflicts with the append.
    const { program: current, revision: termsRevision } = await loadExistingProgram(deps, programId);
    const seats = await loadSeatsUnder(deps, programId, termsRevision);
    const frozen = await roster({
      programId,
      month: request.month,
      monthRule: current.terms.monthRule ?? DEFAULT_MONTH_RULE,
      programEnd: programCoverageEnd(current),
    });
    const decided = decideIssueInvoice(
      {
        type: 'IssueInvoice',
        month: request.month,
        issuedOn: request.issuedOn ?? ctx.today,
        today: ctx.today,
        role: ctx.actor.role,
        backfill: request.backfill,
        program: current,
        roster: frozen.enrollmentIds,
        frozenAtPosition: frozen.position,
        nonWorkingDays,
      },
      state,
    );
    const streamId = streams.dues(programId, request.month);
    const appends = appendsOf(
      decided.events.map((event) => ({ streamId, event })),
      () => expectedFor(revision),
      () => metadata(ctx),
    );
    if (decided.events.length > 0) {
      appends.push(seatsRelied(seats, programId, decided.invoiceId, 'InvoiceIssued', metadata(ctx)));
    }
    return { appends, result: { invoiceId: decided.invoiceId, created: decided.existing === null } };
  });
}
