import type { SelectQueryBuilder } from 'kysely';
import type { ReadQuery, ReadSchema } from '../read-schema';
import { auditAction } from './audit-actions';
import type { AuditRow } from './audit.schema';

export interface AuditFilter {
  /**
   * Region codes the caller's scope covers (each with everything below it), or 'all' for a
   * national scope. Rows of other regions, and rows of no region, are never returned.
   */
  scope: string[] | 'all';
  /** Narrows to one region inside the scope. */
  region?: string;
  actor?: string;
  role?: string;
  program?: string;
  actions?: string[];
  sensitive?: boolean;
  /** WIB days of recording, both included. */
  from?: string;
  to?: string;
}

export interface AuditEntry {
  position: number;
  recordedAt: string;
  effectiveDate: string | null;
  actor: { id: string; role: string; scope: string | null };
  action: string;
  actionName: { id: string; en: string };
  sensitive: boolean;
  outsideOfficeHours: boolean;
  eventType: string;
  programId: string | null;
  regionCode: string | null;
  importId: string | null;
  enrollmentId: string | null;
  participantId: string | null;
  reason: string | null;
  detail: unknown;
  correlationId: string | null;
  causationId: string | null;
  upload: { rows: number | null; refusedAtImport: number | null; laterRejected: number } | null;
}

export const AUDIT_PAGE_MAX = 10_000;

type Db = ReadQuery;
type Query = SelectQueryBuilder<ReadSchema, 'audit_trail', object>;

/** The column that holds a region code of this length, or null for a village (the row's own code). */
function regionColumn(code: string): 'province' | 'regency' | 'district' | 'region_code' {
  if (code.length === 2) return 'province';
  if (code.length === 4) return 'regency';
  if (code.length === 6) return 'district';
  return 'region_code';
}

/**
 * The positions a period can hold, from the days table: every row recorded in it lies in
 * [lo, hi]. Null when no action was recorded in the period at all.
 */
async function positionsOf(db: Db, from?: string, to?: string): Promise<{ lo: number; hi: number } | null> {
  if (!from && !to) return { lo: 0, hi: Number.MAX_SAFE_INTEGER };
  let q = db
    .selectFrom('audit_days')
    .select((eb) => [eb.fn.min('first_position').as('lo'), eb.fn.max('last_position').as('hi')]);
  if (from) q = q.where('day', '>=', from);
  if (to) q = q.where('day', '<=', to);
  const found = await q.executeTakeFirst();
  if (found?.lo == null || found.hi == null) return null;
  return { lo: Number(found.lo), hi: Number(found.hi) };
}

function filtered(db: Db, filter: AuditFilter, range: { lo: number; hi: number }): Query {
  let q: Query = db
    .selectFrom('audit_trail')
    .where('position', '>=', range.lo)
    .where('position', '<=', range.hi);
  if (filter.from) q = q.where('day', '>=', filter.from);
  if (filter.to) q = q.where('day', '<=', filter.to);
  if (filter.actor !== undefined) q = q.where('actor_id', '=', filter.actor);
  if (filter.role !== undefined) q = q.where('actor_role', '=', filter.role);
  if (filter.program !== undefined) q = q.where('program_id', '=', filter.program);
  if (filter.actions?.length) q = q.where('action', 'in', filter.actions);
  if (filter.sensitive) q = q.where('sensitive', '=', 1);
  if (filter.region !== undefined && filter.region !== 'ID')
    q = q.where(regionColumn(filter.region), '=', filter.region);
  if (filter.scope !== 'all') {
    const scope = filter.scope;
    if (scope.length === 0) return q.where('position', '<', 0);
    q = q.where((eb) => eb.or(scope.map((code) => eb(regionColumn(code), '=', code))));
  }
  return q;
}

function entry(row: AuditRow): AuditEntry {
  const action = auditAction(row.action);
  return {
    position: Number(row.position),
    recordedAt: row.recorded_at,
    effectiveDate: row.effective_date,
    actor: { id: row.actor_id, role: row.actor_role, scope: row.actor_scope },
    action: row.action,
    actionName: { id: action?.id ?? row.action, en: action?.en ?? row.action },
    sensitive: Number(row.sensitive) === 1,
    outsideOfficeHours: Number(row.off_hours) === 1,
    eventType: row.event_type,
    programId: row.program_id,
    regionCode: row.region_code,
    importId: row.import_id,
    enrollmentId: row.enrollment_id,
    participantId: row.participant_id,
    reason: row.reason,
    detail: typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    upload:
      row.action === 'import.upload'
        ? {
            rows: row.rows_total === null ? null : Number(row.rows_total),
            refusedAtImport: row.rows_refused === null ? null : Number(row.rows_refused),
            laterRejected: Number(row.later_rejected ?? 0),
          }
        : null,
  };
}

/**
 * One page of the audit trail in log order, after the cursor (a log position). The next
 * cursor is the last position of a full page, so paging returns every action exactly once.
 */
