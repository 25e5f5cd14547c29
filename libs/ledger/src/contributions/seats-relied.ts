import type { EventMetadata, StreamAppend } from '@ledger/event-store';
import { releasedField, type Seats } from '../enrollment/released-seats';
import { seatsAppend } from '../programs/program.load';
import type { InvoiceId } from './contribution.events';

/**
 * The append that puts a money decision inside the program's boundary: every change of the
 * program's terms (quota, period, closure) and of a coverage (approval, correction,
 * deregistration, lapse) appends to the seats stream, so a decision that read them appends
 * there too, at the revision it read, and a change that raced it makes it decide again.
 */
export function seatsRelied(
  seats: Seats & { revision: number },
  programId: string,
  invoiceId: InvoiceId,
  by: 'InvoiceIssued' | 'RefundRecorded',
  meta: EventMetadata,
): StreamAppend {
  return seatsAppend(
    seats,
    programId,
    {
      type: 'SeatsRelied',
      data: { programId, inUse: seats.inUse, ...releasedField(seats.released), invoiceId, by },
    },
    meta,
  );
}
