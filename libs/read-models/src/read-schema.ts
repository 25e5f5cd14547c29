import type {
  ReconBudgetLineRow,
  StoredReconInvoiceRow,
  StoredReconSp2dRow,
} from './reconciliation/reconciliation.projection';
import type { StoredStatementRow } from './reconciliation/statement.projection';
import type { Kysely } from 'kysely';
import type { Columns } from './columns';
import type { AuditDayRow, AuditRow, AuditSubjectRow } from './audit/audit.schema';
import type { ClaimVersionRow } from './claims/claim-versions.projection';
import type { ClaimRow } from './claims/claims.projection';
import type { BaselineRow } from './baselines/baselines.projection';
import type { OutsideParticipantsRow } from './baselines/outside-participants.projection';
import type { CoverageKnownRow } from './coverage/coverage-known.projection';
import type { CoverageDeltaRow } from './coverage/coverage.projection';
import type { CoverageProbeRow } from './coverage-probes/coverage-probes.projection';
import type { EnrollmentVersionRow } from './enrollments/enrollment-versions.projection';
import type { EnrollmentRow } from './enrollments/enrollments.projection';
import type {
  FinanceCandidateRow,
  FinanceDeltaRow,
  FinanceEndedRow,
  FinanceInvoiceRow,
  FinanceLineRow,
} from './finance/invoices/invoices.projection';
import type { ImportRow, ImportRowRow } from './imports/imports.projection';
import type { ParticipantRow } from './participants/participants.projection';
import type { StoredProgramRow } from './programs/programs.projection';

/** The runner's checkpoint of each read model: how far in the log its tables are. */
export interface CheckpointRow {
  name: string;
  position: number;
  generation: number;
  version: number;
  updated_at: string;
}

/**
 * The tables (views) the queries read, as the read models declare them: JSON columns read
 * back as text.
 */
export interface ReadSchema {
  programs: StoredProgramRow;
  enrollments: Columns<EnrollmentRow>;
  enrollment_versions: Columns<EnrollmentVersionRow>;
  participants: Columns<ParticipantRow>;
  baselines: Columns<BaselineRow>;
  outside_participants: Columns<OutsideParticipantsRow>;
  nomination_imports: ImportRow;
  nomination_import_rows: ImportRowRow;
  coverage_deltas: CoverageDeltaRow;
  coverage_known: CoverageKnownRow;
  coverage_probes: Columns<CoverageProbeRow>;
  audit_trail: Omit<Columns<AuditRow>, 'action'> & { action: string };
  audit_subjects: AuditSubjectRow;
  audit_days: AuditDayRow;
  finance_invoices: FinanceInvoiceRow;
  finance_invoice_lines: FinanceLineRow;
  finance_deltas: FinanceDeltaRow;
  finance_ended: FinanceEndedRow;
  finance_refund_candidates: FinanceCandidateRow;
  claims: Columns<ClaimRow>;
  claim_versions: Columns<ClaimVersionRow>;
  reconciliation_invoices: StoredReconInvoiceRow;
  reconciliation_sp2d: StoredReconSp2dRow;
  reconciliation_budget_lines: Columns<ReconBudgetLineRow>;
  reconciliation_statements: StoredStatementRow;
  projection_checkpoints: CheckpointRow;
}

/** Where the queries of the read models run. */
export type ReadQuery = Kysely<ReadSchema>;
