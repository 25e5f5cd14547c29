import type { Reason } from '../../shared/rule-violation';

/** What became of one proposed row, as the API answers it and an import records it. */
export interface NominationOutcome {
  key: number;
  status: 'accepted' | 'rejected';
  reasons: Reason[];
  maskedNik: string | null;
  enrollmentId: string | null;
  participantId: string | null;
}

export type ImportEvent =
  | {
      type: 'NominationImportStarted';
      data: {
        importId: string;
        programId: string;
        fileSha256: string;
        fileName: string;
        format: 'csv' | 'xlsx';
      };
    }
  | {
      type: 'NominationRowsRecorded';
      data: { importId: string; programId: string; rows: RecordedRow[] };
    }
  | {
      type: 'NominationImportCompleted';
      data: { importId: string; programId: string; total: number; accepted: number; rejected: number };
    }
  | {
      type: 'NominationImportFailed';
      data: { importId: string; programId: string; rule: string; message: string };
    };

/** One row of the report; `villageCode` since the report is scoped (absent in older events). */
export type RecordedRow = NominationOutcome & { villageCode?: string | null };
