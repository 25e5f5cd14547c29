import type { RecordedEvent } from '@ledger/event-store';
import type { CoverageProbeEvent } from '@ledger/ledger/enrollment/enrollment.events';
import type { RowProjection } from '../runner/projection';

/**
 * Per actor, how many proposed NIKs were refused for a coverage in a program outside the
 * actor's scope: repeated probing for where people are covered shows here. The masked NIKs of
 * each attempt stay on the actor's stream in the log.
 */
export interface CoverageProbeRow extends Record<string, unknown> {
  actor_id: string;
  actor_role: string;
  /** The actor's token regions, comma-separated, as recorded. */
  actor_regions: string;
  /** NIKs refused so; requests (a single proposal, or an import's chunk) that held them. */
  niks: number;
  requests: number;
  first_at: string;
  last_at: string;
  last_program_id: string;
  last_masked_nik: string;
}

export const coverageProbesProjection: RowProjection<CoverageProbeRow> = {
  kind: 'rows',
  name: 'coverage_probes',
  version: 1,
  handles: ['OutOfScopeCoverageRefused'],
  table: {
    name: 'coverage_probes',
    columns: {
      actor_id: { type: 'text' },
      actor_role: { type: 'text' },
      actor_regions: { type: 'text' },
      niks: { type: 'integer' },
      requests: { type: 'integer' },
      first_at: { type: 'text' },
      last_at: { type: 'text' },
      last_program_id: { type: 'text' },
      last_masked_nik: { type: 'text' },
    },
    primaryKey: ['actor_id'],
    indexes: [],
  },
  keyOf: (event) => event.metadata.actor?.id ?? 'system',
  evolve(row, recorded: RecordedEvent) {
    const { data } = recorded as unknown as CoverageProbeEvent;
    const { actor, occurredAt } = recorded.metadata;
    return {
      actor_id: actor?.id ?? 'system',
      actor_role: actor?.role ?? '',
      actor_regions: actor?.region ?? '',
      niks: (row?.niks ?? 0) + data.rows.length,
      requests: (row?.requests ?? 0) + 1,
      first_at: row?.first_at ?? occurredAt,
      last_at: occurredAt,
      last_program_id: data.programId,
      last_masked_nik: data.rows[data.rows.length - 1]?.maskedNik ?? '',
    };
  },
};
