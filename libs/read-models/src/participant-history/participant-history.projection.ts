import type { RecordedEvent } from '@ledger/event-store';
import type { EnrollmentEvent } from '@ledger/ledger/enrollment/enrollment.events';
import type { NikRegistryEvent, ParticipantEvent } from '@ledger/ledger/participants/participant.events';
import { upsertRows } from '../runner/projection-runner';
import type { CustomProjection, TableSpec } from '../runner/projection';

/** Every event that concerns one person; each carries `participantId` in its data. */
export const PARTICIPANT_HISTORY_EVENTS = [
  'ParticipantRegistered',
  'ParticipantErased',
  'EnrollmentProposed',
  'EnrollmentApproved',
  'EnrollmentRejected',
  'EnrollmentDeregistered',
  'CoverageClaimed',
  'CoverageReleased',
] as const;

export type ParticipantHistoryEventType = (typeof PARTICIPANT_HISTORY_EVENTS)[number];

/**
 * One row per event about a person, keyed by (participant_id, position): the auditor's
 * view of a participant reads it by the key prefix, in position order.
 *
 * No personal data: `details` holds only the fields listed in `historyDetails` — never
 * the sealed blob, a NIK, a name, a birth date, a phone, nor the NIK's HMAC (`nikKey`).
 * For that reason the NIK registry's stream id (`nik-<HMAC>`) is stored as `nik-*`.
 */
export interface ParticipantHistoryRow extends Record<string, unknown> {
  participant_id: string;
  position: number;
  stream_id: string;
  type: ParticipantHistoryEventType;
  /** When the command was decided (metadata.occurredAt), an ISO instant. */
  occurred_at: string;
  /** When the store committed the event, an ISO instant. */
  recorded_at: string;
  actor_id: string | null;
  actor_role: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  import_id: string | null;
  enrollment_id: string | null;
  program_id: string | null;
  details: Record<string, unknown>;
}

export const participantHistoryTable: TableSpec = {
  name: 'participant_history',
  columns: {
    participant_id: { type: 'text' },
    position: { type: 'integer' },
    stream_id: { type: 'text' },
    type: { type: 'text' },
    occurred_at: { type: 'text' },
    recorded_at: { type: 'text' },
    actor_id: { type: 'text', nullable: true },
    actor_role: { type: 'text', nullable: true },
    correlation_id: { type: 'text', nullable: true },
    causation_id: { type: 'text', nullable: true },
    import_id: { type: 'text', nullable: true },
    enrollment_id: { type: 'text', nullable: true },
    program_id: { type: 'text', nullable: true },
    details: { type: 'json' },
  },
  // The participant's rows are one range of the key, already in position order.
  primaryKey: ['participant_id', 'position'],
  // Rows are wide and only ever added, in log order: appended to a rowid table, with the
  // key as a narrow index, they cost about a quarter less to write than in a clustered tree.
  clustered: false,
};

/** The NIK registry's streams are named by the NIK's HMAC, which stays out of this read model. */
export const REDACTED_NIK_STREAM = 'nik-*';

export function historyStreamId(streamId: string): string {
  return streamId.startsWith('nik-') ? REDACTED_NIK_STREAM : streamId;
}

type HistoryEvent = ParticipantEvent | EnrollmentEvent | NikRegistryEvent;

/**
 * The non-personal fields each event shows, picked one by one: a field added to an event
 * later stays out until it is listed here. `note` and the reasons are free text written by
 * officers about the case, kept as they are.
 */
export function historyDetails(event: HistoryEvent): Record<string, unknown> {
  switch (event.type) {
    case 'ParticipantRegistered': {
      const { villageCode, occupation, sex, birthYear } = event.data;
      return { villageCode, occupation, sex, birthYear };
    }
    case 'ParticipantErased':
      return { erasedOn: event.data.erasedOn, reason: event.data.reason ?? null };
    case 'EnrollmentProposed': {
      const { proposedOn, villageCode, occupation, sex, birthYear } = event.data;
      return { proposedOn, villageCode, occupation, sex, birthYear };
    }
    case 'EnrollmentApproved':
      return { coverageFrom: event.data.coverageFrom, approvedOn: event.data.approvedOn };
    case 'EnrollmentRejected':
      return { reason: event.data.reason, rejectedOn: event.data.rejectedOn };
    case 'EnrollmentDeregistered':
      return {
        reason: event.data.reason,
        note: event.data.note ?? null,
        coverageFrom: event.data.coverageFrom ?? null,
        effectiveDate: event.data.effectiveDate,
      };
    case 'CoverageClaimed':
      return {};
    case 'CoverageReleased':
      return { releasedOn: event.data.releasedOn };
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The history row of an event; null for events that name no participant (older registry releases). */
export function historyRow(recorded: RecordedEvent): ParticipantHistoryRow | null {
  if (!(PARTICIPANT_HISTORY_EVENTS as readonly string[]).includes(recorded.type)) return null;
  const event = recorded as unknown as HistoryEvent;
  const data = event.data as {
    participantId?: string;
    enrollmentId?: string;
    programId?: string;
    importId?: string | null;
  };
  const participantId = text(data.participantId);
  if (!participantId) return null;
  const { metadata } = recorded;
  return {
    participant_id: participantId,
    position: recorded.position,
    stream_id: historyStreamId(recorded.streamId),
    type: event.type,
    occurred_at: metadata.occurredAt,
    recorded_at: recorded.recordedAt,
    actor_id: text(metadata.actor?.id),
    actor_role: text(metadata.actor?.role),
    correlation_id: text(metadata.correlationId),
    causation_id: text(metadata.causationId),
    import_id: text(metadata.importId) ?? text(data.importId),
    enrollment_id: text(data.enrollmentId),
    program_id: text(data.programId),
    details: historyDetails(event),
  };
}

/**
 * The participant history read model: rows are only ever added, one per event, and written
 * with multi-row upserts on the primary key, so applying a batch twice changes nothing.
 */
export const participantHistoryProjection: CustomProjection = {
  kind: 'custom',
  name: 'participant_history',
  version: 2,
  handles: PARTICIPANT_HISTORY_EVENTS,
  tables: [participantHistoryTable],
  async apply(events, trx, table, dialect) {
    const rows: Record<string, unknown>[] = [];
    for (const recorded of events) {
      const row = historyRow(recorded);
      if (row) rows.push({ ...row, details: JSON.stringify(row.details) });
    }
    await upsertRows(trx, dialect, table(participantHistoryTable.name), participantHistoryTable, rows);
  },
};
