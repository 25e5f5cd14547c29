import { loadExistingProgram } from '../../programs/program.load';
import type { BackfillRequest } from '../../shared/backfill';
import {
  appendsOf,
  assertScope,
  execute,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import type { IsoDate } from '../../shared/dates';
import { uuidv7 } from '../../shared/ids';
import { streams } from '../../shared/streams';
import type { DuesEvent } from '../contribution.events';
import { invoiceStatus, outstandingOf } from '../dues.state';
import { loadInvoice } from '../dues.load';
import { decideRecordPayment, normaliseReference, referenceKeyOf } from './record-payment.decider';

export interface RecordPaymentRequest {
  amount: number;
  paidOn: IsoDate;
  reference: string;
  sp2dNumber?: string | null;
  backfill?: BackfillRequest;
}

/** POST /api/invoices/:id/payments */
export async function recordPayment(
  deps: LedgerDeps,
  ctx: CommandContext,
  invoiceId: string,
  request: RecordPaymentRequest,
) {
  const paymentId = uuidv7();
  return execute(deps, ctx, async () => {
    const { invoice, revision } = await loadInvoice(deps, invoiceId);
    assertScope(ctx, invoice.terms.ownerRegion);
    const { program } = await loadExistingProgram(deps, invoice.terms.programId);
    const referenceStream = streams.paymentReference(referenceKeyOf(normaliseReference(request.reference)));
    const [used] = await deps.store.readStream(referenceStream, { maxCount: 1 });
    const decided = decideRecordPayment(
      {
        type: 'RecordPayment',
        paymentId,
        amount: request.amount,
        paidOn: request.paidOn,
        reference: request.reference,
        sp2dNumber: request.sp2dNumber ?? null,
        today: ctx.today,
        role: ctx.actor.role,
        backfill: request.backfill,
        backfillToleranceDays: program.terms.backfillToleranceDays,
        referenceUsed: used !== undefined,
      },
      invoice,
    );
    // The decider's first event is the payment itself.
    const { allocation } = (decided[0].event as Extract<DuesEvent, { type: 'PaymentRecorded' }>).data;
    const after = { ...invoice, paid: allocation.paidAfter, allocation };
    return {
      appends: appendsOf(
        decided,
        (streamId) => (streamId === referenceStream ? 'no_stream' : revision),
        () => metadata(ctx),
      ),
      result: {
        invoiceId,
        paymentId,
        allocation,
        status: invoiceStatus(after),
        outstanding: outstandingOf(after),
      },
    };
  });
}
