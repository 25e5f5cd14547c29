import type { IsoDate } from '../../shared/dates';
import type { StreamEvent } from '../../shared/streams';
import { fieldRefusal } from '../../contributions/refusal';
import type { TreasuryEvent } from '../treasury.events';
import { treasuryStreams } from '../treasury.streams';
import { requireLive, type TreasuryState } from '../treasury.state';

/** Invoices one SP2D may pay at most: a year of months and their corrections. */
export const MAX_LINKED_INVOICES = 24;

export interface LinkSp2d {
  type: 'LinkSp2d';
  programId: string;
  fiscalYear: number;
  sp2dNumber: string;
  invoiceIds: string[];
  /** Of the requested ids, those the program has no invoice for (read by the handler). */
  unknownInvoiceIds: string[];
  linkedOn: IsoDate;
}

/**
 * Links an SP2D to the invoices it pays. A later link replaces the earlier one and keeps what
 * it replaced, so a correction is never a rewrite; the same set again decides nothing.
 */
export function decideLinkSp2d(command: LinkSp2d, state: TreasuryState): StreamEvent<TreasuryEvent>[] {
  if (command.invoiceIds.length === 0) {
    throw fieldRefusal(
      'invoiceIds',
      'invoiceIds.required',
      'invoiceIds wajib berisi paling sedikit satu tagihan',
    );
  }
  if (command.invoiceIds.length > MAX_LINKED_INVOICES) {
    throw fieldRefusal('invoiceIds', 'invoiceIds.max', `Paling banyak ${MAX_LINKED_INVOICES} tagihan`);
  }
  const ids = [...new Set(command.invoiceIds)].sort();
  if (command.unknownInvoiceIds.length > 0) {
    throw fieldRefusal(
      'invoiceIds',
      'sp2d.invoice.unknown',
      `Tagihan tidak ditemukan pada program ini: ${command.unknownInvoiceIds.join(', ')}`,
      'unprocessable',
    );
  }
  const sp2d = requireLive(state.sp2d, command.sp2dNumber, 'sp2dNumber', 'sp2d');
  if (sp2d.invoiceIds.length === ids.length && sp2d.invoiceIds.every((id, i) => id === ids[i])) return [];
  return [
    {
      streamId: treasuryStreams.treasury(command.programId, command.fiscalYear),
      event: {
        type: 'Sp2dInvoicesLinked',
        data: {
          programId: command.programId,
          fiscalYear: command.fiscalYear,
          sp2dNumber: sp2d.number,
          invoiceIds: ids,
          linkedOn: command.linkedOn,
          previousInvoiceIds: sp2d.invoiceIds,
        },
      },
    },
  ];
}
