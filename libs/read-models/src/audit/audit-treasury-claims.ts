import type { RecordedEvent } from '@ledger/event-store';
import type { ClaimEvent, DeathReportedEvent } from '@ledger/ledger/claims/claim.events';
import type { StatementEvent } from '@ledger/ledger/treasury/sign-statement/statement.events';
import type { TreasuryEvent } from '@ledger/ledger/treasury/treasury.events';
import type { AuditActionCode } from './audit-actions';
import type { AuditRow } from './audit.schema';
import { key, regionColumns, type Subject } from './audit-subjects';

/** The treasury's documents and the claims' steps, each a decision of a finance or claims officer. */
export const TREASURY_EVENT_TYPES = [
  'BudgetLineSet',
  'SppRecorded',
  'SpmRecorded',
  'Sp2dRecorded',
  'TreasuryDocumentCancelled',
  'Sp2dInvoicesLinked',
  'ReconciliationStatementSigned',
] as const;
export const CLAIM_EVENT_TYPES = [
  'ClaimFiled',
  'ClaimDocumentsCompleted',
  'ClaimSubmitted',
  'ClaimApproved',
  'ClaimRejected',
  'ClaimPaid',
  'ClaimWithdrawn',
  'ClaimReopened',
  'DeathReported',
] as const;

type Found = { action: AuditActionCode; at: Partial<AuditRow>; subject?: [string, Subject] } | null;
const detail = (value: Record<string, unknown>) => JSON.stringify(value);

/**
 * A treasury document's row: its kind, number, amount and account code (a recipient is an
 * organisation such as BPJS, never a person). The region is the program's, looked up.
 */
export function treasuryAudit(recorded: RecordedEvent, looked: Subject | undefined): Found {
  const event = recorded as unknown as TreasuryEvent | StatementEvent;
  const common = { program_id: event.data.programId, ...regionColumns(looked?.region_code ?? null) };
  if (event.type === 'ReconciliationStatementSigned') {
    const d = event.data;
    return {
      action: 'treasury.sign_statement',
      at: {
        ...common,
        effective_date: d.signedOn,
        reason: d.reason,
        detail: detail({
          statementId: d.statementId,
          payer: d.payer,
          period: d.period,
          figures: d.figures,
          differences: d.lines.length,
          supersedes: d.supersedes,
        }),
      },
    };
  }
  const { fiscalYear } = event.data;
  switch (event.type) {
    case 'BudgetLineSet': {
      const d = event.data;
      return {
        action: 'treasury.set_budget_line',
        at: {
          ...common,
          effective_date: d.setOn,
          detail: detail({
            fiscalYear,
            accountCode: d.accountCode,
            document: d.document,
            amount: d.amount,
            previousAmount: d.previousAmount,
          }),
        },
      };
    }
    case 'SppRecorded':
    case 'SpmRecorded':
    case 'Sp2dRecorded': {
      const d = event.data;
      const kind = event.type === 'SppRecorded' ? 'spp' : event.type === 'SpmRecorded' ? 'spm' : 'sp2d';
      return {
        action: `treasury.record_${kind}`,
        at: {
          ...common,
          effective_date: d.date,
          detail: detail({ fiscalYear, number: d.number, amount: d.amount, accountCode: d.accountCode }),
        },
      };
    }
    case 'TreasuryDocumentCancelled': {
      const d = event.data;
      return {
        action: 'treasury.cancel_document',
        at: {
          ...common,
          effective_date: d.cancelledOn,
          reason: d.reason,
          detail: detail({ fiscalYear, kind: d.kind, number: d.number }),
        },
      };
    }
    case 'Sp2dInvoicesLinked': {
      const d = event.data;
      return {
        action: 'treasury.link_sp2d',
        at: {
          ...common,
          effective_date: d.linkedOn,
          detail: detail({
            fiscalYear,
            sp2dNumber: d.sp2dNumber,
            invoiceIds: d.invoiceIds,
            previousInvoiceIds: d.previousInvoiceIds,
          }),
        },
      };
    }
    default:
      // Sp2dNamedByPayment: the payment's own row tells it (contributions.record_payment).
      return null;
  }
}

/**
 * A claim's row: its kind, benefit, eligibility and amounts — never an heir (sealed in the
 * claim's event, and absent here). The claim is remembered as a subject, so later steps, which
 * name only the claim, are placed in the participant's village.
 */
export function claimAudit(recorded: RecordedEvent, looked: Subject | undefined): Found {
  if (recorded.type === 'DeathReported') return deathReportAudit(recorded);
  const event = recorded as unknown as ClaimEvent;
  const { claimId } = event.data;
  if (event.type === 'ClaimFiled') {
    const d = event.data;
    return {
      action: 'claim.file',
      at: {
        program_id: d.programId,
        ...regionColumns(d.villageCode),
        enrollment_id: d.enrollmentId,
        participant_id: d.participantId,
        effective_date: d.eventDate,
        detail: detail({
          claimId,
          kind: d.kind,
          benefit: d.benefit,
          eligible: d.eligible,
          reasons: d.reasons,
          heirs: d.heirCount,
        }),
      },
      subject: [
        key.claim(claimId),
        { region_code: d.villageCode, program_id: d.programId, import_id: null, position: null },
      ],
    };
  }
  const common = { program_id: looked?.program_id ?? null, ...regionColumns(looked?.region_code ?? null) };
  switch (event.type) {
    case 'ClaimDocumentsCompleted':
      return {
        action: 'claim.complete_documents',
        at: {
          ...common,
          effective_date: event.data.completedOn,
          detail: detail({ claimId, documents: event.data.documents.length }),
        },
      };
    case 'ClaimSubmitted':
      return {
        action: 'claim.submit',
        at: { ...common, effective_date: event.data.submittedOn, detail: detail({ claimId }) },
      };
    case 'ClaimApproved':
      return {
        action: 'claim.approve',
        at: {
          ...common,
          effective_date: event.data.approvedOn,
          detail: detail({ claimId, amount: event.data.amount }),
        },
      };
    case 'ClaimRejected':
      return {
        action: 'claim.reject',
        at: {
          ...common,
          effective_date: event.data.rejectedOn,
          reason: event.data.code,
          detail: detail({ claimId, note: event.data.note }),
        },
      };
    case 'ClaimPaid':
      return {
        action: 'claim.pay',
        at: {
          ...common,
          effective_date: event.data.paidOn,
          detail: detail({ claimId, amount: event.data.amount, reference: event.data.reference }),
        },
      };
    case 'ClaimWithdrawn':
      return {
        action: 'claim.withdraw',
        at: {
          ...common,
          effective_date: event.data.withdrawnOn,
          reason: event.data.note,
          detail: detail({ claimId }),
        },
      };
    case 'ClaimReopened':
      return {
        action: 'claim.reopen',
        at: {
          ...common,
          effective_date: event.data.reopenedOn,
          reason: event.data.note,
          detail: detail({ claimId }),
        },
      };
  }
}

/** A death reported without a claim: in the participant's village; the reporter stays sealed. */
function deathReportAudit(recorded: RecordedEvent): Found {
  const d = (recorded as unknown as DeathReportedEvent).data;
  return {
    action: 'death.report',
    at: {
      program_id: d.programId,
      ...regionColumns(d.villageCode),
      enrollment_id: d.enrollmentId,
      participant_id: d.participantId,
      effective_date: d.dateOfDeath,
      detail: detail({
        reportId: d.reportId,
        reportedOn: d.reportedOn,
        reporterRelationship: d.reporterRelationship,
        coverageEnded: d.coverageEnded,
      }),
    },
  };
}
