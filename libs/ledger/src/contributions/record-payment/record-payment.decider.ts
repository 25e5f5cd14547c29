import { createHash } from 'node:crypto';
import type { PaymentReferenceEvent, DuesEvent } from '../contribution.events';
import {
  backfillField,
  checkNotFuture,
  decideBackfill,
  MONEY_BACKFILL_ROLES,
  type BackfillRequest,
} from '../../shared/backfill';
import type { IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import { fieldRefusal } from '../refusal';
import { streams, type StreamEvent } from '../../shared/streams';
import { activeLines, allocate, type InvoiceState } from '../dues.state';

export interface RecordPayment {
  type: 'RecordPayment';
  paymentId: string;
  amount: number;
  /** Effective day the money was paid. */
  paidOn: IsoDate;
  reference: string;
  sp2dNumber: string | null;
  today: IsoDate;
  role: string;
  backfill?: BackfillRequest;
  backfillToleranceDays: number;
  /** Whether the normalised reference was already used by a payment (its stream exists). */
  referenceUsed: boolean;
}

/** A reference as banks print it varies in case and spacing: `va 8801 23` and `VA880123` are one. */
export const normaliseReference = (reference: string): string =>
  reference.trim().toUpperCase().replace(/\s+/g, '');

export const referenceKeyOf = (normalised: string): string =>
  createHash('sha256').update(normalised).digest('hex');

export function checkAmount(amount: unknown, field = 'amount'): asserts amount is number {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
    throw fieldRefusal(field, `${field}.integer`, `${field} harus bilangan bulat rupiah`);
  }
  if (amount <= 0) {
    throw fieldRefusal(field, `${field}.positive`, `${field} harus lebih dari nol`);
  }
}

export function requireNotCancelled(invoice: InvoiceState): void {
  if (invoice.cancelled) {
    throw new RuleViolation(
      'invoice.cancelled',
      `Tagihan ${invoice.terms.invoiceId} sudah dibatalkan pada ${invoice.cancelled.cancelledOn}`,
      'conflict',
      { invoiceId: invoice.terms.invoiceId },
    );
  }
}

/**
 * Records money paid on an invoice, partial or beyond its total: allocated over the lines in
 * their order (cancelled lines skipped), and the allocation is part of the event so every
 * report reads the same months as paid. The reference is claimed for ever in the same write.
 */
export function decideRecordPayment(
  command: RecordPayment,
  invoice: InvoiceState,
): StreamEvent<DuesEvent | PaymentReferenceEvent>[] {
  checkAmount(command.amount);
  const reference = normaliseReference(command.reference);
  if (reference.length === 0) {
    throw fieldRefusal('reference', 'reference.required', 'reference wajib diisi');
  }
  checkNotFuture('paidOn', command.paidOn, command.today);
  requireNotCancelled(invoice);
  if (command.referenceUsed) {
    throw fieldRefusal(
      'reference',
      'payment.reference.duplicate',
      `Referensi pembayaran ${reference} sudah dipakai`,
      'conflict',
    );
  }
  const marker = decideBackfill({
    effectiveDates: [command.paidOn],
    today: command.today,
    toleranceDays: command.backfillToleranceDays,
    request: command.backfill,
    role: command.role,
    roles: MONEY_BACKFILL_ROLES,
  });
  const { invoiceId, programId, month, lineAmount } = invoice.terms;
  const allocation = allocate(invoice.paid, invoice.paid + command.amount, activeLines(invoice), lineAmount);
  return [
    {
      streamId: streams.dues(programId, month),
      event: {
        type: 'PaymentRecorded',
        data: {
          invoiceId,
          paymentId: command.paymentId,
          amount: command.amount,
          paidOn: command.paidOn,
          reference,
          sp2dNumber: command.sp2dNumber,
          allocation,
          ...backfillField(marker),
        },
      },
    },
    {
      streamId: streams.paymentReference(referenceKeyOf(reference)),
      event: { type: 'PaymentReferenceUsed', data: { invoiceId, paymentId: command.paymentId } },
    },
  ];
}
