import { programCoverageEnd } from '../../enrollment/enrollment.state';
import { loadExistingProgram } from '../../programs/program.load';
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
import { loadInvoice } from '../dues.load';
import type { RosterSource } from '../issue-invoice/issue-invoice.handler';
import { decideAdjustInvoice } from './adjust-invoice.decider';

/** POST /api/invoices/:id/adjustments — `adjusted` is false when the roster had not changed. */
export async function adjustInvoice(
  deps: LedgerDeps,
  ctx: CommandContext,
  invoiceId: string,
  request: { reason: string; note: string | null; adjustedOn?: IsoDate },
  roster: RosterSource,
) {
  const first = await loadInvoice(deps, invoiceId);
  assertScope(ctx, first.invoice.terms.ownerRegion);
  const { program } = await loadExistingProgram(deps, first.programId);
  const now = await roster({
    programId: first.programId,
    month: first.month,
    monthRule: first.invoice.terms.monthRule,
    programEnd: programCoverageEnd(program),
  });
  const adjustmentId = uuidv7();
  return execute(deps, ctx, async () => {
    const { invoice, revision, programId, month } = await loadInvoice(deps, invoiceId);
    const events = decideAdjustInvoice(
      {
        type: 'AdjustInvoice',
        adjustmentId,
        reason: request.reason,
        note: request.note,
        adjustedOn: request.adjustedOn ?? ctx.today,
        today: ctx.today,
        roster: now.enrollmentIds,
      },
      invoice,
    );
    const streamId = streams.dues(programId, month);
    const adjusted = events[0]?.type === 'InvoiceAdjusted' ? events[0].data : null;
    return {
      appends: appendsOf(
        events.map((event) => ({ streamId, event })),
        () => revision,
        () => metadata(ctx),
      ),
      result: {
        invoiceId,
        adjusted: adjusted !== null,
        adjustmentId: adjusted ? adjustmentId : null,
        addedLines: adjusted?.addedLines ?? 0,
        cancelledLines: adjusted?.cancelledLines ?? [],
        amountDelta: adjusted?.amountDelta ?? 0,
        frozenAtPosition: now.position,
      },
    };
  });
}
