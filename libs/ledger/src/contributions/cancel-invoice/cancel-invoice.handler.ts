import {
  appendsOf,
  assertScope,
  execute,
  metadata,
  type CommandContext,
  type LedgerDeps,
} from '../../shared/command.deps';
import type { IsoDate } from '../../shared/dates';
import { streams } from '../../shared/streams';
import { loadInvoice } from '../dues.load';
import { decideCancelInvoice } from './cancel-invoice.decider';

/** POST /api/invoices/:id/cancellation */
export async function cancelInvoice(
  deps: LedgerDeps,
  ctx: CommandContext,
  invoiceId: string,
  request: { reason: string; cancelledOn?: IsoDate },
) {
  return execute(deps, ctx, async () => {
    const { invoice, revision, programId, month } = await loadInvoice(deps, invoiceId);
    assertScope(ctx, invoice.terms.ownerRegion);
    const events = decideCancelInvoice(
      {
        type: 'CancelInvoice',
        reason: request.reason,
        cancelledOn: request.cancelledOn ?? ctx.today,
        today: ctx.today,
      },
      invoice,
    );
    const streamId = streams.dues(programId, month);
    return {
      appends: appendsOf(
        events.map((event) => ({ streamId, event })),
        () => revision,
        () => metadata(ctx),
      ),
      result: { invoiceId, status: 'cancelled' as const },
    };
  });
}
