import type { StreamEvent } from '../../shared/streams';
import { fieldRefusal } from '../../contributions/refusal';
import type { TreasuryEvent, TreasuryNumberEvent } from '../treasury.events';
import { treasuryStreams } from '../treasury.streams';
import { fiscalYearOf, requireLive, spmTotalOf, type TreasuryState } from '../treasury.state';
import { checkDocument, claimNumber, type DocumentCommand } from '../record-spp/record-spp.decider';

export interface RecordSpm extends DocumentCommand {
  type: 'RecordSpm';
  sppNumber: string;
}

/**
 * SPM (surat perintah membayar): orders the payment an SPP asked for. The SPP must exist and
 * be live in the same fiscal year, on the same account code, not dated after the SPM; the live
 * SPMs of an SPP never exceed it.
 */
export function decideRecordSpm(
  command: RecordSpm,
  state: TreasuryState,
): StreamEvent<TreasuryEvent | TreasuryNumberEvent>[] {
  checkDocument(command, 'spm', state);
  const spp = requireLive(state.spp, command.sppNumber, 'sppNumber', 'spp');
  if (spp.accountCode !== command.accountCode) {
    throw fieldRefusal(
      'accountCode',
      'spm.accountCode.mismatch',
      `Kode rekening SPM harus sama dengan SPP ${spp.number} (${spp.accountCode})`,
    );
  }
  if (command.date < spp.date) {
    throw fieldRefusal(
      'date',
      'spm.date.beforeSpp',
      `Tanggal SPM tidak boleh sebelum tanggal SPP (${spp.date})`,
    );
  }
  const taken = spmTotalOf(state, spp.number);
  if (taken + command.amount > spp.amount) {
    throw fieldRefusal(
      'amount',
      'spm.amount.exceedsSpp',
      `Nilai SPM melebihi sisa SPP ${spp.number}: sisa Rp${(spp.amount - taken).toLocaleString('id-ID')}`,
      'unprocessable',
      { remaining: spp.amount - taken },
    );
  }
  const fiscalYear = fiscalYearOf(command.date);
  return [
    {
      streamId: treasuryStreams.treasury(command.programId, fiscalYear),
      event: {
        type: 'SpmRecorded',
        data: {
          programId: command.programId,
          fiscalYear,
          number: command.number,
          date: command.date,
          amount: command.amount,
          accountCode: command.accountCode,
          sppNumber: spp.number,
        },
      },
    },
    claimNumber(command, 'spm'),
  ];
}
