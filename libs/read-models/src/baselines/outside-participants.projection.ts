import type { RecordedEvent } from '@ledger/event-store';
import type { OutsideParticipants } from '@ledger/ledger/baselines/baseline.events';
import type { RowProjection } from '../runner/projection';

/**
 * One row per figure set, never replaced: the figure in force for a region and day is the
 * latest one set (highest log position), and keeping the earlier ones lets a report counted
 * up to a log position (`knownAt`) read the figure the ledger held then.
 */
export interface OutsideParticipantsRow extends Record<string, unknown> {
  id: string;
  region_code: string;
  as_of: string;
  participants: number;
  source: string;
  set_by: string;
  set_at: string;
  position: number;
}

export const outsideParticipantsProjection: RowProjection<OutsideParticipantsRow> = {
  kind: 'rows',
  name: 'outside_participants',
  version: 1,
  handles: ['OutsideParticipantsSet'],
  table: {
    name: 'outside_participants',
    columns: {
      id: { type: 'text' },
      region_code: { type: 'text' },
      as_of: { type: 'text' },
      participants: { type: 'integer' },
      source: { type: 'text' },
      set_by: { type: 'text' },
      set_at: { type: 'text' },
      position: { type: 'integer' },
    },
    primaryKey: ['id'],
    indexes: [['region_code', 'as_of']],
  },
  keyOf: (event) => event.metadata.eventId,
  evolve(_row, recorded: RecordedEvent) {
    const d = recorded.data as OutsideParticipants;
    return {
      id: recorded.metadata.eventId,
      region_code: d.regionCode,
      as_of: d.asOf,
      participants: d.participants,
      source: d.source,
      set_by: recorded.metadata.actor?.id ?? 'system',
      set_at: recorded.metadata.occurredAt,
      position: recorded.position,
    };
  },
};
