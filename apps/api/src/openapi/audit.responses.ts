import { AUDIT_ACTIONS } from '@ledger/read-models/audit/audit-actions';
import {
  arrayOf,
  boolean,
  date,
  instant,
  integer,
  mapOf,
  nullable,
  number,
  object,
  oneOf,
  ref,
  SHEET_PARAMETER,
  string,
  uuid,
  type AreaContract,
} from './schema-kit';

/** The audit trail (`AuditEntry`) and its monthly summary (`AuditSummaryRow`). */

const ACTIONS = AUDIT_ACTIONS.map((a) => a.code);

export const auditContract: AreaContract = {
  schemas: {
    AuditEntry: object({
      position: integer('Log position: the cursor'),
      recordedAt: instant(),
      effectiveDate: nullable(date('The day the decision takes effect, when it has one')),
      actor: object({ id: string(), role: string(), scope: nullable(string('The token’s regions')) }),
      action: oneOf(ACTIONS),
      actionName: object({ id: string('In Bahasa Indonesia'), en: string('In English') }),
      sensitive: boolean(),
      outsideOfficeHours: boolean('Outside Mon–Fri 07:00–17:00 local time'),
      eventType: string(),
      programId: nullable(uuid()),
      regionCode: nullable(string()),
      importId: nullable(string()),
      enrollmentId: nullable(uuid()),
      participantId: nullable(uuid()),
      reason: nullable(string()),
      detail: { description: 'The decision’s facts (never personal data)' },
      correlationId: nullable(string()),
      causationId: nullable(string()),
      upload: nullable(
        object({
          rows: nullable(integer()),
          refusedAtImport: nullable(integer()),
          laterRejected: integer(),
        }),
      ),
    }),
    AuditTrail: object({
      entries: arrayOf(ref('AuditEntry'), 'In log order'),
      nextCursor: nullable(integer('Pass as `after` for the next page; null on the last')),
    }),
    AuditSummaryRow: object({
      month: string('YYYY-MM', '2026-10'),
      key: string('The actor, or the region one level below the asked region (- for none)'),
      role: nullable(string()),
      total: integer(),
      byAction: mapOf(integer(), 'Count of each action code'),
      outsideOfficeHours: integer(),
      uploads: integer(),
      rowsUploaded: integer(),
      rowsRefusedAtImport: integer(),
      enrollmentsLaterRejected: integer(),
      uploadRejectionRate: nullable(number('0–1, four decimals; null without uploads')),
    }),
    AuditSummary: object({
      by: oneOf(['actor', 'region']),
      rows: arrayOf(ref('AuditSummaryRow')),
      truncated: boolean('More groups than one answer holds'),
    }),
  },
  operations: {
    'get /api/audit': {
      schema: 'AuditTrail',
      description: 'A page of the trail (the next cursor also as `X-Next-Cursor`)',
      spreadsheets: true,
      query: [SHEET_PARAMETER],
    },
    'get /api/audit/summary': {
      schema: 'AuditSummary',
      description: 'The summary',
      spreadsheets: true,
      query: [SHEET_PARAMETER],
    },
  },
};
