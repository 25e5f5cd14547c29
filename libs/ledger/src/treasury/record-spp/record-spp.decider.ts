import type { IsoDate } from '../../shared/dates';
import type { StreamEvent } from '../../shared/streams';
import type { TreasuryEvent, TreasuryNumberEvent } from '../treasury.events';
import { treasuryStreams } from '../treasury.streams';
import {
  checkNumber,
  checkRupiah,
  fiscalYearOf,
  refuseUsedNumber,
  requireBudgetLine,
  type TreasuryState,
} from '../treasury.state';

/** What every treasury document command carries besides its own fields. */
export interface DocumentCommand {
  programId: string;
  /** The owner region of the program: numbers are unique within it and the year. */
  regionCode: string;
  /** Normalised (see `normaliseNumber`). */
  number: string;
  date: IsoDate;
  amount: number;
  accountCode: string;
  /** Whether the number's guard stream exists already. */
  numberUsed: boolean;
}

export interface RecordSpp extends DocumentCommand {
  type: 'RecordSpp';
}

export function claimNumber(
  command: DocumentCommand,
  kind: 'spp' | 'spm' | 'sp2d',
): StreamEvent<TreasuryNumberEvent> {
  const fiscalYear = fiscalYearOf(command.date);
  return {
    streamId: treasuryStreams.number(command.regionCode, fiscalYear, kind, command.number),
    event: {
      type: 'TreasuryNumberClaimed',
      data: {
        regionCode: command.regionCode,
        fiscalYear,
        kind,
        number: command.number,
        programId: command.programId,
      },
    },
  };
}

/** The checks every document shares, in the order a person fixes them. */
export function checkDocument(
  command: DocumentCommand,
  kind: 'spp' | 'spm' | 'sp2d',
  state: TreasuryState,
): void {
  checkNumber(command.number);
  checkRupiah(command.amount, 'amount');
  refuseUsedNumber(kind, command.number, command.numberUsed);
  requireBudgetLine(state, command.accountCode, fiscalYearOf(command.date));
}

/** SPP (surat permintaan pembayaran): a request on one of the year's budget lines. */
export function decideRecordSpp(
  command: RecordSpp,
  state: TreasuryState,
): StreamEvent<TreasuryEvent | TreasuryNumberEvent>[] {
  checkDocument(command, 'spp', state);
  const fiscalYear = fiscalYearOf(command.date);
  return [
    {
      streamId: treasuryStreams.treasury(command.programId, fiscalYear),
      event: {
        type: 'SppRecorded',
        data: {
          programId: command.programId,
          fiscalYear,
          number: command.number,
          date: command.date,
          amount: command.amount,
          accountCode: command.accountCode,
        },
      },
    },
    claimNumber(command, 'spp'),
  ];
}
