import type { RecordedEvent } from '@ledger/event-store';
import type { ParticipantEvent } from '@ledger/ledger/participants/participant.events';
import type { RowProjection } from '../runner/projection';

/**
 * Participants without their personal data: the sealed blob stays in the log and is opened
 * by the API for the roles that may see it. The row says whether the person was erased.
 */
export interface ParticipantRow extends Record<string, unknown> {
  id: string;
  sex: string;
  birth_year: number;
  village_code: string;
  occupation: string;
  registered_at: string;
  erased: number;
  erased_on: string | null;
}

export const participantsProjection: RowProjection<ParticipantRow> = {
  kind: 'rows',
  name: 'participants',
  version: 1,
  handles: ['ParticipantRegistered', 'ParticipantErased'],
  table: {
    name: 'participants',
    columns: {
      id: { type: 'text' },
      sex: { type: 'text' },
      birth_year: { type: 'integer' },
      village_code: { type: 'text' },
      occupation: { type: 'text' },
      registered_at: { type: 'text' },
      erased: { type: 'integer' },
      erased_on: { type: 'text', nullable: true },
    },
    primaryKey: ['id'],
    indexes: [['village_code']],
  },
  keyOf: (event) => (event.data as { participantId: string }).participantId,
  evolve(row, recorded: RecordedEvent) {
    const event = recorded as unknown as ParticipantEvent;
    if (event.type === 'ParticipantRegistered') {
      const d = event.data;
      return {
        id: d.participantId,
        sex: d.sex,
        birth_year: d.birthYear,
        village_code: d.villageCode,
        occupation: d.occupation,
        registered_at: recorded.metadata.occurredAt,
        erased: 0,
        erased_on: null,
      };
    }
    return row ? { ...row, erased: 1, erased_on: event.data.erasedOn } : null;
  },
};
