import type { RecordedEvent } from '@ledger/event-store';
import type { BaselineEvent } from '@ledger/ledger/baselines/baseline.events';
import type { CoverageLapsedEvent } from '@ledger/ledger/contributions/contribution.events';
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
}

export type AuditedEvent =
  | EnrollmentEvent
  | CoverageLapsedEvent
  | CoverageProbeEvent
  | ProgramEvent
  | ParticipantEvent
  | ImportEvent
  | BaselineEvent;

export const key = {
  program: (id: string) => `p:${id}`,
  enrollment: (id: string) => `e:${id}`,
  participant: (id: string) => `r:${id}`,
  import: (id: string) => `i:${id}`,
};

/** The subject an event needs looked up, if any. */
export function lookupOf(recorded: RecordedEvent): string | null {
  const event = recorded as unknown as AuditedEvent;
  switch (event.type) {
    case 'ProgramQuotaAmended':
    case 'ProgramPeriodAmended':
    case 'ProgramClosed':
    case 'ProgramBackfillToleranceAmended':
    case 'NominationImportStarted':
    case 'OutOfScopeCoverageRefused':
      return key.program(event.data.programId);
    case 'EnrollmentApproved':
      // The approval of a whole list names its import: nothing to look up.
      return importApprovalOf(recorded) ? null : key.enrollment(event.data.enrollmentId);
    case 'EnrollmentRejected':
    case 'EnrollmentDeregistered':
    case 'CoverageLapsed':
    case 'EnrollmentCorrected':
      return key.enrollment(event.data.enrollmentId);
    case 'ParticipantErased':
      return key.participant(event.data.participantId);
    case 'NominationImportCompleted':
    case 'NominationImportFailed':
      return key.import(event.data.importId);
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
