import type { RecordedEvent } from '@ledger/event-store';
import type { CustomProjection } from '../runner/projection';
import { ACCOUNT_EVENT_TYPES, accountAudit } from './audit-accounts';
import { DUES_EVENT_TYPES, duesAudit, reinstatementAudit } from './audit-dues';
import { CLAIM_EVENT_TYPES, TREASURY_EVENT_TYPES, claimAudit, treasuryAudit } from './audit-treasury-claims';
import type { AuditActionCode } from './audit-actions';
import { auditRowOf, writeAuditBatch, type UploadCounts } from './audit-batch';
import { auditDaysTable, auditTable, subjectsTable, type AuditRow } from './audit.schema';
import {
  importApprovalOf,
  key,
  lookupOf,
  regionColumns,
  type AuditedEvent,
  type Subject,
} from './audit-subjects';

type Delegate = (
  recorded: RecordedEvent,
  looked: Subject | undefined,
) => { action: AuditActionCode; at: Partial<AuditRow>; subject?: [string, Subject] } | null;

/**
 * The events whose rows their own modules make (accounts, the money, the treasury, claims),
 * by type. A subject they return is remembered under its key, for the events that follow.
 */
const DELEGATED = new Map<string, Delegate>([
  ...ACCOUNT_EVENT_TYPES.map((type): [string, Delegate] => [
    type,
    (recorded, looked) => {
      const found = accountAudit(recorded, looked);
      return found?.subject
        ? { ...found, subject: [key.account(found.subject[0]), found.subject[1]] }
        : found;
    },
  ]),
  ...DUES_EVENT_TYPES.map((type): [string, Delegate] => [type, duesAudit]),
  ...TREASURY_EVENT_TYPES.map((type): [string, Delegate] => [type, treasuryAudit]),
  ...CLAIM_EVENT_TYPES.map((type): [string, Delegate] => [type, claimAudit]),
]);

/**
 * Who did what, where and when: one row per event that records a person's decision, with the
 * actor, their role and scope, a stable action code, the program, region and import it
 * concerns, the reason given, both times and the log position. Nothing personal: people
 * appear by participant id only. The web app's accounts too: their creation and changes, API
 * tokens issued, sign-ins, failed ones and sign-outs, by user name and address.
 */
/** A program's amendment: its program, the region of the program looked up, the reason given, and `rest`. */
function programChange(
  looked: Subject | undefined,
  data: { programId: string; reason: string | null },
  rest: Partial<AuditRow>,
): Partial<AuditRow> {
  return {
    program_id: data.programId,
    ...regionColumns(looked?.region_code ?? null),
    reason: data.reason,
    ...rest,
  };
}

