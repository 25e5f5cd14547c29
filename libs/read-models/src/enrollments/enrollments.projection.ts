import type { RecordedEvent } from '@ledger/event-store';
import type { EnrollmentStreamEvent } from '@ledger/ledger/enrollment/enrollment.state';
import type { RowProjection } from '../runner/projection';

/**
 * One row per enrollment, with its coverage as a period (coverage_from … ended_on; an open
 * end follows the program's period), so "as of date D" is answered from the table.
 * No personal data: participants are referenced by id.
 */
export interface EnrollmentRow extends Record<string, unknown> {
  id: string;
  program_id: string;
  participant_id: string;
  village_code: string;
  district_code: string;
  regency_code: string;
  province_code: string;
  occupation: string;
  sex: string;
  birth_year: number;
  status: 'proposed' | 'approved' | 'rejected' | 'deregistered';
  proposed_on: string;
  coverage_from: string | null;
  approved_on: string | null;
  rejected_on: string | null;
  ended_on: string | null;
  end_reason: string | null;
  rejection_reason: string | null;
  import_id: string | null;
  updated_position: number;
}

export const enrollmentsProjection: RowProjection<EnrollmentRow> = {
  kind: 'rows',
  name: 'enrollments',
  version: 5,
  handles: [
    'EnrollmentProposed',
    'EnrollmentApproved',
    'EnrollmentRejected',
    'EnrollmentDeregistered',
    'EnrollmentCorrected',
    'CoverageLapsed',
    'CoverageReinstated',
  ],
  table: {
    name: 'enrollments',
    columns: {
      id: { type: 'text' },
      program_id: { type: 'text' },
      participant_id: { type: 'text' },
      village_code: { type: 'text' },
      district_code: { type: 'text' },
      regency_code: { type: 'text' },
      province_code: { type: 'text' },
      occupation: { type: 'text' },
      sex: { type: 'text' },
      birth_year: { type: 'integer' },
      status: { type: 'text' },
      proposed_on: { type: 'text' },
      coverage_from: { type: 'text', nullable: true },
      approved_on: { type: 'text', nullable: true },
      rejected_on: { type: 'text', nullable: true },
      ended_on: { type: 'text', nullable: true },
      end_reason: { type: 'text', nullable: true },
      rejection_reason: { type: 'text', nullable: true },
      import_id: { type: 'text', nullable: true },
      updated_position: { type: 'integer' },
    },
    primaryKey: ['id'],
    indexes: [
      ['program_id', 'status'],
      // A program's roster of a month, paged in id order from the index alone (no sort, no
      // row lookups): 10,000 coverages read per page instead of fetched one by one.
      ['program_id', 'id', 'coverage_from', 'ended_on'],
      ['participant_id'],
      ['import_id'],
      ['village_code'],
      ['regency_code', 'status'],
    ],
  },
  keyOf: (event) => (event.data as { enrollmentId: string }).enrollmentId,
  evolve(row, recorded: RecordedEvent) {
    const event = recorded as unknown as EnrollmentStreamEvent;
    const position = recorded.position;
    if (event.type === 'EnrollmentProposed') {
      const d = event.data;
      return {
        id: d.enrollmentId,
        program_id: d.programId,
        participant_id: d.participantId,
        village_code: d.villageCode,
        district_code: d.villageCode.slice(0, 6),
        regency_code: d.villageCode.slice(0, 4),
        province_code: d.villageCode.slice(0, 2),
        occupation: d.occupation,
        sex: d.sex,
        birth_year: d.birthYear,
        status: 'proposed',
        proposed_on: d.proposedOn,
        coverage_from: null,
        approved_on: null,
        rejected_on: null,
        ended_on: null,
        end_reason: null,
        rejection_reason: null,
        import_id: d.importId,
        updated_position: position,
      };
    }
    if (!row) return null;
    switch (event.type) {
      case 'EnrollmentApproved':
        return {
          ...row,
          status: 'approved',
          coverage_from: event.data.coverageFrom,
          approved_on: event.data.approvedOn,
          updated_position: position,
        };
      case 'EnrollmentRejected':
        return {
          ...row,
          status: 'rejected',
          rejection_reason: event.data.reason,
          rejected_on: event.data.rejectedOn,
          updated_position: position,
        };
      case 'EnrollmentDeregistered':
        return {
          ...row,
          status: 'deregistered',
          ended_on: event.data.effectiveDate,
          end_reason: event.data.reason,
          updated_position: position,
        };
      case 'CoverageLapsed':
        // Ended like a deregistration; the reason tells the contributions stayed unpaid.
        return {
          ...row,
          status: 'deregistered',
          ended_on: event.data.effectiveDate,
          end_reason: 'lapsed',
          updated_position: position,
        };
      case 'CoverageReinstated':
        // The lapse undone: covered again with an open end, as before it.
        return {
          ...row,
          status: 'approved',
          ended_on: null,
          end_reason: null,
          updated_position: position,
        };
      case 'EnrollmentCorrected':
        // The row shows the corrected period; the status and the end's reason stay.
        return {
          ...row,
          coverage_from: event.data.coverageFrom,
          ended_on: event.data.endedOn,
          updated_position: position,
        };
    }
  },
};
