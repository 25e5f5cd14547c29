import { createHash } from 'node:crypto';
import { programCoverageEnd } from '../../enrollment/enrollment.state';
import type { ExistingProgram } from '../../programs/program.state';
import {
  backfillField,
  checkNotFuture,
  decideBackfill,
  MONEY_BACKFILL_ROLES,
  type BackfillRequest,
} from '../../shared/backfill';
import type { IsoDate } from '../../shared/dates';
import { fieldRefusal } from '../refusal';
import { LINES_PER_EVENT, type DuesEvent, type InvoiceTerms } from '../contribution.events';
import { currentInvoice, invoiceIdOf, type DuesState, type InvoiceState } from '../dues.state';
import { DEFAULT_MONTH_RULE, dueDateOf, isYearMonth, monthOf, type YearMonth } from '../obligation';

export interface IssueInvoice {
  type: 'IssueInvoice';
  month: YearMonth;
  /** Effective day of the issue (today when the caller gave none). */
  issuedOn: IsoDate;
  today: IsoDate;
  role: string;
  backfill?: BackfillRequest;
  program: ExistingProgram;
  /** Enrollment ids owing the month, in line order, read at `frozenAtPosition`. */
  roster: string[];
  frozenAtPosition: number;
  nonWorkingDays: ReadonlySet<IsoDate>;
}

/** The month must be one the program covers (its period, up to its closing day). */
export function checkMonthInProgram(month: YearMonth, program: ExistingProgram): void {
  if (!isYearMonth(month)) {
    throw fieldRefusal('month', 'invoice.month.format', 'month harus berbentuk YYYY-MM');
  }
  const from = monthOf(program.terms.period.from);
  const to = monthOf(programCoverageEnd(program));
  if (month < from || month > to) {
    throw fieldRefusal(
      'month',
      'invoice.monthOutsidePeriod',
      `Bulan ${month} di luar periode program (${from} sampai ${to})`,
      'unprocessable',
      { from, to },
    );
  }
}

export const rosterDigestOf = (enrollmentIds: readonly string[]): string =>
  createHash('sha256').update(enrollmentIds.join('\n')).digest('hex');

/** The roster in events of at most `LINES_PER_EVENT` lines, numbered from `fromLine`. */
export function frozenLines(
  invoiceId: string,
  enrollmentIds: readonly string[],
  fromLine: number,
): DuesEvent[] {
  const events: DuesEvent[] = [];
  for (let i = 0; i < enrollmentIds.length; i += LINES_PER_EVENT) {
    events.push({
      type: 'InvoiceLinesFrozen',
      data: { invoiceId, fromLine: fromLine + i, enrollmentIds: enrollmentIds.slice(i, i + LINES_PER_EVENT) },
    });
  }
  return events;
}

/**
 * Freezes a month's roster into the ledger's own invoice. A month that already has an invoice
 * (not cancelled) keeps it: the answer is that invoice and nothing is written, so the same
 * month asked twice, or twenty times at once, gives one invoice.
 */
export function decideIssueInvoice(
  command: IssueInvoice,
  state: DuesState,
): { events: DuesEvent[]; existing: InvoiceState | null; invoiceId: string } {
  const { program, month } = command;
  checkMonthInProgram(month, program);
  const existing = currentInvoice(state);
  if (existing) return { events: [], existing, invoiceId: existing.terms.invoiceId };
  checkNotFuture('issuedOn', command.issuedOn, command.today);
  const marker = decideBackfill({
    effectiveDates: [command.issuedOn],
    today: command.today,
    toleranceDays: program.terms.backfillToleranceDays,
    request: command.backfill,
    role: command.role,
    roles: MONEY_BACKFILL_ROLES,
  });
  const invoiceId = invoiceIdOf(program.programId, month, state.invoices.length + 1);
  const lineAmount = program.terms.contribution.total;
  const terms: InvoiceTerms = {
    invoiceId,
    programId: program.programId,
    month,
    payer: program.terms.payer,
    ownerRegion: program.terms.ownerRegion,
    benefitPackage: program.terms.benefitPackage,
    breakdown: program.terms.contribution,
    lineAmount,
    dueDate: dueDateOf(month, command.nonWorkingDays),
    monthRule: program.terms.monthRule ?? DEFAULT_MONTH_RULE,
  };
  return {
    existing: null,
    invoiceId,
    events: [
      {
        type: 'InvoiceIssued',
        data: {
          ...terms,
          lineCount: command.roster.length,
          totalAmount: command.roster.length * lineAmount,
          rosterDigest: rosterDigestOf(command.roster),
          frozenAtPosition: command.frozenAtPosition,
          issuedOn: command.issuedOn,
          ...backfillField(marker),
        },
      },
      ...frozenLines(invoiceId, command.roster, 0),
    ],
  };
}
