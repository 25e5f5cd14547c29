import { loadExistingProgram } from '../../programs/program.load';
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
import { uuidv7 } from '../../shared/ids';
import { streams } from '../../shared/streams';
import { decideNamedSp2d, findNamedSp2d, namedSp2dExpected } from '../../treasury/payment-sp2d';
import { treasuryStreams } from '../../treasury/treasury.streams';
import type { DuesEvent } from '../contribution.events';
import { evolveDues, findInvoice, invoiceStatus, outstandingOf } from '../dues.state';
import { loadInvoice } from '../dues.load';
import { decideRecordPayment, normaliseReference, referenceKeyOf } from './record-payment.decider';
import { reinstatementsOf } from './reinstate.load';

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
    const { invoice, state, revision, month } = await loadInvoice(deps, invoiceId);
    assertScope(ctx, invoice.terms.ownerRegion);
    const { program } = await loadExistingProgram(deps, invoice.terms.programId);
    const referenceStream = streams.paymentReference(referenceKeyOf(normaliseReference(request.reference)));
    const [used] = await deps.store.readStream(referenceStream, { maxCount: 1 });
    const sp2dNumber = typeof request.sp2dNumber === 'string' ? request.sp2dNumber : null;
    const named =
      sp2dNumber === null
        ? null
        : await findNamedSp2d(
            deps,
            invoice.terms.ownerRegion,
            [Number(request.paidOn.slice(0, 4)), Number(invoice.terms.month.slice(0, 4))],
            sp2dNumber,
          );
    const payment = decideRecordPayment(
      {
        type: 'RecordPayment',
        paymentId,
        amount: request.amount,
        paidOn: request.paidOn,
        reference: request.reference,
        sp2dNumber: named?.number ?? sp2dNumber,
        today: ctx.today,
        role: ctx.actor.role,
        backfill: request.backfill,
        backfillToleranceDays: program.terms.backfillToleranceDays,
        referenceUsed: used !== undefined,
      },
      invoice,
    );
    // The SP2D named, if any, is checked on its treasury stream and noted there in the same write.
    const noted =
      sp2dNumber === null
        ? []
        : decideNamedSp2d(sp2dNumber, named, {
            invoiceId,
            paymentId,
            amount: request.amount,
            paidOn: request.paidOn,
          });
    const decided = [...payment, ...noted];
    const treasuryStream = named ? treasuryStreams.treasury(named.programId, named.fiscalYear) : null;
    // The decider's first event is the payment itself.
    const { allocation } = (decided[0].event as Extract<DuesEvent, { type: 'PaymentRecorded' }>).data;
    const duesStream = decided[0].streamId;
    const afterState = evolveDues(state, decided[0].event as DuesEvent);
    const after = findInvoice(afterState, invoiceId)!;
    // A lapse this payment shows wrong is undone in the same write (see reinstate.decider.ts).
    const undo = await reinstatementsOf(
      deps,
      { invoice: after, state: afterState, month },
      { paymentId, paidOn: request.paidOn },
    );
    const expected = (streamId: string) =>
      streamId === referenceStream
        ? ('no_stream' as const)
        : streamId === duesStream
          ? revision
          : named && streamId === treasuryStream
            ? namedSp2dExpected(named)
            : expectedFor(undo.revisions.get(streamId) ?? -1);
    return {
      appends: appendsOf([...decided, ...(undo.decided?.events ?? [])], expected, () => metadata(ctx)),
      result: {
        invoiceId,
        paymentId,
        allocation,
        status: invoiceStatus(after),
        outstanding: outstandingOf(after),
        ...(undo.decided
          ? { reinstated: undo.decided.reinstated, lapsesStanding: undo.decided.standing }
          : {}),
      },
    };
  });
}
