import type { RecordedEvent } from '@ledger/event-store';
import type { ImportEvent, RecordedRow } from '@ledger/ledger/enrollment/import/import.events';
import type { CustomProjection, TableSpec } from '../runner/projection';

export interface ImportRow {
  id: string;
  program_id: string;
  file_name: string;
  format: string;
  status: 'running' | 'completed' | 'failed';
  total: number;
  accepted: number;
  rejected: number;
  /** JSON text: the rule and message of a failed import. */
  failure: string | null;
  started_at: string;
  started_by: string;
}

/** One line of an import's report; `reasons` is JSON text. */
export interface ImportRowRow {
  import_id: string;
  row_number: number;
  status: 'accepted' | 'rejected';
  masked_nik: string | null;
  reasons: string;
  enrollment_id: string | null;
  village_code: string | null;
}

const importsTable: TableSpec = {
  name: 'nomination_imports',
  columns: {
    id: { type: 'text' },
    program_id: { type: 'text' },
    file_name: { type: 'text' },
    format: { type: 'text' },
    status: { type: 'text' },
    total: { type: 'integer' },
    accepted: { type: 'integer' },
    rejected: { type: 'integer' },
    failure: { type: 'json', nullable: true },
    started_at: { type: 'text' },
    started_by: { type: 'text' },
  },
  primaryKey: ['id'],
  indexes: [['program_id']],
};

const rowsTable: TableSpec = {
  name: 'nomination_import_rows',
  columns: {
    import_id: { type: 'text' },
    row_number: { type: 'integer' },
    status: { type: 'text' },
    masked_nik: { type: 'text', nullable: true },
    reasons: { type: 'json' },
    enrollment_id: { type: 'text', nullable: true },
    /** The row's village, so that a report shows each caller the rows of its own scope. */
    village_code: { type: 'text', nullable: true },
  },
  primaryKey: ['import_id', 'row_number'],
  indexes: [['import_id', 'village_code', 'row_number']],
};

/** Imports and their row-by-row report (masked NIKs only). */
export const importsProjection: CustomProjection = {
  kind: 'custom',
  name: 'nomination_imports',
  version: 2,
  handles: [
    'NominationImportStarted',
    'NominationRowsRecorded',
    'NominationImportCompleted',
    'NominationImportFailed',
  ],
  tables: [importsTable, rowsTable],
  async apply(events: RecordedEvent[], trx, table, writes) {
    for (const recorded of events) {
      const event = recorded as unknown as ImportEvent;
      switch (event.type) {
        case 'NominationImportStarted':
          await writes.upsert(table(importsTable.name), importsTable, [
            {
              id: event.data.importId,
              program_id: event.data.programId,
              file_name: event.data.fileName,
              format: event.data.format,
              status: 'running',
              total: 0,
              accepted: 0,
              rejected: 0,
              failure: null,
              started_at: recorded.metadata.occurredAt,
              started_by: recorded.metadata.actor?.id ?? 'system',
            },
          ]);
          break;
        case 'NominationRowsRecorded': {
          const rows = event.data.rows as RecordedRow[];
          await writes.upsert(
            table(rowsTable.name),
            rowsTable,
            rows.map((r) => ({
              import_id: event.data.importId,
              row_number: r.key,
              status: r.status,
              masked_nik: r.maskedNik,
              reasons: JSON.stringify(r.reasons),
              enrollment_id: r.enrollmentId,
              village_code: r.villageCode ?? null,
            })),
          );
          const accepted = rows.filter((r) => r.status === 'accepted').length;
          await trx
            .updateTable(table(importsTable.name))
            .set((eb) => ({
              total: eb('total', '+', rows.length),
              accepted: eb('accepted', '+', accepted),
              rejected: eb('rejected', '+', rows.length - accepted),
            }))
            .where('id', '=', event.data.importId)
            .execute();
          break;
        }
        case 'NominationImportCompleted':
          await trx
            .updateTable(table(importsTable.name))
            .set({ status: 'completed' })
            .where('id', '=', event.data.importId)
            .execute();
          break;
        case 'NominationImportFailed':
          await trx
            .updateTable(table(importsTable.name))
            .set({
              status: 'failed',
              failure: JSON.stringify({ rule: event.data.rule, message: event.data.message }),
            })
            .where('id', '=', event.data.importId)
            .execute();
          break;
      }
    }
  },
};
