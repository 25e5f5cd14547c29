import type { RecordedEvent } from '@ledger/event-store';
import { parseInvoiceId } from '@ledger/ledger/contributions/dues.state';
import type { AccountEvent } from '@ledger/ledger/accounts/account.events';
import type { ClaimEvent } from '@ledger/ledger/claims/claim.events';
import type { TreasuryEvent } from '@ledger/ledger/treasury/treasury.events';
import type { StatementEvent } from '@ledger/ledger/treasury/sign-statement/statement.events';
import type { BaselineEvent } from '@ledger/ledger/baselines/baseline.events';
import type {
  CalendarEvent,
  CoverageLapsedEvent,
  CoverageReinstatedEvent,
  DuesEvent,
} from '@ledger/ledger/contributions/contribution.events';
import type { CoverageProbeEvent, EnrollmentEvent } from '@ledger/ledger/enrollment/enrollment.events';
import type { ImportEvent } from '@ledger/ledger/enrollment/import/import.events';
import type { ParticipantEvent } from '@ledger/ledger/participants/participant.events';
import type { ProgramEvent } from '@ledger/ledger/programs/program.events';

/**
 * Later events name their subject (a program, an enrollment, a participant, an import) by id
 * only; the audit trail looks the subject's region up in the subjects table under these keys.
 */
export interface Subject {
  region_code: string | null;
  program_id: string | null;
  import_id: string | null;
  position: number | null;
  /** An account's user name, role and regions (comma-separated): sign-ins name only its id. */
  username?: string | null;
  account_role?: string | null;
  scope?: string | null;
}

export type AuditedEvent =
  | EnrollmentEvent
  | CoverageLapsedEvent
  | CoverageReinstatedEvent
  | CoverageProbeEvent
  | ProgramEvent
  | ParticipantEvent
  | ImportEvent
  | BaselineEvent
  | AccountEvent
  | DuesEvent
  | CalendarEvent
  | TreasuryEvent
  | StatementEvent
  | ClaimEvent;

export const key = {
  program: (id: string) => `p:${id}`,
  enrollment: (id: string) => `e:${id}`,
  participant: (id: string) => `r:${id}`,
  import: (id: string) => `i:${id}`,
  account: (id: string) => `a:${id}`,
  claim: (id: string) => `c:${id}`,
};

/** The subject an event needs looked up, if any. */
export function lookupOf(recorded: RecordedEvent): string | null {
  const event = recorded as unknown as AuditedEvent;
  switch (event.type) {
    case 'ProgramQuotaAmended':
    case 'ProgramPeriodAmended':
    case 'ProgramClosed':
    case 'ProgramBackfillToleranceAmended':
    case 'ProgramJkkReportingWindowAmended':
    case 'NominationImportStarted':
    case 'OutOfScopeCoverageRefused':
      return key.program(event.data.programId);
    case 'EnrollmentApproved':
      // The approval of a whole list names its import: nothing to look up.
      return importApprovalOf(recorded) ? null : key.enrollment(event.data.enrollmentId);
    case 'EnrollmentRejected':
    case 'EnrollmentDeregistered':
    case 'CoverageLapsed':
    case 'CoverageReinstated':
    case 'EnrollmentCorrected':
      return key.enrollment(event.data.enrollmentId);
    case 'ParticipantErased':
      return key.participant(event.data.participantId);
    case 'NominationImportCompleted':
    case 'NominationImportFailed':
      return key.import(event.data.importId);
    case 'AccountDisabled':
    case 'AccountEnabled':
    case 'AccountSignedIn':
    case 'AccountSignedOut':
    case 'AccountPasswordChanged':
    case 'AccountPasswordChangeFailed':
    case 'ApiTokenIssued':
      return key.account(event.data.accountId);
    case 'AccountSignInFailed':
      return event.data.accountId === null ? null : key.account(event.data.accountId);
    case 'BudgetLineSet':
    case 'SppRecorded':
    case 'SpmRecorded':
    case 'Sp2dRecorded':
    case 'TreasuryDocumentCancelled':
    case 'Sp2dInvoicesLinked':
    case 'ReconciliationStatementSigned':
      return key.program(event.data.programId);
    case 'ClaimDocumentsCompleted':
    case 'ClaimSubmitted':
    case 'ClaimApproved':
    case 'ClaimRejected':
    case 'ClaimPaid':
    case 'ClaimWithdrawn':
    case 'ClaimReopened':
      return key.claim(event.data.claimId);
    case 'InvoiceAdjusted':
    case 'InvoiceCancelled':
    case 'PaymentRecorded':
    case 'RefundRecorded':
    case 'BpjsBillRecorded': {
      // An invoice's later events name it by id, which begins with its program's.
      const programId = parseInvoiceId(event.data.invoiceId)?.programId;
      return programId ? key.program(programId) : null;
    }
    default:
      return null;
  }
}

export function importApprovalOf(recorded: RecordedEvent): string | null {
  const importId = recorded.metadata.importApproval;
  return typeof importId === 'string' ? importId : null;
}

export function regionColumns(code: string | null) {
  const at = (length: number) =>
    code && code !== 'ID' && code.length >= length ? code.slice(0, length) : null;
  return { region_code: code, province: at(2), regency: at(4), district: at(6) };
}

/**
 * The region an account's action concerns: the smallest region holding all of the account's
 * (or a token's) regions, so a regency's auditor sees the sign-ins of the regency's own
 * accounts and nothing of an account that reaches beyond it. `ID` when they span provinces.
 */
export function accountRegion(regions: readonly string[]): string {
  for (const length of [10, 6, 4, 2]) {
    const prefix = regions[0]?.slice(0, length);
    if (
      prefix &&
      prefix.length === length &&
      /^\d+$/.test(prefix) &&
      regions.every((r) => r.startsWith(prefix))
    )
      return prefix;
  }
  return 'ID';
}
