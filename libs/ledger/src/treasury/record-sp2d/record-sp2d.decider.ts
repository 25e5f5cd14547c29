import type { StreamEvent } from '../../shared/streams';
import { fieldRefusal } from '../../contributions/refusal';
import {
  SP2D_TYPES,
  type Deduction,
  type Sp2dType,
  type TreasuryEvent,
  type TreasuryNumberEvent,
} from '../treasury.events';
import { treasuryStreams } from '../treasury.streams';
import {
  checkAgainstParent,
  checkRupiah,
  fiscalYearOf,
  requireLive,
  sp2dTotalOf,
  type TreasuryState,
} from '../treasury.state';
import { checkDocument, claimNumber, type DocumentCommand } from '../record-spp/record-spp.decider';

/** Deductions one SP2D carries at most (taxes and the like: a handful in practice). */
export const MAX_DEDUCTIONS = 20;

export interface RecordSp2d extends DocumentCommand {
  type: 'RecordSp2d';
  spmNumber: string;
  sp2dType: Sp2dType;
  lsType: string | null;
  recipient: string;
  bank: string;
  deductions: Deduction[];
  importId?: string;
}

/**
 * SP2D (surat perintah pencairan dana): the treasurer's disbursement order on an SPM. The SPM
 * must exist and be live in the same fiscal year, on the same account code, not dated after
 * the SP2D; the live SP2Ds of an SPM never exceed it; deductions never exceed the SP2D.
 */
export function decideRecordSp2d(
  command: RecordSp2d,
  state: TreasuryState,
): StreamEvent<TreasuryEvent | TreasuryNumberEvent>[] {
  checkDocument(command, 'sp2d', state);
  if (!SP2D_TYPES.includes(command.sp2dType)) {
    throw fieldRefusal(
      'sp2dType',
      'sp2dType.oneOf',
      `sp2dType harus salah satu dari ${SP2D_TYPES.join(', ')}`,
    );
  }
  if (command.deductions.length > MAX_DEDUCTIONS) {
    throw fieldRefusal('deductions', 'deductions.max', `Paling banyak ${MAX_DEDUCTIONS} potongan`);
  }
  command.deductions.forEach((d, i) => checkRupiah(d.amount, `deductions.${i}.amount`));
  const deducted = command.deductions.reduce((sum, d) => sum + d.amount, 0);
  if (deducted > command.amount) {
    throw fieldRefusal('deductions', 'sp2d.deductions.exceedAmount', 'Jumlah potongan melebihi nilai SP2D');
  }
  const spm = requireLive(state.spm, command.spmNumber, 'spmNumber', 'spm');
  checkAgainstParent({ kind: 'sp2d', ...command }, spm, 'spm', sp2dTotalOf(state, spm.number));
  const fiscalYear = fiscalYearOf(command.date);
  return [
    {
      streamId: treasuryStreams.treasury(command.programId, fiscalYear),
      event: {
        type: 'Sp2dRecorded',
        data: {
          programId: command.programId,
          fiscalYear,
          number: command.number,
          date: command.date,
          amount: command.amount,
          accountCode: command.accountCode,
          spmNumber: spm.number,
          sp2dType: command.sp2dType,
          lsType: command.lsType,
          recipient: command.recipient,
          bank: command.bank,
          deductions: command.deductions,
          ...(command.importId ? { importId: command.importId } : {}),
        },
      },
    },
    claimNumber(command, 'sp2d'),
  ];
}
