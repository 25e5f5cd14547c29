import type { SelectQueryBuilder } from 'kysely';
import { eventLoopTurns } from '@ledger/ledger/shared/event-loop-turns';
import type { ReadQuery, ReadSchema } from '../read-schema';
import type { ImportRow } from './imports.projection';

/**
 * The rows of an import's report a caller may see. `villages` null: every row (the caller
 * covers the program's region); otherwise the region-code prefixes of the caller's scope, and
 * only rows whose village lies inside one of them (a village operator and a regency import).
 */
export type RowScope = string[] | null;

export interface ImportReportRecord {
  rowNumber: number;
  status: 'accepted' | 'rejected';
  reasons: { rule: string; message: string }[];
  maskedNik?: string;
  enrollmentId?: string;
}

/** Rows per query: small enough that one page is a short synchronous read in SQLite. */
const PAGE = 500;

function scoped<O>(
  query: SelectQueryBuilder<ReadSchema, 'nomination_import_rows', O>,
  scope: RowScope,
): SelectQueryBuilder<ReadSchema, 'nomination_import_rows', O> {
  if (scope === null) return query;
  // A prefix as a range ('1603' → ['1603', '1603:')), which an index answers in both dialects.
  return query.where((eb) =>
    eb.or(
      scope.map((prefix) =>
        eb.and([eb('village_code', '>=', prefix), eb('village_code', '<', `${prefix}:`)]),
      ),
    ),
  );
}

/** The report's rows in file order, a page at a time; the caller pulls as fast as it can send. */
export async function* importReportRows(
  read: ReadQuery,
  importId: string,
  scope: RowScope,
): AsyncGenerator<ImportReportRecord> {
  if (scope !== null && scope.length === 0) return;
  let after = 0;
  const turn = eventLoopTurns();
  for (;;) {
    const page = await scoped(
      read
        .selectFrom('nomination_import_rows')
        .select(['row_number', 'status', 'reasons', 'masked_nik', 'enrollment_id'])
        .where('import_id', '=', importId)
        .where('row_number', '>', after),
      scope,
    )
      .orderBy('row_number')
      .limit(PAGE)
      .execute();
    for (const r of page) {
      // A fast client never applies back-pressure, and SQLite answers synchronously: without
      // turns the whole download (pulled through the CSV writer) would run before any other request.
      await turn();
      yield {
        rowNumber: Number(r.row_number),
        status: r.status,
        reasons: JSON.parse(r.reasons) as { rule: string; message: string }[],
        maskedNik: r.masked_nik ?? undefined,
        enrollmentId: r.enrollment_id ?? undefined,
      };
    }
    if (page.length < PAGE) return;
    after = Number(page[page.length - 1].row_number);
  }
}

/** Counts of the rows in scope. */
export async function importScopeCounts(
  read: ReadQuery,
  importId: string,
  scope: string[],
): Promise<{ total: number; accepted: number; rejected: number }> {
  if (scope.length === 0) return { total: 0, accepted: 0, rejected: 0 };
  const rows = await scoped(
    read
      .selectFrom('nomination_import_rows')
      .select((eb) => ['status', eb.fn.countAll().as('n')])
      .where('import_id', '=', importId),
    scope,
  )
    .groupBy('status')
    .execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return {
    total: count('accepted') + count('rejected'),
    accepted: count('accepted'),
    rejected: count('rejected'),
  };
}

/** An import with its program's owner region ('' when the program is unknown); undefined for an unknown id. */
export async function importWithOwner(read: ReadQuery, id: string) {
  const row = await read.selectFrom('nomination_imports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const program = await read
    .selectFrom('programs')
    .select('owner_region')
    .where('id', '=', row.program_id)
    .executeTakeFirst();
  return { row, ownerRegion: program?.owner_region ?? '' };
}

/** Status and counts of an import: the counts of the rows in `scope`. */
export async function importStatus(read: ReadQuery, row: ImportRow, scope: RowScope) {
  const counts =
    scope === null
      ? { total: Number(row.total), accepted: Number(row.accepted), rejected: Number(row.rejected) }
      : await importScopeCounts(read, row.id, scope);
  return {
    importId: row.id,
    programId: row.program_id,
    fileName: row.file_name,
    format: row.format,
    status: row.status,
    ...counts,
    failure: row.failure ? JSON.parse(row.failure) : null,
    startedAt: row.started_at,
    report: `/api/imports/${row.id}/report`,
  };
}
