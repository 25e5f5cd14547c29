import {
  backfillField,
  checkNotFuture,
  decideBackfill,
  MONEY_BACKFILL_ROLES,
  type BackfillRequest,
} from '../../shared/backfill';
import type { IsoDate } from '../../shared/dates';
import { LINES_PER_EVENT, type DuesEvent, type RefundReason } from '../contribution.events';
import { isLinePaid, isLineRefunded, refundableOverpaid, type InvoiceState } from '../dues.state';
import { owesMonth, type CoveredDays } from '../obligation';
import { requireNotCancelled } from '../record-payment/record-payment.decider';
import { fieldRefusal } from '../refusal';

export interface RecordRefund {
  type: 'RecordRefund';
  refundId: string;
  /** The lines refunded (each at most once, at most `LINES_PER_EVENT`). */
  lines: number[];
  includeOverpaid: boolean;
  reason: RefundReason;
  reference: string | null;
  agreedOn: IsoDate;
  today: IsoDate;
  role: string;
  backfillToleranceDays: number;
  backfill?: BackfillRequest;
  /** The coverage each line's enrollment holds now (null: never covered), by enrollment id. */
  coverages: ReadonlyMap<string, CoveredDays | null>;
}

/**
 * Records money BPJS returns by agreement: months paid for coverages that turned out not to
 * owe them (death, deregistration, lapse, a duplicate), and the over-payment. A line is
 * refundable when it is fully paid, not refunded before, and its coverage no longer owes the
 * month under the invoice's month rule.
 */
export function decideRecordRefund(command: RecordRefund, invoice: InvoiceState): DuesEvent[] {
  requireNotCancelled(invoice);
  checkNotFuture('agreedOn', command.agreedOn, command.today);
  const { lines } = command;
  if (lines.length > LINES_PER_EVENT) {
    throw fieldRefusal(
      'lines',
      'refund.lines.max',
      `Paling banyak ${LINES_PER_EVENT} baris dalam satu pengembalian`,
    );
  }
  if (new Set(lines).size !== lines.length) {
    throw fieldRefusal('lines', 'refund.lines.unique', 'Baris yang sama disebut dua kali');
  }
  const refused = lines.filter((line) => {
    if (!Number.isInteger(line) || line < 0 || line >= invoice.lines.length) return true;
    if (!isLinePaid(invoice, line) || isLineRefunded(invoice, line)) return true;
    const coverage = command.coverages.get(invoice.lines[line]);
    return coverage !== null && coverage !== undefined
      ? owesMonth(coverage, invoice.terms.month, invoice.terms.monthRule)
      : coverage === undefined;
  });
  if (refused.length > 0) {
    throw fieldRefusal(
      'lines',
      'refund.lineNotRefundable',
      `Baris ${refused.slice(0, 20).join(', ')}${refused.length > 20 ? ', …' : ''} tidak dapat dikembalikan: ` +
        'belum lunas, sudah dikembalikan, atau kepesertaannya masih menanggung bulan ini',
      'unprocessable',
      { lines: refused },
    );
  }
  const overpaidRefunded = command.includeOverpaid ? refundableOverpaid(invoice) : 0;
  if (lines.length === 0 && overpaidRefunded === 0) {
    throw fieldRefusal('lines', 'refund.nothing', 'Tidak ada bulan yang dapat dikembalikan pada tagihan ini');
  }
  // A refund agreed long ago and recorded now is a backfill, as a late payment is.
  const marker = decideBackfill({
    effectiveDates: [command.agreedOn],
    today: command.today,
    toleranceDays: command.backfillToleranceDays,
    request: command.backfill,
    role: command.role,
    roles: MONEY_BACKFILL_ROLES,
  });
  return [
    {
      type: 'RefundRecorded',
      data: {
        invoiceId: invoice.terms.invoiceId,
        refundId: command.refundId,
        lines: [...lines].sort((a, b) => a - b),
        amount: lines.length * invoice.terms.lineAmount + overpaidRefunded,
        overpaidRefunded,
        reason: command.reason,
        reference: command.reference,
        agreedOn: command.agreedOn,
        ...backfillField(marker),
      },
    },
  ];
}