export const auditProjection: CustomProjection = {
  kind: 'custom',
  name: 'audit_trail',
  version: 7,
  handles: [
    'ProgramBackfillToleranceAmended',
    'ProgramJkkReportingWindowAmended',
    'EnrollmentCorrected',
    'ProgramEstablished',
    'ProgramQuotaAmended',
    'ProgramPeriodAmended',
    'ProgramClosed',
    'WorkforceBaselineSet',
    'OutsideParticipantsSet',
    'NominationImportStarted',
    'NominationImportCompleted',
    'NominationImportFailed',
    'ParticipantRegistered',
    'ParticipantErased',
    'EnrollmentProposed',
    'EnrollmentApproved',
    'EnrollmentRejected',
    'EnrollmentDeregistered',
    'CoverageLapsed',
    'CoverageReinstated',
    'OutOfScopeCoverageRefused',
    ...ACCOUNT_EVENT_TYPES,
    ...DUES_EVENT_TYPES,
    ...TREASURY_EVENT_TYPES,
    ...CLAIM_EVENT_TYPES,
  ],
  tables: [auditTable, subjectsTable, auditDaysTable],
  async apply(events: RecordedEvent[], trx, table, writes) {
    const subjects = new Map<string, Subject>();

    // One read for every subject this batch needs that an earlier batch defined, and one more
    // for the uploads of the enrollments it rejects (an enrollment's subject names its import).
    const load = async (ids: string[]) => {
      const missing = [...new Set(ids)].filter((id) => !subjects.has(id));
      for (let i = 0; i < missing.length; i += 500) {
        const chunk = missing.slice(i, i + 500);
        const found = await writes.selectByKeys(table(subjectsTable.name), 'id', chunk);
        for (const { id, ...subject } of found as unknown as ({ id: string } & Subject)[])
          subjects.set(id, subject);
      }
    };
    const audited = events as unknown as AuditedEvent[];
    await load(events.map(lookupOf).filter((k) => k !== null));
    await load(
      audited.flatMap((e) => {
        const importId =
          e.type === 'EnrollmentRejected'
            ? subjects.get(key.enrollment(e.data.enrollmentId))?.import_id
            : null;
        return importId ? [key.import(importId)] : [];
      }),
    );
    const newSubjects = new Map<string, Subject>();
    const remember = (id: string, subject: Subject) => {
      subjects.set(id, subject);
      newSubjects.set(id, subject);
    };

    const rows: AuditRow[] = [];
    const uploads = new Map<number, UploadCounts>();
    const counts = (position: number) => {
      let c = uploads.get(position);
      if (!c) uploads.set(position, (c = { later_rejected: 0 }));
      return c;
    };

    for (const recorded of events) {
      const event = recorded as unknown as AuditedEvent;
      const looked = subjects.get(lookupOf(recorded) ?? '');
      let action: AuditActionCode | null = null;
      let at: Partial<AuditRow> = {};
      const delegate = DELEGATED.get(recorded.type);
      const delegated = delegate?.(recorded, looked);
      if (delegated) {
        if (delegated.subject) remember(delegated.subject[0], delegated.subject[1]);
        action = delegated.action;
        at = delegated.at;
      }
      if (!delegate)
        switch (event.type) {
          case 'ProgramEstablished': {
            const d = event.data;
            remember(key.program(d.programId), {
              region_code: d.ownerRegion,
              program_id: d.programId,
              import_id: null,
              position: null,
            });
            action = 'program.establish';
            at = {
              program_id: d.programId,
              ...regionColumns(d.ownerRegion),
              effective_date: d.period.from,
              detail: JSON.stringify({ name: d.name, quota: d.quota, period: d.period }),
            };
            break;
          }
          case 'ProgramQuotaAmended':
            action = 'program.amend_quota';
            at = programChange(looked, event.data, {
              detail: JSON.stringify({ quota: event.data.quota }),
            });
            break;
          case 'ProgramPeriodAmended':
            action = 'program.amend_period';
            at = programChange(looked, event.data, {
              effective_date: event.data.period.from,
              detail: JSON.stringify({ period: event.data.period }),
            });
            break;
          case 'ProgramClosed':
            action = 'program.close';
            at = programChange(looked, event.data, {
              effective_date: event.data.closedOn,
            });
            break;
          case 'ProgramBackfillToleranceAmended':
            action = 'program.amend_backfill_tolerance';
            at = programChange(looked, event.data, {
              detail: JSON.stringify({ backfillToleranceDays: event.data.backfillToleranceDays }),
            });
            break;
          case 'ProgramJkkReportingWindowAmended':
            action = 'program.amend_jkk_reporting_window';
            at = programChange(looked, event.data, {
              detail: JSON.stringify({ jkkReportingWindowDays: event.data.jkkReportingWindowDays }),
            });
            break;
          case 'WorkforceBaselineSet': {
            const d = event.data;
            action = 'baseline.set';
            at = {
              ...regionColumns(d.regionCode),
              detail: JSON.stringify({
                year: d.year,
                workingPopulation: d.workingPopulation,
                informalWorkers: d.informalWorkers,
                vulnerableWorkers: d.vulnerableWorkers,
              }),
              reason: d.source,
            };
            break;
          }
          case 'OutsideParticipantsSet': {
            // Part of the region's baseline (the UCJ numerator beside the ledger's own count).
            const d = event.data;
            action = 'baseline.set';
            at = {
              ...regionColumns(d.regionCode),
              effective_date: d.asOf,
              detail: JSON.stringify({ asOf: d.asOf, outsideParticipants: d.participants }),
              reason: d.source,
            };
            break;
          }
          case 'NominationImportStarted': {
            const d = event.data;
            const region = looked?.region_code ?? null;
            remember(key.import(d.importId), {
              region_code: region,
              program_id: d.programId,
              import_id: d.importId,
              position: recorded.position,
            });
            action = 'import.upload';
            at = {
              program_id: d.programId,
              ...regionColumns(region),
              import_id: d.importId,
              detail: JSON.stringify({ format: d.format }),
            };
            break;
          }
          case 'NominationImportCompleted':
            if (looked?.position != null)
              Object.assign(counts(looked.position), {
                rows_total: event.data.total,
                rows_refused: event.data.rejected,
              });
            break;
          case 'NominationImportFailed':
            if (looked?.position != null)
              Object.assign(counts(looked.position), { rows_total: 0, rows_refused: 0 });
            break;
          case 'ParticipantRegistered':
            remember(key.participant(event.data.participantId), {
              region_code: event.data.villageCode,
              program_id: null,
              import_id: null,
              position: null,
            });
            break;
          case 'ParticipantErased':
            action = 'participant.erase';
            at = {
              ...regionColumns(looked?.region_code ?? null),
              participant_id: event.data.participantId,
              effective_date: event.data.erasedOn.slice(0, 10),
              reason: event.data.reason,
            };
            break;
          case 'EnrollmentProposed': {
            const d = event.data;
            remember(key.enrollment(d.enrollmentId), {
              region_code: d.villageCode,
              program_id: d.programId,
              import_id: d.importId,
              position: null,
            });
            action = 'enrollment.propose';
            at = {
              program_id: d.programId,
              ...regionColumns(d.villageCode),
              import_id: d.importId,
              enrollment_id: d.enrollmentId,
              participant_id: d.participantId,
              effective_date: d.proposedOn,
            };
            break;
          }
          case 'EnrollmentApproved': {
            const d = event.data;
            // The approval of a whole list marks its events; each still names its enrollment.
            const whole = importApprovalOf(recorded);
            action = whole ? 'import.approve' : 'enrollment.approve';
            at = {
              program_id: d.programId,
              ...regionColumns(d.villageCode),
              import_id: whole ?? looked?.import_id ?? null,
              enrollment_id: d.enrollmentId,
              participant_id: d.participantId,
              effective_date: d.coverageFrom,
            };
            break;
          }
          case 'EnrollmentRejected': {
            const d = event.data;
            action = 'enrollment.reject';
            at = {
              program_id: d.programId,
              ...regionColumns(looked?.region_code ?? null),
              import_id: looked?.import_id ?? null,
              enrollment_id: d.enrollmentId,
              participant_id: d.participantId,
              effective_date: d.rejectedOn,
              reason: d.reason,
            };
            const upload = looked?.import_id ? subjects.get(key.import(looked.import_id)) : undefined;
            if (upload?.position != null) counts(upload.position).later_rejected += 1;
            break;
          }
          case 'OutOfScopeCoverageRefused':
            // A probe for where people are covered: the masked NIKs refused, never more.
            action = 'enrollment.refused_elsewhere';
            at = {
              program_id: event.data.programId,
              ...regionColumns(looked?.region_code ?? null),
              import_id: event.data.importId,
              detail: JSON.stringify({ maskedNiks: event.data.rows.map((r) => r.maskedNik) }),
            };
            break;
          case 'EnrollmentDeregistered': {
            const d = event.data;
            action = 'enrollment.deregister';
            at = {
              program_id: d.programId,
              ...regionColumns(d.villageCode),
              import_id: looked?.import_id ?? null,
              enrollment_id: d.enrollmentId,
              participant_id: d.participantId,
              effective_date: d.effectiveDate,
              reason: d.reason,
              detail: d.note === null ? null : JSON.stringify({ note: d.note }),
            };
            break;
          }
          case 'CoverageLapsed': {
            // Decided by the sweep (the system actor): the unpaid months are the reason.
            const d = event.data;
            action = 'enrollment.lapse';
            at = {
              program_id: d.programId,
              ...regionColumns(d.villageCode),
              import_id: looked?.import_id ?? null,
              enrollment_id: d.enrollmentId,
              participant_id: d.participantId,
              effective_date: d.effectiveDate,
              reason: 'lapsed',
              detail: JSON.stringify({ unpaidMonths: d.unpaidMonths, decidedOn: d.decidedOn }),
            };
            break;
          }
          case 'CoverageReinstated':
            ({ action, at } = reinstatementAudit(event, looked));
            break;
          case 'EnrollmentCorrected': {
            const d = event.data;
            action = 'enrollment.correct';
            at = {
              program_id: d.programId,
              ...regionColumns(d.villageCode),
              import_id: looked?.import_id ?? null,
              enrollment_id: d.enrollmentId,
              participant_id: d.participantId,
              effective_date: d.coverageFrom,
              reason: d.reason,
              detail: JSON.stringify({
                previous: d.previous,
                coverageFrom: d.coverageFrom,
                endedOn: d.endedOn,
                note: d.note,
              }),
            };
            break;
          }
        }
      if (action === null) continue;
      rows.push(auditRowOf(recorded, action, at));
    }

    await writeAuditBatch({ trx, table, writes }, rows, uploads, newSubjects);
  },
};
