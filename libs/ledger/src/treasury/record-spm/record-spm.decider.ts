import type { StreamEvent } from '../../shared/streams';
import type { TreasuryEvent, TreasuryNumberEvent } from '../treasury.events';
import { treasuryStreams } from '../treasury.streams';
import {
  checkAgainstParent,
  fiscalYearOf,
  requireLive,
  spmTotalOf,
  type TreasuryState,
} from '../treasury.state';
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
  checkAgainstParent({ kind: 'spm', ...command }, spp, 'spp', spmTotalOf(state, spp.number));
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
