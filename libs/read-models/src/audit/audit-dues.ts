import type { RecordedEvent } from '@ledger/event-store';
import type {
  CalendarEvent,
  CoverageReinstatedEvent,
  DuesEvent,
} from '@ledger/ledger/contributions/contribution.events';
import { parseInvoiceId } from '@ledger/ledger/contributions/dues.state';
import type { AuditActionCode } from './audit-actions';
import type { AuditRow } from './audit.schema';
import { regionColumns, type Subject } from './audit-subjects';

/** The money's events that record a person's decision (the roster's chunks and lapse markers do not). */
export const DUES_EVENT_TYPES = [
  'InvoiceIssued',
  'InvoiceAdjusted',
  'InvoiceCancelled',
  'PaymentRecorded',
  'RefundRecorded',
  'BpjsBillRecorded',
  'NonWorkingDaysSet',
] as const;

type AuditedDuesEvent = Extract<DuesEvent, { type: (typeof DUES_EVENT_TYPES)[number] }> | CalendarEvent;

/**
 * The audit row of an invoice's, payment's, refund's or bill's event: the amounts and control
 * totals, never a line's person (lines are enrollment ids, and the bill's NIKs stay in its own
 * report, masked). Effective dates are the day the money moved or the bill arrived.
 */
export function duesAudit(
  recorded: RecordedEvent,
  looked: Subject | undefined,
): { action: AuditActionCode; at: Partial<AuditRow> } | null {
  const event = recorded as unknown as AuditedDuesEvent;
  const detail = (value: Record<string, unknown>) => JSON.stringify(value);
  if (event.type === 'NonWorkingDaysSet') {
    return {
      action: 'calendar.set_non_working_days',
      at: {
        ...regionColumns('ID'),
        reason: event.data.note,
        detail: detail({ year: event.data.year, days: event.data.days }),
      },
    };
  }
  const invoiceId = event.data.invoiceId;
  const programId = parseInvoiceId(invoiceId)?.programId ?? null;
  const region = event.type === 'InvoiceIssued' ? event.data.ownerRegion : (looked?.region_code ?? null);
  const common = { program_id: programId, ...regionColumns(region) };
  switch (event.type) {
    case 'InvoiceIssued': {
      const d = event.data;
      return {
        action: 'invoice.issue',
        at: {
          ...common,
          effective_date: d.issuedOn,
          detail: detail({
            invoiceId,
            month: d.month,
            lines: d.lineCount,
            amount: d.totalAmount,
            dueDate: d.dueDate,
          }),
        },
      };
    }
    case 'InvoiceAdjusted': {
      const d = event.data;
      return {
        action: 'invoice.adjust',
        at: {
          ...common,
          effective_date: d.adjustedOn,
          reason: d.reason,
          detail: detail({
            invoiceId,
            addedLines: d.addedLines,
            cancelledLines: d.cancelledLines.length,
            amountDelta: d.amountDelta,
            totalAfter: d.totalAfter,
            note: d.note,
          }),
        },
      };
    }
    case 'InvoiceCancelled':
      return {
        action: 'invoice.cancel',
        at: {
          ...common,
          effective_date: event.data.cancelledOn,
          reason: event.data.reason,
          detail: detail({ invoiceId }),
        },
      };
    case 'PaymentRecorded': {
      const d = event.data;
      return {
        action: 'payment.record',
        at: {
          ...common,
          effective_date: d.paidOn,
          detail: detail({
            invoiceId,
            amount: d.amount,
            reference: d.reference,
            sp2dNumber: d.sp2dNumber,
            paidAfter: d.allocation.paidAfter,
          }),
        },
      };
    }
    case 'RefundRecorded': {
      const d = event.data;
      return {
        action: 'refund.record',
        at: {
          ...common,
          effective_date: d.agreedOn,
          reason: d.reason,
          detail: detail({ invoiceId, lines: d.lines.length, amount: d.amount, reference: d.reference }),
        },
      };
    }
    case 'BpjsBillRecorded': {
      const d = event.data;
      return {
        action: 'bpjs_bill.record',
        at: {
          ...common,
          effective_date: d.receivedOn,
          detail: detail({
            invoiceId,
            version: d.version,
            source: d.source,
            billed: d.billed,
            invoiced: d.invoiced,
            difference: d.difference,
            differenceCounts: d.differenceCounts,
          }),
        },
      };
    }
  }
}

/** A lapse undone by a payment recorded late: the payment and the lapse it undid are the reason. */
export function reinstatementAudit(
  event: CoverageReinstatedEvent,
  looked: Subject | undefined,
): { action: AuditActionCode; at: Partial<AuditRow> } {
  const d = event.data;
  return {
    action: 'enrollment.reinstate',
    at: {
      program_id: d.programId,
      ...regionColumns(d.villageCode),
      import_id: looked?.import_id ?? null,
      enrollment_id: d.enrollmentId,
      participant_id: d.participantId,
      effective_date: d.effectiveDate,
      reason: 'paid_in_time',
      detail: JSON.stringify({
        lapsedOn: d.previous.endedOn,
        lapseDecidedOn: d.lapseDecidedOn,
        invoiceId: d.invoiceId,
        paymentId: d.paymentId,
        paidOn: d.paidOn,
      }),
    },
  };
}
