import type { RecordedEvent } from '@ledger/event-store';
import { dayOf } from '../calendar';
import type { DynamicDb } from '../runner/dynamic-tables';
import type { TableWrites } from '../runner/projection';
import { auditAction, outsideOfficeHours, type AuditActionCode } from './audit-actions';
import { auditDaysTable, auditTable, subjectsTable, type AuditRow } from './audit.schema';
import { regionColumns, type Subject } from './audit-subjects';

/** Rows counted per upload, added to its row once the batch is done. */
export interface UploadCounts {
  rows_total?: number;
  rows_refused?: number;
  later_rejected: number;
}

/** The row of one audited event: who and when from its metadata, what and where from `at`. */
export function auditRowOf(
  recorded: RecordedEvent,
  action: AuditActionCode,
  at: Partial<AuditRow>,
): AuditRow {
  // A backfilled fact says so in its row, beside whatever else the row details.
  const backfill = (recorded.data as { backfill?: unknown }).backfill;
  if (backfill) at.detail = JSON.stringify({ ...(at.detail ? JSON.parse(at.detail) : {}), backfill });
  const { metadata } = recorded;
  const row: AuditRow = {
    position: recorded.position,
    recorded_at: metadata.occurredAt,
    day: dayOf(metadata.occurredAt),
    effective_date: null,
    actor_id: metadata.actor?.id ?? 'system',
    actor_role: metadata.actor?.role ?? 'system',
    actor_scope: metadata.actor?.region ?? null,
    action,
    sensitive: auditAction(action)?.sensitive ? 1 : 0,
    off_hours: 0,
    event_type: recorded.type,
    program_id: null,
    ...regionColumns(null),
    import_id: null,
    enrollment_id: null,
    participant_id: null,
    reason: null,
    detail: null,
    correlation_id: metadata.correlationId ?? null,
    causation_id: metadata.causationId ?? null,
    rows_total: null,
    rows_refused: null,
    later_rejected: action === 'import.upload' ? 0 : null,
    ...at,
  };
  row.off_hours = outsideOfficeHours(row.recorded_at, row.region_code) ? 1 : 0;
  return row;
}

/**
 * Writes a batch's rows, the subjects it defined, the counts of the uploads it concerned and
 * the span of log positions of each day it touched.
 */
export async function writeAuditBatch(
  { trx, table, writes }: { trx: DynamicDb; table: (logical: string) => string; writes: TableWrites },
  rows: AuditRow[],
  uploads: Map<number, UploadCounts>,
  newSubjects: Map<string, Subject>,
): Promise<void> {
  // Counts of uploads written in this batch go into their rows; older uploads are updated.
  const inBatch = new Map(rows.map((r) => [r.position, r]));
  const older: [number, UploadCounts][] = [];
  for (const [position, c] of uploads) {
    const row = inBatch.get(position);
    if (!row) {
      older.push([position, c]);
      continue;
    }
    if (c.rows_total !== undefined) row.rows_total = c.rows_total;
    if (c.rows_refused !== undefined) row.rows_refused = c.rows_refused;
    row.later_rejected = (row.later_rejected ?? 0) + c.later_rejected;
  }

  await writes.upsert(table(auditTable.name), auditTable, rows);
  await writes.upsert(
    table(subjectsTable.name),
    subjectsTable,
    [...newSubjects].map(([id, s]) => ({ id, username: null, account_role: null, scope: null, ...s })),
  );
  for (const [position, c] of older) {
    await trx
      .updateTable(table(auditTable.name))
      .set((eb) => ({
        ...(c.rows_total !== undefined ? { rows_total: c.rows_total } : {}),
        ...(c.rows_refused !== undefined ? { rows_refused: c.rows_refused } : {}),
        later_rejected: eb('later_rejected', '+', c.later_rejected),
      }))
      .where('position', '=', position)
      .execute();
  }

  const days = new Map<string, { day: string; first_position: number; last_position: number }>();
  for (const row of rows) {
    const d = days.get(row.day);
    if (!d) days.set(row.day, { day: row.day, first_position: row.position, last_position: row.position });
    else d.last_position = row.position;
  }
  // Positions only grow, so an existing day keeps its first position and takes the new last.
  await writes.upsert(
    table(auditDaysTable.name),
    auditDaysTable,
    [...days.values()],
    'ON CONFLICT (day) DO UPDATE SET last_position = excluded.last_position',
  );
}
