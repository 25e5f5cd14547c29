import { RuleViolation } from '../../../shared/rule-violation';
import type { ImportEvent, RecordedRow } from '../import.events';

export interface ImportSummary {
  importId: string;
  programId: string;
  status: 'completed' | 'failed';
  total: number;
  accepted: number;
  rejected: number;
  /** True when this file had been imported before and nothing changed. */
  repeated: boolean;
  failure?: { rule: string; message: string };
}

/** An import's stream folded: the rows recorded so far and how it ended, if it did. */
export interface ImportState {
  started: boolean;
  /** The program proposed to, once started. */
  programId: string | null;
  rows: RecordedRow[];
  ended:
    | { status: 'completed'; total: number; accepted: number; rejected: number }
    | { status: 'failed'; rule: string; message: string }
    | null;
}

export const initialImportState = (): ImportState => ({
  started: false,
  programId: null,
  rows: [],
  ended: null,
});

export function evolveImport(state: ImportState, event: ImportEvent): ImportState {
  switch (event.type) {
    case 'NominationImportStarted':
      return { ...state, started: true, programId: event.data.programId };
    case 'NominationRowsRecorded':
      return { ...state, rows: [...state.rows, ...event.data.rows] };
    case 'NominationImportCompleted': {
      const { total, accepted, rejected } = event.data;
      return { ...state, ended: { status: 'completed', total, accepted, rejected } };
    }
    case 'NominationImportFailed':
      return { ...state, ended: { status: 'failed', rule: event.data.rule, message: event.data.message } };
  }
}

/** The summary of an import that ended; null while it has not. */
export function summaryOf(
  importId: string,
  programId: string,
  state: ImportState,
  repeated: boolean,
): ImportSummary | null {
  const { ended } = state;
  if (!ended) return null;
  if (ended.status === 'completed') {
    const { total, accepted, rejected } = ended;
    return { importId, programId, status: 'completed', total, accepted, rejected, repeated };
  }
  const accepted = state.rows.filter((r) => r.status === 'accepted').length;
  return {
    importId,
    programId,
    status: 'failed',
    total: state.rows.length,
    accepted,
    rejected: state.rows.length - accepted,
    repeated,
    failure: { rule: ended.rule, message: ended.message },
  };
}

export type UploadCommand =
  | {
      type: 'StartImport';
      importId: string;
      programId: string;
      fileSha256: string;
      fileName: string;
      format: 'csv' | 'xlsx';
      /** Data rows the whole file holds, counted before anything is written. */
      dataRows: number;
    }
  | {
      type: 'EndImport';
      importId: string;
      programId: string;
      /** Rows recorded, with the ones of an earlier attempt. */
      total: number;
      accepted: number;
      /** Set when the bytes changed between the passes: the import says where it stopped. */
      failure?: { rule: string; message: string };
    };

/**
 * Starts an import of a file that holds rows (a resumed import is started already) and ends
 * it with its totals, or with the failure that stopped it.
 */
export function decideUpload(command: UploadCommand, state: ImportState): ImportEvent[] {
  const { importId, programId } = command;
  if (command.type === 'StartImport') {
    if (state.started) return [];
    if (command.dataRows === 0) {
      throw new RuleViolation(
        'import.file.noRows',
        'Berkas hanya berisi judul kolom, tanpa baris data',
        'unprocessable',
      );
    }
    const { fileSha256, format } = command;
    return [
      {
        type: 'NominationImportStarted',
        data: { importId, programId, fileSha256, fileName: command.fileName.slice(0, 200), format },
      },
    ];
  }
  const { total, accepted, failure } = command;
  return [
    failure
      ? { type: 'NominationImportFailed', data: { importId, programId, ...failure } }
      : {
          type: 'NominationImportCompleted',
          data: { importId, programId, total, accepted, rejected: total - accepted },
        },
  ];
}
