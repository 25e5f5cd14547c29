import type { TableSpec } from '../runner/projection';
import type { AuditActionCode } from './audit-actions';

export interface AuditRow extends Record<string, unknown> {
  position: number;
  recorded_at: string;
  /** The WIB day of `recorded_at`: what `from` / `to` filter on. */
  day: string;
  effective_date: string | null;
  actor_id: string;
  actor_role: string;
  actor_scope: string | null;
  action: AuditActionCode;
  sensitive: number;
  off_hours: number;
  event_type: string;
  program_id: string | null;
  /** The most precise region the action concerns: a village for a person, the owner region for a program. */
  region_code: string | null;
  province: string | null;
  regency: string | null;
  district: string | null;
  import_id: string | null;
  enrollment_id: string | null;
  participant_id: string | null;
  reason: string | null;
  detail: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  /** import.upload only: rows in the file, rows refused at import, enrollments of it later rejected. */
  rows_total: number | null;
  rows_refused: number | null;
  later_rejected: number | null;
}

export interface AuditSubjectRow {
  id: string;
  region_code: string | null;
  program_id: string | null;
  import_id: string | null;
  position: number | null;
  username: string | null;
  account_role: string | null;
  scope: string | null;
}

export interface AuditDayRow {
  day: string;
  first_position: number;
  last_position: number;
}

export const auditTable: TableSpec = {
  name: 'audit_trail',
  columns: {
    position: { type: 'integer' },
    recorded_at: { type: 'text' },
    day: { type: 'text' },
    effective_date: { type: 'text', nullable: true },
    actor_id: { type: 'text' },
    actor_role: { type: 'text' },
    actor_scope: { type: 'text', nullable: true },
    action: { type: 'text' },
    sensitive: { type: 'integer' },
    off_hours: { type: 'integer' },
    event_type: { type: 'text' },
    program_id: { type: 'text', nullable: true },
    region_code: { type: 'text', nullable: true },
    province: { type: 'text', nullable: true },
    regency: { type: 'text', nullable: true },
    district: { type: 'text', nullable: true },
    import_id: { type: 'text', nullable: true },
    enrollment_id: { type: 'text', nullable: true },
    participant_id: { type: 'text', nullable: true },
    reason: { type: 'text', nullable: true },
    detail: { type: 'json', nullable: true },
    correlation_id: { type: 'text', nullable: true },
    causation_id: { type: 'text', nullable: true },
    rows_total: { type: 'integer', nullable: true },
    rows_refused: { type: 'integer', nullable: true },
    later_rejected: { type: 'integer', nullable: true },
  },
  primaryKey: ['position'],
  // Every query pages by position inside one of these: who, which program, which kind, where.
  indexes: [
    ['actor_id', 'position'],
    ['program_id', 'position'],
    ['action', 'position'],
    ['province', 'position'],
    ['regency', 'position'],
  ],
};

/**
 * What later events need to know of earlier ones that they do not carry themselves: the
 * region of a program, an enrollment, a participant and an import (and the position of the
 * import's upload row, which its completion and later rejections add to), and the user name,
 * role and regions of an account.
 */
export const subjectsTable: TableSpec = {
  name: 'audit_subjects',
  columns: {
    id: { type: 'text' },
    region_code: { type: 'text', nullable: true },
    program_id: { type: 'text', nullable: true },
    import_id: { type: 'text', nullable: true },
    position: { type: 'integer', nullable: true },
    username: { type: 'text', nullable: true },
    account_role: { type: 'text', nullable: true },
    scope: { type: 'text', nullable: true },
  },
  primaryKey: ['id'],
};

/**
 * The first and last position of each WIB day: turns a period into a range of positions, so a
 * query for one actor's month walks the actor's index from the month's first action onwards
 * instead of every action they ever took. A superset even when days are not in log order.
 */
export const auditDaysTable: TableSpec = {
  name: 'audit_days',
  columns: {
    day: { type: 'text' },
    first_position: { type: 'integer' },
    last_position: { type: 'integer' },
  },
  primaryKey: ['day'],
};
