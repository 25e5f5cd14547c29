import { loadInvoice } from '../../contributions/dues.load';
import type { CommandContext, LedgerDeps } from '../../shared/command.deps';
import type { IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import { writeTreasury } from '../treasury.deps';
import { normaliseNumber } from '../treasury.state';
import { decideLinkSp2d, MAX_LINKED_INVOICES } from './link-sp2d.decider';

export interface LinkSp2dRequest {
  fiscalYear: number;
  sp2dNumber: string;
  invoiceIds: string[];
  linkedOn?: IsoDate;
}

/**
 * POST /api/programs/:id/sp2d-links. An invoice, once issued, keeps its id and program, so
 * reading it apart from the treasury stream decides nothing that could change under the link.
 */
export async function linkSp2d(
  deps: LedgerDeps,
  ctx: CommandContext,
  programId: string,
  request: LinkSp2dRequest,
) {
  const sp2dNumber = normaliseNumber(request.sp2dNumber);
  return writeTreasury(
    deps,
    ctx,
    programId,
    request.fiscalYear,
    async (state) => {
      const unknownInvoiceIds: string[] = [];
      // Past the bound the decider refuses before any invoice is read.
      for (const invoiceId of request.invoiceIds.slice(0, MAX_LINKED_INVOICES)) {
        try {
          const { programId: owner } = await loadInvoice(deps, invoiceId);
          if (owner !== programId) unknownInvoiceIds.push(invoiceId);
        } catch (error) {
          if (!(error instanceof RuleViolation) || error.kind !== 'not_found') throw error;
          unknownInvoiceIds.push(invoiceId);
        }
      }
      return decideLinkSp2d(
        {
          type: 'LinkSp2d',
          programId,
          fiscalYear: request.fiscalYear,
          sp2dNumber,
          invoiceIds: request.invoiceIds,
          unknownInvoiceIds,
          linkedOn: request.linkedOn ?? ctx.today,
        },
        state,
      );
    },
    (decided) => ({
      sp2dNumber,
      linked: decided.length > 0,
      invoiceIds: [...new Set(request.invoiceIds)].sort(),
    }),
  );
}
