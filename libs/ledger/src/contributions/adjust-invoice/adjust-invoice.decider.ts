import { checkNotFuture } from '../../shared/backfill';
import type { IsoDate } from '../../shared/dates';
import { LINES_PER_EVENT, type DuesEvent } from '../contribution.events';
import { activeLines, allocate, lineStatuses, type InvoiceState } from '../dues.state';
import { frozenLines } from '../issue-invoice/issue-invoice.decider';
import { requireNotCancelled } from '../record-payment/record-payment.decider';
import { fieldRefusal } from '../refusal';

export interface AdjustInvoice {
  type: 'AdjustInvoice';
  adjustmentId: string;
  reason: string;
  note: string | null;
  adjustedOn: IsoDate;
  today: IsoDate;
  /** The month's roster read now, in line order (as an invoice would freeze it today). */
  roster: string[];
}

/**
 * Brings an invoice's roster up to what the ledger knows now, never rewriting it: coverages
 * that owe the month and have no line get new lines at the end; lines whose coverage no
 * longer owes it are cancelled — unless already fully paid: a paid month that is not owed is
 * settled by a refund (`record-refund`), so the money paid stays on the lines it paid.
 * Money already paid is allocated again over the lines after the change (an over-payment
 * pays the lines added). An invoice already in line with the roster gives no event.
 */
export function decideAdjustInvoice(command: AdjustInvoice, invoice: InvoiceState): DuesEvent[] {
  requireNotCancelled(invoice);
  checkNotFuture('adjustedOn', command.adjustedOn, command.today);
  const statuses = lineStatuses(invoice);
  const owing = new Set(command.roster);
  const active = new Set<string>();
  const cancelledLines: number[] = [];
  invoice.lines.forEach((enrollmentId, line) => {
    if (statuses[line] === 'cancelled') return;
    active.add(enrollmentId);
    if (!owing.has(enrollmentId) && statuses[line] !== 'paid') cancelledLines.push(line);
  });
  const added = command.roster.filter((id) => !active.has(id));
  if (added.length === 0 && cancelledLines.length === 0) return [];
  if (cancelledLines.length > LINES_PER_EVENT) {
    throw fieldRefusal(
      'recompute',
      'invoice.adjustment.tooLarge',
      `Penyesuaian membatalkan ${cancelledLines.length} baris (paling banyak ${LINES_PER_EVENT}); batalkan tagihan dan terbitkan ulang`,
      'unprocessable',
      { cancelledLines: cancelledLines.length },
    );
  }
  const { invoiceId, lineAmount } = invoice.terms;
  const lineCountAfter = invoice.activeLineCount + added.length - cancelledLines.length;
  const cancelled = new Set(cancelledLines);
  const linesAfter = [
    ...activeLines(invoice).filter((line) => !cancelled.has(line)),
    ...added.map((_, i) => invoice.lines.length + i),
  ];
  return [
    {
      type: 'InvoiceAdjusted',
      data: {
        invoiceId,
        adjustmentId: command.adjustmentId,
        reason: command.reason,
        note: command.note,
        addedLines: added.length,
        cancelledLines,
        amountDelta: (added.length - cancelledLines.length) * lineAmount,
        lineCountAfter,
        totalAfter: lineCountAfter * lineAmount,
        adjustedOn: command.adjustedOn,
        ...(invoice.paid > 0
          ? { allocation: allocate(invoice.paid, invoice.paid, linesAfter, lineAmount) }
          : {}),
      },
    },
    ...frozenLines(invoiceId, added, invoice.lines.length),
  ];
}
