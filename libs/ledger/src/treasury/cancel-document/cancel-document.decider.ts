import type { IsoDate } from '../../shared/dates';
import { RuleViolation } from '../../shared/rule-violation';
import type { StreamEvent } from '../../shared/streams';
import { fieldRefusal } from '../../contributions/refusal';
import { TREASURY_DOCUMENT_KINDS, type TreasuryDocumentKind, type TreasuryEvent } from '../treasury.events';
import { treasuryStreams } from '../treasury.streams';
import { requireLive, type DocumentBase, type TreasuryState } from '../treasury.state';

export interface CancelDocument {
  type: 'CancelDocument';
  programId: string;
  fiscalYear: number;
  kind: TreasuryDocumentKind;
  number: string;
  reason: string;
  cancelledOn: IsoDate;
}

/**
 * Pembatalan: the document stays on record and its amount is freed for its parent. A parent
 * with a live child is cancelled only after the child, so no live SP2D hangs on a dead SPM.
 */
export function decideCancelDocument(
  command: CancelDocument,
  state: TreasuryState,
): StreamEvent<TreasuryEvent>[] {
  if (!TREASURY_DOCUMENT_KINDS.includes(command.kind)) {
    throw fieldRefusal(
      'kind',
      'kind.oneOf',
      `kind harus salah satu dari ${TREASURY_DOCUMENT_KINDS.join(', ')}`,
    );
  }
  const document = requireLive(
    state[command.kind] as Map<string, DocumentBase>,
    command.number,
    'number',
    command.kind,
  );
  if (command.cancelledOn < document.date) {
    throw fieldRefusal(
      'cancelledOn',
      'cancelledOn.beforeDocument',
      `Tanggal pembatalan tidak boleh sebelum ${document.date}`,
    );
  }
  const children =
    command.kind === 'spp'
      ? [...state.spm.values()].filter((s) => s.sppNumber === command.number && !s.cancelled)
      : command.kind === 'spm'
        ? [...state.sp2d.values()].filter((s) => s.spmNumber === command.number && !s.cancelled)
        : [];
  if (children.length > 0) {
    throw new RuleViolation(
      'treasury.cancel.liveChildren',
      `${command.kind.toUpperCase()} ${command.number} masih dipakai oleh ${children.map((c) => c.number).join(', ')}: batalkan itu lebih dulu`,
      'conflict',
      { field: 'number' },
      [{ field: 'number', rule: 'treasury.cancel.liveChildren', message: 'Dokumen turunan masih berlaku' }],
    );
  }
  return [
    {
      streamId: treasuryStreams.treasury(command.programId, command.fiscalYear),
      event: {
        type: 'TreasuryDocumentCancelled',
        data: {
          programId: command.programId,
          fiscalYear: command.fiscalYear,
          kind: command.kind,
          number: command.number,
          reason: command.reason,
          cancelledOn: command.cancelledOn,
        },
      },
    },
  ];
}
