import { programCoverageEnd } from '../../enrollment/enrollment.state';
import type { BackfillRequest } from '../../shared/backfill';
import { loadExistingProgram, loadSeatsUnder } from '../../programs/program.load';
import {
  appendsOf,
  assertScope,
  execute,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import { minDate, type IsoDate } from '../../shared/dates';
import { uuidv7 } from '../../shared/ids';
import { streams } from '../../shared/streams';
import { LINES_PER_EVENT, type DuesEvent, type RefundReason } from '../contribution.events';
import { refundableCandidates } from '../dues.state';
import { loadInvoice } from '../dues.load';
import type { RosterSource } from '../issue-invoice/issue-invoice.handler';
import type { CoveredDays } from '../obligation';
import { seatsRelied } from '../seats-relied';
import { decideRecordRefund } from './record-refund.decider';

export interface RecordRefundRequest {
  /** Absent: every refundable line (at most `LINES_PER_EVENT` per request). */
  lines?: number[];
  includeOverpaid?: boolean;
  reason: RefundReason;
  reference?: string | null;
  agreedOn: IsoDate;
  backfill?: BackfillRequest;
}

interface CoverageEvent {
  type: string;
  data: { coverageFrom?: IsoDate; effectiveDate?: IsoDate; endedOn?: IsoDate | null };
}

/**
 * A coverage's first and last day as its enrollment stream holds them (the events, not a read
 * model): approval opens it, a correction moves it, a deregistration or a lapse ends it.
 */
async function coverageOf(
  deps: LedgerDeps,
  enrollmentId: string,
  programEnd: IsoDate,
): Promise<CoveredDays | null> {
  const events = (await deps.store.readStream(
    streams.enrollment(enrollmentId),
  )) as unknown as CoverageEvent[];
  let from: IsoDate | null = null;
  let ended: IsoDate | null = null;
  for (const event of events) {
    if (event.type === 'EnrollmentApproved') from = event.data.coverageFrom ?? from;
    else if (event.type === 'EnrollmentCorrected') {
      from = event.data.coverageFrom ?? from;
      ended = event.data.endedOn ?? null;
    } else if (event.type === 'EnrollmentDeregistered' || event.type === 'CoverageLapsed') {
      ended = event.data.effectiveDate ?? ended;
    }
  }
  return from === null ? null : { from, to: ended === null ? programEnd : minDate(ended, programEnd) };
}

/** POST /api/invoices/:id/refunds */
export async function recordRefund(
  deps: LedgerDeps,
  ctx: CommandContext,
  invoiceId: string,
  request: RecordRefundRequest,
  roster: RosterSource,
) {
  const refundId = uuidv7();
  return execute(deps, ctx, async () => {
    const { invoice, revision, programId, month } = await loadInvoice(deps, invoiceId);
    assertScope(ctx, invoice.terms.ownerRegion);
    const { program, revision: termsRevision } = await loadExistingProgram(deps, programId);
    // Before the coverages: a correction, deregistration or lapse of one of them appends to the
    // seats stream, so one that races this refund either is read below or makes it decide again.
    const seats = await loadSeatsUnder(deps, programId, termsRevision);
    const programEnd = programCoverageEnd(program);
    let lines = request.lines;
    if (lines === undefined) {
      // Every paid line whose coverage is no longer in the month's roster, checked below on
      // its own enrollment stream; the roster only narrows the search.
      const owing = new Set(
        (await roster({ programId, month, monthRule: invoice.terms.monthRule, programEnd })).enrollmentIds,
      );
      lines = refundableCandidates(invoice)
        .filter((line) => !owing.has(invoice.lines[line]))
        .slice(0, LINES_PER_EVENT);
    }
    const coverages = new Map<string, CoveredDays | null>();
    if (lines.length <= LINES_PER_EVENT) {
      for (const line of lines) {
        const enrollmentId = Number.isInteger(line) ? invoice.lines[line] : undefined;
        if (enrollmentId !== undefined)
          coverages.set(enrollmentId, await coverageOf(deps, enrollmentId, programEnd));
      }
    }
    const events = decideRecordRefund(
      {
        type: 'RecordRefund',
        refundId,
        lines,
        includeOverpaid: request.includeOverpaid ?? false,
        reason: request.reason,
        reference: request.reference ?? null,
        agreedOn: request.agreedOn,
        today: ctx.today,
        role: ctx.actor.role,
        backfill: request.backfill,
        backfillToleranceDays: program.terms.backfillToleranceDays,
        coverages,
      },
      invoice,
    );
    const streamId = streams.dues(programId, month);
    const refund = (events[0] as Extract<DuesEvent, { type: 'RefundRecorded' }>).data;
    return {
      appends: [
        ...appendsOf(
          events.map((event) => ({ streamId, event })),
          () => revision,
          () => metadata(ctx),
        ),
        seatsRelied(seats, programId, invoiceId, 'RefundRecorded', metadata(ctx)),
      ],
      result: { invoiceId, refundId, lines: refund.lines, amount: refund.amount },
    };
  });
}
