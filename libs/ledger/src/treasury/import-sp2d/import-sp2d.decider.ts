import { RuleViolation } from '../../shared/rule-violation';
import type { StreamEvent } from '../../shared/streams';
import { decideRecordSp2d } from '../record-sp2d/record-sp2d.decider';
import type { Sp2dType, TreasuryEvent, TreasuryNumberEvent } from '../treasury.events';
import { evolveTreasury, fiscalYearOf, normaliseNumber, type TreasuryState } from '../treasury.state';
import { SP2D_COLUMNS, type Sp2dFileRow } from './sp2d-file';

export type Sp2dRowStatus = 'recorded' | 'already_recorded' | 'refused';

export interface Sp2dRowReport {
  row: number;
  number: string | null;
  status: Sp2dRowStatus;
  rule: string | null;
  field: string | null;
  message: string | null;
}

/** What an import answers besides the program, year and consistency token. */
export interface Sp2dImportResult {
  importId: string;
  rows: number;
  recorded: number;
  alreadyRecorded: number;
  refused: number;
  report: Sp2dRowReport[];
}

export interface ImportSp2d {
  type: 'ImportSp2d';
  importId: string;
  programId: string;
  regionCode: string;
  fiscalYear: number;
  rows: Sp2dFileRow[];
  /** Of the rows' normalised numbers, those whose guard stream exists (taken in the regency and year). */
  usedNumbers: ReadonlySet<string>;
}

/** Where a refusal of `decideRecordSp2d` points, as the export's column. */
const COLUMN_OF: Record<string, string> = {
  number: SP2D_COLUMNS.number,
  date: SP2D_COLUMNS.date,
  amount: SP2D_COLUMNS.amount,
  accountCode: SP2D_COLUMNS.accountCode,
  spmNumber: SP2D_COLUMNS.spmNumber,
  sp2dType: SP2D_COLUMNS.sp2dType,
};

/**
 * Decides every row of an SP2D export in order, each against the treasury as the rows before
 * it left it, so two rows of one SPM never exceed it together. A row already recorded with the
 * same SPM, day and amount is reported as such and writes nothing: uploading the same export
 * again records nothing twice. Other rows are refused with the rule and column they break.
 */
export function decideImportSp2d(
  command: ImportSp2d,
  initial: TreasuryState,
): { events: StreamEvent<TreasuryEvent | TreasuryNumberEvent>[]; report: Sp2dRowReport[] } {
  let state = initial;
  const events: StreamEvent<TreasuryEvent | TreasuryNumberEvent>[] = [];
  const report: Sp2dRowReport[] = [];
  for (const row of command.rows) {
    const number = row.values.number ? normaliseNumber(row.values.number) : null;
    const refuse = (rule: string, field: string | null, message: string) =>
      report.push({ row: row.rowNumber, number, status: 'refused', rule, field, message });
    if (row.problems.length > 0) {
      const [p] = row.problems;
      refuse(
        p.rule,
        SP2D_COLUMNS[p.field],
        `Baris ${row.rowNumber}, kolom ${SP2D_COLUMNS[p.field]}: ${p.message}`,
      );
      continue;
    }
    const v = row.values;
    if (fiscalYearOf(v.date!) !== command.fiscalYear) {
      refuse(
        'sp2d.import.fiscalYear',
        SP2D_COLUMNS.date,
        `Tanggal SP2D di luar tahun anggaran ${command.fiscalYear}`,
      );
      continue;
    }
    const known = state.sp2d.get(number!);
    if (
      known &&
      known.spmNumber === normaliseNumber(v.spmNumber!) &&
      known.amount === v.amount &&
      known.date === v.date
    ) {
      report.push({
        row: row.rowNumber,
        number,
        status: 'already_recorded',
        rule: null,
        field: null,
        message: null,
      });
      continue;
    }
    try {
      const decided = decideRecordSp2d(
        {
          type: 'RecordSp2d',
          programId: command.programId,
          regionCode: command.regionCode,
          number: number!,
          date: v.date!,
          amount: v.amount!,
          accountCode: v.accountCode!,
          spmNumber: normaliseNumber(v.spmNumber!),
          sp2dType: v.sp2dType!.toUpperCase() as Sp2dType,
          lsType: v.lsType ?? null,
          recipient: v.recipient!,
          bank: v.bank!,
          deductions: [],
          numberUsed: known !== undefined || command.usedNumbers.has(number!),
          importId: command.importId,
        },
        state,
      );
      for (const d of decided) {
        events.push(d);
        if (d.event.type !== 'TreasuryNumberClaimed') state = evolveTreasury(state, d.event);
      }
      report.push({ row: row.rowNumber, number, status: 'recorded', rule: null, field: null, message: null });
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      const field = (error.details?.field as string | undefined) ?? null;
      refuse(
        error.rule,
        field ? (COLUMN_OF[field] ?? field) : null,
        `Baris ${row.rowNumber}: ${error.message}`,
      );
    }
  }
  return { events, report };
}