export async function auditTrail(
  db: Db,
  filter: AuditFilter,
  page: { after?: number; limit: number },
): Promise<{ entries: AuditEntry[]; nextCursor: number | null }> {
  const range = await positionsOf(db, filter.from, filter.to);
  if (!range) return { entries: [], nextCursor: null };
  const limit = Math.min(Math.max(1, page.limit), AUDIT_PAGE_MAX);
  const lo = Math.max(range.lo, (page.after ?? -1) + 1);
  const rows = (await filtered(db, filter, { lo, hi: range.hi })
    .selectAll()
    .orderBy('position')
    .limit(limit)
    .execute()) as AuditRow[];
  const entries = rows.map(entry);
  return { entries, nextCursor: entries.length === limit ? entries[entries.length - 1].position : null };
}

export interface AuditSummaryRow {
  month: string;
  /** The actor, or the region one level below the asked region. */
  key: string;
  role: string | null;
  total: number;
  byAction: Record<string, number>;
  outsideOfficeHours: number;
  uploads: number;
  rowsUploaded: number;
  rowsRefusedAtImport: number;
  enrollmentsLaterRejected: number;
  /** (refused at import + later rejected) / rows uploaded, 0–1 with four decimals; null without uploads. */
  uploadRejectionRate: number | null;
}

export const AUDIT_SUMMARY_MAX_GROUPS = 5_000;

/** The column one level below a region: provinces below the country, regencies below a province, … */
function childColumn(region: string | undefined): 'province' | 'regency' | 'district' | 'region_code' {
  if (!region || region === 'ID') return 'province';
  if (region.length === 2) return 'regency';
  if (region.length === 4) return 'district';
  return 'region_code';
}

/**
 * For oversight, per month: each actor's (or each region's) count of every action, their
 * actions outside office hours, and how much of what they uploaded was refused at import or
 * rejected later by an officer.
 */
export async function auditSummary(
  db: Db,
  filter: AuditFilter,
  by: 'actor' | 'region',
): Promise<{ rows: AuditSummaryRow[]; truncated: boolean }> {
  const range = await positionsOf(db, filter.from, filter.to);
  if (!range) return { rows: [], truncated: false };
  const group = by === 'actor' ? 'actor_id' : childColumn(filter.region);
  const found = await filtered(db, filter, range)
    .select((eb) => [
      eb.fn<string>('substr', ['day', eb.val(1), eb.val(7)]).as('month'),
      eb.ref(group).as('key'),
      (by === 'actor' ? eb.fn.max('actor_role') : eb.val(null)).as('role'),
      'action',
      eb.fn.countAll().as('n'),
      eb.fn.sum('off_hours').as('off_hours'),
      eb.fn.sum('rows_total').as('rows_total'),
      eb.fn.sum('rows_refused').as('rows_refused'),
      eb.fn.sum('later_rejected').as('later_rejected'),
    ])
    .groupBy(['month', group, 'action'])
    .orderBy('month')
    .orderBy(group)
    .limit(AUDIT_SUMMARY_MAX_GROUPS * 20 + 1)
    .execute();

  const rows = new Map<string, AuditSummaryRow>();
  for (const r of found as Record<string, unknown>[]) {
    const month = String(r.month);
    const groupKey = r.key === null ? '-' : String(r.key);
    const id = `${month}|${groupKey}`;
    let row = rows.get(id);
    if (!row) {
      if (rows.size === AUDIT_SUMMARY_MAX_GROUPS) return { rows: finish(rows), truncated: true };
      row = {
        month,
        key: groupKey,
        role: r.role === null || r.role === undefined ? null : String(r.role),
        total: 0,
        byAction: {},
        outsideOfficeHours: 0,
        uploads: 0,
        rowsUploaded: 0,
        rowsRefusedAtImport: 0,
        enrollmentsLaterRejected: 0,
        uploadRejectionRate: null,
      };
      rows.set(id, row);
    }
    const n = Number(r.n);
    row.total += n;
    row.byAction[String(r.action)] = n;
    row.outsideOfficeHours += Number(r.off_hours ?? 0);
    if (r.action === 'import.upload') {
      row.uploads += n;
      row.rowsUploaded += Number(r.rows_total ?? 0);
      row.rowsRefusedAtImport += Number(r.rows_refused ?? 0);
      row.enrollmentsLaterRejected += Number(r.later_rejected ?? 0);
    }
  }
  return { rows: finish(rows), truncated: found.length > AUDIT_SUMMARY_MAX_GROUPS * 20 };
}

function finish(rows: Map<string, AuditSummaryRow>): AuditSummaryRow[] {
  return [...rows.values()].map((row) => ({
    ...row,
    uploadRejectionRate:
      row.rowsUploaded > 0
        ? Math.round(((row.rowsRefusedAtImport + row.enrollmentsLaterRejected) / row.rowsUploaded) * 10_000) /
          10_000
        : null,
  }));
}
